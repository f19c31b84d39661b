// The admin client raftvsctl uses: calls a node's Cluster/KV/Services services with the caller's
// credentials (bearer token and/or TLS client certificate), trying each endpoint in turn.

import {
  type ChannelCredentials,
  type Client,
  credentials,
  Metadata,
  type ServiceError,
  status,
} from "@grpc/grpc-js";
import { ClusterService, KvService, ServicesService } from "../admin/index.ts";

export class CtlError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CtlError";
    this.exitCode = exitCode;
  }
}

type Service = "Cluster" | "KV" | "Services";

const CONSTRUCTORS = { Cluster: ClusterService, KV: KvService, Services: ServicesService };

export interface ClientCredentialsOptions {
  token?: string;
  /** PEM contents: the CA that signed the servers' certificates (turns TLS on). */
  caPem?: Buffer;
  certPem?: Buffer;
  keyPem?: Buffer;
}

export class AdminClient {
  readonly endpoints: string[];
  readonly timeoutMs: number;
  readonly #clients = new Map<string, Client>();
  readonly #creds: ChannelCredentials;
  readonly #token: string | undefined;

  constructor(endpoints: string[], timeoutMs: number, auth: ClientCredentialsOptions = {}) {
    this.endpoints = endpoints;
    this.timeoutMs = timeoutMs;
    this.#token = auth.token;
    this.#creds = auth.caPem
      ? credentials.createSsl(auth.caPem, auth.keyPem ?? null, auth.certPem ?? null)
      : credentials.createInsecure();
  }

  #metadata(): Metadata {
    const md = new Metadata();
    if (this.#token) md.set("authorization", `Bearer ${this.#token}`);
    return md;
  }

  /** A server-streaming call (Watch) on the first endpoint. */
  stream(
    service: Service,
    method: string,
    req: object,
    endpoint = this.endpoints[0]!,
  ): NodeJS.ReadableStream & { cancel(): void } {
    const client = this.#client(service, endpoint) as unknown as Record<
      string,
      (...a: unknown[]) => NodeJS.ReadableStream & { cancel(): void }
    >;
    return client[method]!.call(client, req, this.#metadata());
  }

  #client(service: Service, endpoint: string): Client {
    const key = `${service}@${endpoint}`;
    let c = this.#clients.get(key);
    if (!c) {
      // A listing of a large table runs past gRPC's default 4 MiB.
      c = new CONSTRUCTORS[service](endpoint, this.#creds, {
        "grpc.max_receive_message_length": 256 * 1024 * 1024,
      });
      this.#clients.set(key, c);
    }
    return c;
  }

  /** One call on one endpoint. */
  callAt<Res>(endpoint: string, service: Service, method: string, req: object): Promise<Res> {
    const client = this.#client(service, endpoint) as unknown as Record<string, (...a: unknown[]) => void>;
    return new Promise((resolve, reject) => {
      client[method]!.call(
        client,
        req,
        this.#metadata(),
        { deadline: Date.now() + this.timeoutMs },
        (err: ServiceError | null, res: Res) => (err ? reject(err) : resolve(res)),
      );
    });
  }

  /** The call on the first endpoint that is reachable; errors other than unreachability are final. */
  async call<Res>(service: Service, method: string, req: object): Promise<Res> {
    let last: ServiceError | undefined;
    for (const ep of this.endpoints) {
      try {
        return await this.callAt<Res>(ep, service, method, req);
      } catch (err) {
        const e = err as ServiceError;
        if (e.code !== status.UNAVAILABLE && e.code !== status.DEADLINE_EXCEEDED) throw describe(e, ep);
        last = e;
      }
    }
    throw new CtlError(
      `no endpoint answered (${this.endpoints.join(", ")}): ${last?.details ?? "unreachable"}`,
      4,
    );
  }

  close(): void {
    for (const c of this.#clients.values()) c.close();
  }
}

/** A readable error for a failed call, with an exit code scripts can rely on. */
export function describe(e: ServiceError, endpoint: string): CtlError {
  const codeName = status[e.code] ?? String(e.code);
  const exit =
    e.code === status.INVALID_ARGUMENT
      ? 2
      : e.code === status.FAILED_PRECONDITION
        ? 3
        : e.code === status.UNAVAILABLE
          ? 4
          : 1;
  return new CtlError(`${endpoint}: ${codeName}: ${e.details}`, exit);
}
