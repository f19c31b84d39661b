// The two clients the bench drives with the same loop: raftvs KV.Put through a small gRPC client
// with one channel per endpoint, and etcd put through the `etcd3` package. Both pick an endpoint
// at random for every call (as etcd3 does), so the clients are spread over all three members.

import { type Client, credentials, type ServiceError } from "@grpc/grpc-js";
import { Etcd3, type IOptions } from "etcd3";
import { KvService } from "../../internal/admin/index.ts";

export type SystemName = "raftvs" | "etcd";

/** What a worker process needs to build a client: plain data. */
export interface ClientSpec {
  system: SystemName;
  endpoints: string[];
  /**
   * "default": the client as an application would use it (etcd3's retry and circuit-breaker
   * policies). "raw": one attempt per call, errors returned at once (the failover probe retries
   * by itself, so that both systems are retried the same way).
   */
  mode: "default" | "raw";
}

export interface Putter {
  /** One put; rejects on any error. `deadlineMs` bounds the call when given. */
  put(key: string, value: string, deadlineMs?: number): Promise<void>;
  /** Same, on one endpoint (health checks after a restart). */
  putAt(endpoint: string, key: string, value: string, deadlineMs: number): Promise<void>;
  close(): void;
}

const PUT = KvService.service.Put;

/** raftvs: one grpc-js Client (one channel) per endpoint, KV.Put with the generated serializers. */
export class RaftvsPutter implements Putter {
  readonly #clients: Client[];
  readonly #byEndpoint = new Map<string, Client>();

  constructor(endpoints: string[]) {
    this.#clients = endpoints.map((ep) => {
      const c = new KvService(ep, credentials.createInsecure());
      this.#byEndpoint.set(ep, c);
      return c;
    });
  }

  put(key: string, value: string, deadlineMs?: number): Promise<void> {
    const c = this.#clients[Math.floor(Math.random() * this.#clients.length)]!;
    return this.#call(c, key, value, deadlineMs);
  }

  putAt(endpoint: string, key: string, value: string, deadlineMs: number): Promise<void> {
    const c = this.#byEndpoint.get(endpoint);
    if (!c) return Promise.reject(new Error(`unknown endpoint ${endpoint}`));
    return this.#call(c, key, value, deadlineMs);
  }

  #call(c: Client, key: string, value: string, deadlineMs: number | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      c.makeUnaryRequest(
        PUT.path,
        PUT.requestSerialize,
        PUT.responseDeserialize,
        { key, value },
        deadlineMs === undefined ? {} : { deadline: Date.now() + deadlineMs },
        (err: ServiceError | null) => (err ? reject(err) : resolve()),
      );
    });
  }

  close(): void {
    for (const c of this.#clients) c.close();
  }
}

type Policy = NonNullable<NonNullable<IOptions["faultHandling"]>["global"]>;

/** A cockatiel-shaped policy that calls through once: no retry, no circuit breaker. */
export const passThrough = {
  execute: <T>(fn: (ctx: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> =>
    Promise.resolve().then(() => fn({ signal: new AbortController().signal })),
} as unknown as Policy;

/** etcd: the etcd3 client over all endpoints, plus one single-endpoint client per endpoint. */
export class EtcdPutter implements Putter {
  readonly #all: Etcd3;
  readonly #single = new Map<string, Etcd3>();
  readonly #mode: ClientSpec["mode"];

  constructor(endpoints: string[], mode: ClientSpec["mode"]) {
    this.#mode = mode;
    this.#all = new Etcd3(this.#options(endpoints.map((e) => `http://${e}`)));
    for (const ep of endpoints) this.#single.set(ep, new Etcd3(this.#options(`http://${ep}`)));
  }

  #options(hosts: string | string[]): IOptions {
    if (this.#mode === "default") return { hosts };
    return { hosts, faultHandling: { global: passThrough, host: () => passThrough } };
  }

  async put(key: string, value: string, deadlineMs?: number): Promise<void> {
    const b = this.#all.put(key).value(value);
    if (deadlineMs !== undefined) b.options({ deadline: Date.now() + deadlineMs });
    await b.exec();
  }

  async putAt(endpoint: string, key: string, value: string, deadlineMs: number): Promise<void> {
    const c = this.#single.get(endpoint);
    if (!c) throw new Error(`unknown endpoint ${endpoint}`);
    await c
      .put(key)
      .value(value)
      .options({ deadline: Date.now() + deadlineMs })
      .exec();
  }

  close(): void {
    this.#all.close();
    for (const c of this.#single.values()) c.close();
  }
}

export function makePutter(spec: ClientSpec): Putter {
  return spec.system === "raftvs"
    ? new RaftvsPutter(spec.endpoints)
    : new EtcdPutter(spec.endpoints, spec.mode);
}
