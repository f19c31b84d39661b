// One proxied client connection: picks a real server, connects with a timeout, redispatches on
// failure, then relays both ways (pipe: backpressure, half-close) with an idle timeout.

import net from "node:net";
import { performance } from "node:perf_hooks";
import { type Backend, syncView } from "./backend.ts";
import type { Counters } from "./counters.ts";
import type { RelayOptions } from "./protocol.ts";

/** What a connection needs from its service. */
export interface ConnectionHost {
  readonly counters: Counters;
  readonly options: RelayOptions;
  /** A real server for this client, not in `tried`, with room; undefined = none. */
  pick(client: net.Socket, tried: ReadonlySet<Backend>): Backend | undefined;
  refused(): void;
  /** Called once, when both sides have closed. */
  ended(conn: Connection): void;
}

const noop = (): void => {};

export class Connection {
  readonly #host: ConnectionHost;
  readonly #client: net.Socket;
  readonly #tried = new Set<Backend>();
  #retriesLeft: number;
  #upstream: net.Socket | undefined;
  #backend: Backend | undefined;
  #connected = false;
  #clientClosed = false;
  #upstreamClosed = false;
  #done = false;

  /** `client` must be paused (server option pauseOnConnect). */
  constructor(host: ConnectionHost, client: net.Socket) {
    this.#host = host;
    this.#client = client;
    this.#retriesLeft = host.options.retries;
    host.counters.active++;
    host.counters.total++;
    client.on("error", noop);
    client.once("close", (hadError) => {
      this.#clientClosed = true;
      if (hadError || !this.#connected) this.#upstream?.destroy();
      this.#maybeFinish();
    });
    this.#attempt();
  }

  #attempt(): void {
    if (this.#clientClosed) return;
    const b = this.#host.pick(this.#client, this.#tried);
    if (b === undefined) {
      this.#host.refused();
      this.#client.resetAndDestroy();
      return;
    }
    this.#tried.add(b);
    b.counters.active++;
    syncView(b, performance.now());
    const up = net.connect({ host: b.address, port: b.port, allowHalfOpen: true });
    this.#upstream = up;
    this.#backend = b;
    up.on("error", noop);
    const fail = (): void => {
      up.off("error", fail);
      up.off("timeout", fail);
      up.destroy();
      b.connectFailures++;
      b.counters.active--;
      syncView(b, performance.now());
      this.#upstream = undefined;
      this.#backend = undefined;
      if (this.#retriesLeft-- > 0) this.#attempt();
      else {
        this.#host.refused();
        this.#client.resetAndDestroy();
      }
    };
    up.on("error", fail);
    up.on("timeout", fail);
    up.setTimeout(this.#host.options.connectTimeoutMs);
    up.once("connect", () => {
      up.off("error", fail);
      up.off("timeout", fail);
      this.#relay(up, b);
    });
  }

  #relay(up: net.Socket, b: Backend): void {
    this.#connected = true;
    b.counters.total++;
    const client = this.#client;
    const svc = this.#host.counters;
    const idle = this.#host.options.idleTimeoutMs;
    const cut = (): void => {
      client.destroy();
      up.destroy();
    };
    up.setTimeout(idle);
    client.setTimeout(idle);
    up.on("timeout", cut);
    client.on("timeout", cut);
    client.on("data", (chunk: Buffer) => {
      svc.bytesIn += chunk.length;
      b.counters.bytesIn += chunk.length;
    });
    up.on("data", (chunk: Buffer) => {
      svc.bytesOut += chunk.length;
      b.counters.bytesOut += chunk.length;
    });
    up.once("close", (hadError) => {
      this.#upstreamClosed = true;
      if (hadError) client.destroy();
      this.#maybeFinish();
    });
    // pipe() ends the destination on the source's end: with allowHalfOpen this is half-close.
    client.pipe(up);
    up.pipe(client);
  }

  #maybeFinish(): void {
    if (this.#done || !this.#clientClosed) return;
    if (this.#connected && !this.#upstreamClosed) return;
    this.#done = true;
    const now = performance.now();
    this.#host.counters.closed(now);
    const b = this.#backend;
    if (b !== undefined) {
      if (this.#connected) b.counters.closed(now);
      else b.counters.active--; // the client left while we were connecting
      syncView(b, now);
    }
    this.#host.ended(this);
  }

  /** Cuts both sides now. */
  destroy(): void {
    this.#client.destroy();
    this.#upstream?.destroy();
  }
}
