// Forwards a write that reached a follower to the leader's client endpoint (one hop: a forwarded
// call carries a marker and is never forwarded again), with the caller's bearer token.

import { type ChannelCredentials, type Client, credentials, Metadata } from "@grpc/grpc-js";
import type { RaftNode } from "../node/index.ts";
import { ClusterService, KvService, ServicesService } from "./proto.ts";

export const FORWARDED_MARKER = "raftvs-forwarded";

export type ServiceName = "Cluster" | "KV" | "Services";

const CONSTRUCTORS = { Cluster: ClusterService, KV: KvService, Services: ServicesService };

export class LeaderForwarder {
  readonly #node: RaftNode;
  readonly #creds: ChannelCredentials;
  readonly #clients = new Map<string, Client>();

  constructor(node: RaftNode, creds: ChannelCredentials = credentials.createInsecure()) {
    this.#node = node;
    this.#creds = creds;
  }

  /** The leader's client address, or undefined when no leader is known or it has no address. */
  leaderAddress(): string | undefined {
    const lead = this.#node.leaderId();
    if (!lead || lead === this.#node.id) return undefined;
    const addr = this.#node.state.members.get(lead)?.clientAddress;
    return addr ? addr : undefined;
  }

  #client(service: ServiceName, address: string): Client {
    const key = `${service}@${address}`;
    let c = this.#clients.get(key);
    if (!c) {
      c = new CONSTRUCTORS[service](address, this.#creds);
      this.#clients.set(key, c);
    }
    return c;
  }

  /** Calls `method` on the leader with the same request; rejects with the leader's error as is. */
  call<Res>(
    service: ServiceName,
    method: string,
    req: unknown,
    address: string,
    timeoutMs: number,
    callerMetadata: Metadata,
  ): Promise<Res> {
    const client = this.#client(service, address) as unknown as Record<string, (...args: unknown[]) => void>;
    const md = new Metadata();
    md.set(FORWARDED_MARKER, String(this.#node.id));
    const authorization = callerMetadata.get("authorization")[0];
    if (authorization !== undefined) md.set("authorization", authorization);
    return new Promise((resolve, reject) => {
      client[method]!.call(
        client,
        req,
        md,
        { deadline: Date.now() + timeoutMs },
        (err: Error | null, res: Res) => (err ? reject(err) : resolve(res)),
      );
    });
  }

  close(): void {
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }
}
