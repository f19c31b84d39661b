// The client-facing gRPC server of a node: Cluster and KV services, the standard health service
// and server reflection, on the node's client address.

import { Server, ServerCredentials } from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation } from "grpc-health-check";
import type { RaftNode } from "../node/index.ts";
import { LeaderForwarder } from "./leader-forwarder.ts";
import { adminProtoDefinition, ClusterService, KvService } from "./proto.ts";
import { clusterService, kvService } from "./services.ts";

export interface ClientServerOptions {
  address: string;
  node: RaftNode;
  clusterId: string;
  requestTimeoutMs: number;
}

export class ClientServer {
  readonly port: number;
  readonly #server: Server;
  readonly #forwarder: LeaderForwarder;
  readonly health: HealthImplementation;

  private constructor(
    server: Server,
    port: number,
    forwarder: LeaderForwarder,
    health: HealthImplementation,
  ) {
    this.#server = server;
    this.port = port;
    this.#forwarder = forwarder;
    this.health = health;
  }

  static async start(opts: ClientServerOptions): Promise<ClientServer> {
    const server = new Server({ "grpc.max_receive_message_length": 4 * 1024 * 1024 });
    const forwarder = new LeaderForwarder(opts.node);
    const ctx = {
      node: opts.node,
      clusterId: opts.clusterId,
      forwarder,
      requestTimeoutMs: opts.requestTimeoutMs,
    };
    server.addService(ClusterService.service, clusterService(ctx));
    server.addService(KvService.service, kvService(ctx));
    const health = new HealthImplementation({
      "": "SERVING",
      "raftvs.v1.Cluster": "SERVING",
      "raftvs.v1.KV": "SERVING",
    });
    health.addToServer(server);
    new ReflectionService(adminProtoDefinition).addToServer(server);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(opts.address, ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    return new ClientServer(server, port, forwarder, health);
  }

  /** Graceful: stops accepting calls and waits for running ones (bounded by the caller). */
  close(): Promise<void> {
    this.#forwarder.close();
    return new Promise((resolve) => this.#server.tryShutdown(() => resolve()));
  }

  destroy(): void {
    this.#forwarder.close();
    this.#server.forceShutdown();
  }
}
