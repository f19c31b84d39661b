// The worker's table of proxied services: diff-based reconcile against the desired table,
// stats over all services, and graceful close (including services removed but still draining).

import type { VirtualService } from "../../state/services/model.ts";
import type { DataplaneStats } from "../dataplane.ts";
import type { RelayOptions } from "./protocol.ts";
import { ProxyService } from "./service.ts";

/** The services this driver owns: L4 TCP, addressed by vip:port, forwarded by proxy. */
export function isProxied(vs: VirtualService): boolean {
  return (
    vs.protocol === "tcp" &&
    vs.mode === "l4" &&
    vs.forward === "proxy" &&
    typeof vs.vip === "string" &&
    typeof vs.port === "number"
  );
}

export class Relay {
  readonly #options: RelayOptions;
  readonly #services = new Map<string, ProxyService>();
  /** Removed services whose open connections are still draining. */
  readonly #draining = new Set<Promise<void>>();
  #closed = false;

  constructor(options: RelayOptions) {
    this.#options = options;
  }

  async reconcile(desired: readonly VirtualService[]): Promise<void> {
    if (this.#closed) throw new Error("relay closed");
    const wanted = new Map(desired.filter(isProxied).map((vs) => [vs.key, vs]));
    for (const [key, svc] of this.#services) {
      if (wanted.has(key)) continue;
      this.#services.delete(key);
      // Stop listening now; open connections end on their own (idle timeout at the latest).
      const p = svc.close(this.#options.idleTimeoutMs).finally(() => this.#draining.delete(p));
      this.#draining.add(p);
    }
    const failures: string[] = [];
    await Promise.all(
      [...wanted.values()].map(async (vs) => {
        const existing = this.#services.get(vs.key);
        if (existing !== undefined) return existing.update(vs);
        const svc = new ProxyService(vs, this.#options);
        try {
          await svc.listen(vs.vip as string, vs.port as number);
          this.#services.set(vs.key, svc);
        } catch (e) {
          failures.push(`${vs.key}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    if (failures.length > 0) throw new Error(`could not listen for ${failures.join("; ")}`);
  }

  stats(): DataplaneStats {
    return { services: [...this.#services.values()].map((s) => s.stats()) };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const grace = this.#options.closeGraceMs;
    const all = [...this.#services.values()].map((s) => s.close(grace));
    this.#services.clear();
    await Promise.all([...all, ...this.#draining]);
  }
}
