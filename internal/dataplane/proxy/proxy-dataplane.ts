// ProxyDataplane: the main-thread face of the userspace L4 TCP proxy. It only posts tables to and
// reads counters from the proxy worker thread, so relaying never runs on the Raft event loop.

import { Worker } from "node:worker_threads";
import type { VirtualService } from "../../state/services/model.ts";
import type { Dataplane, DataplaneStats } from "../dataplane.ts";
import { parseOptions, parseReply, parseStats, type RelayOptions, type Request } from "./protocol.ts";

/**
 * Node 20 ignores `execArgv: ["--import", "tsx"]` for a worker's .ts entry (it fails with
 * ERR_UNKNOWN_FILE_EXTENSION), so the worker first registers tsx's loader, then imports the entry.
 */
const BOOT = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL("./proxy-worker.ts", import.meta.url).href)}); })
  .catch((e) => { process.nextTick(() => { throw e; }); });`;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Pending {
  resolve(value: unknown): void;
  reject(e: Error): void;
}

export class ProxyDataplane implements Dataplane {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Set once the worker is gone (exit or crash): every later request fails with it. */
  #dead: Error | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: Partial<RelayOptions> = {}) {
    this.#worker = new Worker(BOOT, { eval: true, workerData: parseOptions(options) });
    this.#worker.on("message", (m: unknown) => this.#onReply(m));
    this.#worker.on("error", (e) => this.#fail(e));
    this.#worker.on("exit", (code) => this.#fail(new Error(`proxy worker exited (code ${code})`)));
  }

  reconcile(desired: readonly VirtualService[]): Promise<void> {
    return this.#call({ type: "reconcile", services: [...desired] }).then(() => undefined);
  }

  async stats(): Promise<DataplaneStats> {
    return parseStats(await this.#call({ type: "stats" }));
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        if (this.#dead === undefined) await this.#call({ type: "close" });
      } finally {
        await this.#worker.terminate();
      }
    })();
    return this.#closing;
  }

  #call(req: DistributiveOmit<Request, "id">): Promise<unknown> {
    if (this.#dead !== undefined) return Promise.reject(this.#dead);
    if (this.#closing !== undefined && req.type !== "close")
      return Promise.reject(new Error("dataplane closed"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...req, id });
    });
  }

  #onReply(m: unknown): void {
    let reply: ReturnType<typeof parseReply>;
    try {
      reply = parseReply(m);
    } catch (e) {
      this.#fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    const p = this.#pending.get(reply.id);
    if (p === undefined) return;
    this.#pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(reply.error));
  }

  #fail(e: Error): void {
    this.#dead ??= e;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }
}
