// The client-facing gRPC server of a node: Cluster, KV and Services, the standard health service
// and server reflection, on the node's client address; optionally TLS, with tokens or client certs.

import { type ChannelCredentials, credentials, Server, ServerCredentials } from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation } from "grpc-health-check";
import type { RaftNode } from "../node/index.ts";
import { Authorizer, type AuthSettings } from "./auth.ts";
import { LeaderForwarder } from "./leader-forwarder.ts";
import { adminProtoDefinition, ClusterService, KvService, ServicesService } from "./proto.ts";
import { clusterService, kvService } from "./services.ts";
import { tableService } from "./table-service.ts";

export interface ClientTls {
  caPem?: Buffer;
  certPem: Buffer;
  keyPem: Buffer;
}

export interface ClientServerOptions {
  address: string;
  node: RaftNode;
  clusterId: string;
  requestTimeoutMs: number;
  auth: AuthSettings;
  /** TLS on the client port; with `caPem`, clients must present a certificate from that CA. */
  tls?: ClientTls;
}

export class ClientServer {
  readonly port: number;
  readonly #server: Server;
  readonly #forwarder: LeaderForwarder;

  private constructor(server: Server, port: number, forwarder: LeaderForwarder) {
    this.#server = server;
    this.port = port;
    this.#forwarder = forwarder;
  }

  static async start(opts: ClientServerOptions): Promise<ClientServer> {
    const server = new Server({ "grpc.max_receive_message_length": 16 * 1024 * 1024 });
    let forwardCreds: ChannelCredentials = credentials.createInsecure();
    let serverCreds = ServerCredentials.createInsecure();
    if (opts.tls) {
      serverCreds = ServerCredentials.createSsl(
        opts.tls.caPem ?? null,
        [{ cert_chain: opts.tls.certPem, private_key: opts.tls.keyPem }],
        opts.tls.caPem !== undefined,
      );
      forwardCreds = credentials.createSsl(opts.tls.caPem ?? null, opts.tls.keyPem, opts.tls.certPem);
    }
    const forwarder = new LeaderForwarder(opts.node, forwardCreds);
    const ctx = {
      node: opts.node,
      clusterId: opts.clusterId,
      forwarder,
      auth: new Authorizer(opts.auth),
      requestTimeoutMs: opts.requestTimeoutMs,
    };
    server.addService(ClusterService.service, clusterService(ctx));
    server.addService(KvService.service, kvService(ctx));
    server.addService(ServicesService.service, tableService(ctx));
    const health = new HealthImplementation({
      "": "SERVING",
      "raftvs.v1.Cluster": "SERVING",
      "raftvs.v1.KV": "SERVING",
      "raftvs.v1.Services": "SERVING",
    });
    health.addToServer(server);
    new ReflectionService(adminProtoDefinition).addToServer(server);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(opts.address, serverCreds, (err, p) => (err ? reject(err) : resolve(p))),
    );
    return new ClientServer(server, port, forwarder);
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
