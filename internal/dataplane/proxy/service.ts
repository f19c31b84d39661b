// One proxied TCP virtual service in the worker: its listener, its real servers and scheduler
// (updated in place by reconcile), and the choice of a real server for each new connection.

import net from "node:net";
import { performance } from "node:perf_hooks";
import { createScheduler, type Scheduler } from "../../scheduler/index.ts";
import type { VirtualService } from "../../state/services/model.ts";
import type { ServiceStats } from "../dataplane.ts";
import { type Backend, backendKey, hasRoom, newBackend, syncView, updateBackend } from "./backend.ts";
import { Connection, type ConnectionHost } from "./connection.ts";
import { Counters } from "./counters.ts";
import type { RelayOptions } from "./protocol.ts";

/** The real servers this driver forwards to: those with the proxy method. */
const proxied = (vs: VirtualService) => vs.realServers.filter((rs) => rs.forward === "proxy");

export class ProxyService implements ConnectionHost {
  readonly key: string;
  readonly counters: Counters;
  readonly options: RelayOptions;
  readonly #server: net.Server;
  #vip: string;
  #maxConn = 0;
  #refused = 0;
  #backends: Backend[] = [];
  #scheduler!: Scheduler;
  /** Scheduler name, flags and member keys: a change rebuilds the view array and scheduler. */
  #shape = "";
  readonly #open = new Set<Connection>();

  constructor(vs: VirtualService, options: RelayOptions) {
    this.key = vs.key;
    this.options = options;
    this.counters = new Counters(options.inactiveWindowMs);
    this.#vip = vs.vip ?? "";
    this.#server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (c) => this.#accept(c));
    this.update(vs);
  }

  listen(vip: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen({ host: vip, port, exclusive: true }, () => {
        this.#server.off("error", reject);
        resolve();
      });
    });
  }

  /** Applies a new version of the service without touching open connections. */
  update(vs: VirtualService): void {
    this.#maxConn = vs.maxConn;
    this.#vip = vs.vip ?? "";
    const old = new Map(this.#backends.map((b) => [b.key, b]));
    const next = proxied(vs).map((rs) => {
      const b = old.get(backendKey(rs));
      if (b === undefined) return newBackend(rs, this.options.inactiveWindowMs);
      updateBackend(b, rs);
      return b;
    });
    const shape = JSON.stringify([vs.scheduler, vs.schedFlags, next.map((b) => b.key)]);
    if (shape !== this.#shape) {
      // Removed real servers keep their open connections (they hold their Backend); only new
      // connections see the new membership.
      this.#backends = next;
      this.#scheduler = createScheduler(
        vs.scheduler,
        next.map((b) => b.view),
        { flags: vs.schedFlags, seed: this.options.seed },
      );
      this.#shape = shape;
    }
  }

  #accept(client: net.Socket): void {
    if (this.#maxConn > 0 && this.counters.active >= this.#maxConn) {
      this.#refused++;
      client.resetAndDestroy();
      return;
    }
    this.#open.add(new Connection(this, client));
  }

  ended(conn: Connection): void {
    this.#open.delete(conn);
  }

  refused(): void {
    this.#refused++;
  }

  pick(client: net.Socket, tried: ReadonlySet<Backend>): Backend | undefined {
    const now = performance.now();
    for (const b of this.#backends) syncView(b, now);
    const ctx = {
      clientIp: client.remoteAddress ?? "",
      clientPort: client.remotePort,
      destIp: this.#vip,
      nowMs: Date.now(),
    };
    for (let i = 0; i <= this.#backends.length; i++) {
      const idx = this.#scheduler.pick(ctx);
      if (idx === undefined) return undefined;
      const b = this.#backends[idx];
      if (b !== undefined && !tried.has(b) && hasRoom(b)) return b;
    }
    // The scheduler keeps answering tried or full servers (hashing ones do): least loaded of the rest.
    let best: Backend | undefined;
    for (const b of this.#backends) {
      if (!(b.view.weight > 0) || b.view.overloaded || tried.has(b) || !hasRoom(b)) continue;
      if (best === undefined || b.counters.active * best.view.weight < best.counters.active * b.view.weight)
        best = b;
    }
    return best;
  }

  /** Stops accepting; resolves once every connection has ended, cutting them after `graceMs`. */
  close(graceMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const c of this.#open) c.destroy();
      }, graceMs);
      this.#server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  stats(): ServiceStats {
    const now = performance.now();
    const c = this.counters;
    return {
      key: this.key,
      activeConns: c.active,
      inactiveConns: c.inactive(now),
      totalConns: c.total,
      bytesIn: c.bytesIn,
      bytesOut: c.bytesOut,
      refusedConns: this.#refused,
      realServers: this.#backends.map((b) => ({
        address: b.address,
        port: b.port,
        activeConns: b.counters.active,
        inactiveConns: b.counters.inactive(now),
        totalConns: b.counters.total,
        bytesIn: b.counters.bytesIn,
        bytesOut: b.counters.bytesOut,
        connectFailures: b.connectFailures,
      })),
    };
  }
}
