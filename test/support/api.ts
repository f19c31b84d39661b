// A client of the nodes' admin API for tests: one channel per endpoint and service with fast
// reconnects (a restarted node is reachable again within ~0.5 s), a deadline on every call, and
// a classification of errors into "certainly not applied" and "outcome unknown".

import { type Client, credentials, type ServiceError, status } from "@grpc/grpc-js";
import { ClusterService, KvService } from "../../internal/admin/index.ts";
import type { NodeStatus__Output } from "../../proto/gen/raftvs/v1/NodeStatus.ts";

export type NodeStatus = NodeStatus__Output;

export interface GetResult {
  found: boolean;
  value: string;
  modRevision: number;
  revision: number;
}

export interface Member {
  id: number;
  peerAddress: string;
  clientAddress: string;
  learner: boolean;
}

type Service = "Cluster" | "KV";

const CHANNEL_OPTIONS = {
  "grpc.initial_reconnect_backoff_ms": 50,
  "grpc.max_reconnect_backoff_ms": 300,
  "grpc.enable_retries": 0,
  "grpc.use_local_subchannel_pool": 1,
  "grpc.max_send_message_length": 64 * 1024 * 1024,
  "grpc.max_receive_message_length": 64 * 1024 * 1024,
};

export class Api {
  readonly timeoutMs: number;
  readonly #clients = new Map<string, Client>();

  constructor(timeoutMs = 3000) {
    this.timeoutMs = timeoutMs;
  }

  #client(service: Service, endpoint: string): Client {
    const key = `${service}@${endpoint}`;
    let c = this.#clients.get(key);
    if (!c) {
      const Ctor = service === "Cluster" ? ClusterService : KvService;
      c = new Ctor(endpoint, credentials.createInsecure(), CHANNEL_OPTIONS);
      this.#clients.set(key, c);
    }
    return c;
  }

  call<Res>(
    endpoint: string,
    service: Service,
    method: string,
    req: object,
    timeoutMs = this.timeoutMs,
  ): Promise<Res> {
    const client = this.#client(service, endpoint) as unknown as Record<string, (...a: unknown[]) => void>;
    return new Promise((resolve, reject) => {
      client[method]!.call(
        client,
        req,
        { deadline: Date.now() + timeoutMs },
        (err: ServiceError | null, res: Res) => (err ? reject(err) : resolve(res)),
      );
    });
  }

  put(endpoint: string, key: string, value: string, timeoutMs?: number): Promise<{ revision: number }> {
    return this.call(endpoint, "KV", "Put", { key, value }, timeoutMs);
  }

  get(
    endpoint: string,
    key: string,
    opts: { serializable?: boolean; timeoutMs?: number } = {},
  ): Promise<GetResult> {
    return this.call(
      endpoint,
      "KV",
      "Get",
      { key, serializable: opts.serializable ?? false },
      opts.timeoutMs,
    );
  }

  status(endpoint: string, timeoutMs = 1000): Promise<NodeStatus> {
    return this.call(endpoint, "Cluster", "Status", {}, timeoutMs);
  }

  /** Status, or undefined when the node does not answer. */
  async tryStatus(endpoint: string, timeoutMs = 1000): Promise<NodeStatus | undefined> {
    try {
      return await this.status(endpoint, timeoutMs);
    } catch {
      return undefined;
    }
  }

  close(): void {
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }
}

/** The node's own error code (trailing metadata "raftvs-error-code"), if the error carries one. */
export function nodeErrorCode(err: unknown): string | undefined {
  const md = (err as Partial<ServiceError> | undefined)?.metadata;
  const v = md?.get("raftvs-error-code")[0];
  return v === undefined ? undefined : String(v);
}

/**
 * True when a failed write certainly did not take effect: it never left this process (no
 * connection), or the node refused it before proposing (not the leader, invalid, slot lost).
 * Everything else (timeouts, dropped connections, forwarding failures) has an unknown outcome.
 */
export function definitelyNotApplied(err: unknown): boolean {
  const code = nodeErrorCode(err);
  if (code === "NODE_NOT_LEADER" || code === "NODE_PROPOSAL_LOST" || code === "NODE_INVALID_ARGUMENT")
    return true;
  const e = err as Partial<ServiceError>;
  return (
    code === undefined && e.code === status.UNAVAILABLE && /No connection established/.test(e.details ?? "")
  );
}

/** "CODE: details" of a gRPC error, for messages. */
export function describeError(err: unknown): string {
  const e = err as Partial<ServiceError>;
  if (typeof e?.code === "number") return `${status[e.code] ?? e.code}: ${e.details ?? ""}`;
  return err instanceof Error ? err.message : String(err);
}
