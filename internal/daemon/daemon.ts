// Wires one raftvsd node: durable storage, the Raft node, the peer transport and the client API;
// and takes them down in order on shutdown.

import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import { ClientServer } from "../admin/index.ts";
import type { DaemonConfig } from "../config/index.ts";
import { RaftNode } from "../node/index.ts";
import { DurableStorage } from "../storage/index.ts";
import { PeerTransport } from "../transport/index.ts";
import { bootstrapStateData } from "./bootstrap.ts";

function splitHostPort(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(":");
  return { host: addr.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(addr.slice(i + 1)) };
}

export class Daemon {
  readonly node: RaftNode;
  readonly storage: DurableStorage;
  readonly transport: PeerTransport;
  readonly client: ClientServer;
  readonly #log: Logger;
  #closing: Promise<void> | undefined;

  private constructor(parts: {
    node: RaftNode;
    storage: DurableStorage;
    transport: PeerTransport;
    client: ClientServer;
    log: Logger;
  }) {
    this.node = parts.node;
    this.storage = parts.storage;
    this.transport = parts.transport;
    this.client = parts.client;
    this.#log = parts.log;
  }

  static async start(config: DaemonConfig, log: Logger, onFatal: (err: Error) => void): Promise<Daemon> {
    const storage = await DurableStorage.open({
      dir: config.dataDir,
      clusterId: config.clusterId,
      nodeId: config.id,
      ...(config.join
        ? {}
        : {
            initialVoters: config.initialCluster.map((m) => m.id),
            initialData: bootstrapStateData(config.initialCluster),
          }),
      logger: log.child({ component: "storage" }),
    });
    const r = config.raft;
    const node = new RaftNode({
      id: config.id,
      storage,
      tickMs: r.tickMs,
      raft: {
        electionTicks: r.electionTicks,
        heartbeatTicks: r.heartbeatTicks,
        maxInflightMsgs: r.maxInflightMsgs,
        maxSizePerMsgBytes: r.maxSizePerMsgBytes,
        leaseMarginTicks: r.leaseMarginTicks,
        // Apply at most ~1 MiB of entries per turn, so heartbeats never wait behind a big backlog.
        maxCommittedSizePerReadyBytes: 1024 * 1024,
        randomSeed: (config.id * 7919 + Date.now()) % 2 ** 31,
      },
      snapshotEveryEntries: r.snapshotEveryEntries,
      snapshotKeepEntries: r.snapshotKeepEntries,
      // An entry travels in one peer message, with room for the batch around it.
      maxEntryBytes: r.peerMaxMessageBytes - 64 * 1024,
      logger: log.child({ component: "raft" }),
      onFatal,
    });
    const tlsFiles = config.tls.peer;
    const transport = await PeerTransport.start({
      nodeId: config.id,
      clusterId: config.clusterId,
      listen: splitHostPort(config.listen.peer),
      peers: new Map(),
      advertiseAddress: config.listen.peer,
      maxMessageBytes: r.peerMaxMessageBytes,
      ...(tlsFiles
        ? {
            tls: {
              caPem: readFileSync(tlsFiles.ca),
              certPem: readFileSync(tlsFiles.cert),
              keyPem: readFileSync(tlsFiles.key),
            },
          }
        : {}),
      logger: log.child({ component: "transport" }),
      onMessages: (msgs) => node.receive(msgs),
      onUnreachable: (peer) => node.reportUnreachable(peer),
      onSnapshotStatus: (peer, ok) => node.reportSnapshot(peer, ok),
    });
    node.start(transport);
    // A joining node knows no member directory yet: reach the members it was given until the
    // leader's snapshot brings the directory (which then takes over).
    if (config.join)
      for (const m of config.initialCluster) if (m.id !== config.id) transport.setPeer(m.id, m.peer);
    const clientTls = config.tls.client;
    const client = await ClientServer.start({
      address: config.listen.client,
      node,
      clusterId: config.clusterId,
      requestTimeoutMs: config.requestTimeoutMs,
      auth: {
        tokens: config.auth.tokens,
        clientCertRoles: config.auth.clientCertRoles,
        open: config.auth.tokens.length === 0 && !clientTls?.ca,
      },
      ...(clientTls
        ? {
            tls: {
              certPem: readFileSync(clientTls.cert),
              keyPem: readFileSync(clientTls.key),
              ...(clientTls.ca ? { caPem: readFileSync(clientTls.ca) } : {}),
            },
          }
        : {}),
    });
    if (config.auth.tokens.length === 0 && !clientTls?.ca)
      log.warn(
        { client: config.listen.client },
        "the client API is open (no tokens, no client CA): loopback only",
      );
    log.info(
      {
        id: config.id,
        peer: config.listen.peer,
        client: config.listen.client,
        dataDir: config.dataDir,
        newData: storage.isNew,
      },
      "raftvsd ready",
    );
    return new Daemon({ node, storage, transport, client, log });
  }

  /** Graceful stop in dependency order: clients, then Raft, then peers, then the disk. Idempotent. */
  close(graceMs: number): Promise<void> {
    this.#closing ??= (async () => {
      const timer = setTimeout(() => {
        this.#log.warn({ graceMs }, "graceful shutdown took too long; forcing");
        this.client.destroy();
      }, graceMs);
      timer.unref();
      await this.client.close();
      await this.node.close();
      await this.transport.close();
      await this.storage.close();
      clearTimeout(timer);
      this.#log.info("raftvsd stopped");
    })();
    return this.#closing;
  }
}
