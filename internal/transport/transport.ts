// PeerTransport: the Raft node's link to its peers. One outbound Stream per peer, a gRPC server
// for the peers' streams and snapshots, and one lifecycle (close, destroy) over all of it.
import { type ConnectionInjector, Server, ServerCredentials } from "@grpc/grpc-js";
import type { Logger } from "pino";
import { type Message, MessageType, type NodeId } from "../raft/index.ts";
import { encodeMessage } from "./codec.ts";
import { TransportError, TransportErrorCode } from "./errors.ts";
import type { InboundContext } from "./inbound.ts";
import { PeerListener } from "./listener.ts";
import {
  checkAddress,
  checkNodeId,
  type PeerTransportOptions,
  type ResolvedOptions,
  resolveOptions,
} from "./options.ts";
import { type PeerStats, PeerStream } from "./peer.ts";
import { type RaftMessage, raftTransportService } from "./proto.ts";
import { serveSnapshot } from "./snapshot-server.ts";
import { serveStream } from "./stream-server.ts";

type Lifecycle = "open" | "closing" | "closed";

export class PeerTransport {
  readonly #opts: ResolvedOptions;
  readonly #user: PeerTransportOptions;
  readonly #log: Logger;
  readonly #peers = new Map<NodeId, PeerStream>();
  readonly #inbound: InboundContext;
  #server: Server | undefined;
  #injector: ConnectionInjector | undefined;
  #listener: PeerListener | undefined;
  #state: Lifecycle = "open";
  #closing: Promise<void> | undefined;
  #resolveClosed: () => void = () => {};
  /** Resolves once the transport is fully closed (by close() or destroy()). */
  readonly closed: Promise<void>;

  private constructor(user: PeerTransportOptions, opts: ResolvedOptions) {
    this.#user = user;
    this.#opts = opts;
    this.#log = user.logger;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#inbound = {
      self: { nodeId: opts.nodeId, clusterId: opts.clusterId },
      opts,
      log: this.#log,
      isKnownPeer: (id) => this.#peers.has(id),
      learnPeer: (id, address) => {
        if (this.#peers.has(id) || this.#state !== "open") return;
        try {
          checkAddress(address, `the address peer ${id} advertises`);
        } catch (err) {
          this.#log.warn(
            { peer: id, address, err: (err as Error).message },
            "ignored a bad advertised peer address",
          );
          return;
        }
        this.#log.info({ peer: id, address }, "learned a peer's address from its stream");
        this.setPeer(id, address);
      },
      deliver: (msgs) => this.#deliver(msgs),
      calls: new Set(),
      closing: () => this.#state !== "open",
      incomingSnapshots: 0,
    };
  }

  /** Validates the options, binds the listener and opens a stream to every peer. */
  static async start(options: PeerTransportOptions): Promise<PeerTransport> {
    const opts = resolveOptions(options);
    const t = new PeerTransport(options, opts);
    const server = new Server({
      "grpc.max_receive_message_length": opts.maxMessageBytes,
      "grpc.max_send_message_length": opts.maxMessageBytes,
      "grpc.keepalive_time_ms": opts.keepaliveIntervalMs,
      "grpc.keepalive_timeout_ms": opts.keepaliveTimeoutMs,
    });
    server.addService(raftTransportService, {
      Stream: serveStream.bind(null, t.#inbound),
      SendSnapshot: serveSnapshot.bind(null, t.#inbound),
    });
    // TLS (when on) is done by the listener, so the gRPC server sees verified plain streams.
    const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
    t.#server = server;
    t.#injector = injector;
    try {
      t.#listener = await PeerListener.listen({
        host: opts.listen.host,
        port: opts.listen.port,
        tls: opts.tls,
        maxConnections: opts.maxConnections,
        log: t.#log,
        onConnection: (socket) => injector.injectConnection(socket),
      });
    } catch (err) {
      server.forceShutdown();
      const reason = err instanceof Error ? err.message : String(err);
      throw new TransportError(
        TransportErrorCode.ListenFailed,
        `cannot listen on ${opts.listen.host}:${opts.listen.port}: ${reason}`,
        { cause: err },
      );
    }
    if (opts.advertiseAddress === "") {
      const host = opts.listen.host.includes(":") ? `[${opts.listen.host}]` : opts.listen.host;
      opts.advertiseAddress = `${host}:${t.port}`;
    }
    t.#log.info(
      { host: opts.listen.host, port: t.port, tls: opts.tls !== undefined, peers: opts.peers.size },
      "peer transport listening",
    );
    for (const [id, address] of opts.peers) t.setPeer(id, address);
    return t;
  }

  /** The bound port (the real one when listen.port was 0). */
  get port(): number {
    return this.#listener?.port ?? 0;
  }

  /**
   * Sends Raft messages; never blocks. Messages are grouped per peer into one batch each; Snap
   * messages go through SendSnapshot. Messages to unknown peers are dropped (debug log); a Snap
   * to an unknown peer is reported failed. Throws TransportError(InvalidMessage) before sending
   * anything if a message must not leave this node (a bug in the caller), Closed after close().
   */
  send(msgs: readonly Message[]): void {
    this.#assertOpen("send");
    const self = this.#opts.nodeId;
    // Encode (and validate) everything first, so a bad message sends nothing.
    const groups = new Map<NodeId, RaftMessage[]>();
    const snaps: { to: NodeId; header: RaftMessage; data: Uint8Array }[] = [];
    for (const m of msgs) {
      const wire = encodeMessage(m, self);
      if (m.type === MessageType.Snap) {
        snaps.push({ to: m.to, header: wire, data: m.snapshot!.data });
        continue;
      }
      const list = groups.get(m.to);
      if (list) list.push(wire);
      else groups.set(m.to, [wire]);
    }
    for (const [to, list] of groups) this.#sendTo(to, list);
    for (const s of snaps) this.#sendSnapshot(s.to, s.header, s.data);
  }

  #sendTo(to: NodeId, list: RaftMessage[]): void {
    const peer = this.#peers.get(to);
    if (peer) peer.send(list);
    else this.#log.debug({ peer: to, messages: list.length }, "dropped messages to an unknown peer");
  }

  #sendSnapshot(to: NodeId, header: RaftMessage, data: Uint8Array): void {
    const peer = this.#peers.get(to);
    if (peer) {
      peer.sendSnapshot(header, data);
    } else {
      this.#log.warn({ peer: to }, "dropped a snapshot to an unknown peer");
      this.#reportSnapshot(to, false);
    }
  }

  /** Adds a peer or changes its address (restarting its stream); the same address is a no-op. */
  setPeer(id: NodeId, address: string): void {
    this.#assertOpen("setPeer");
    checkNodeId(id, "peer id");
    checkAddress(address, `address of peer ${id}`);
    if (id === this.#opts.nodeId)
      throw new TransportError(TransportErrorCode.InvalidOptions, "setPeer: this node itself");
    const old = this.#peers.get(id);
    if (old?.address === address) return;
    if (old) {
      this.#log.info({ peer: id, from: old.address, to: address }, "peer address changed");
      void old.close(this.#opts.shutdownGraceMs);
    }
    const log = this.#log.child({ peer: id });
    this.#peers.set(
      id,
      new PeerStream(id, address, this.#opts, {
        log,
        unreachable: () => this.#reportUnreachable(id),
        snapshotStatus: (ok) => this.#reportSnapshot(id, ok),
      }),
    );
  }

  /** Forgets a peer: ends its stream; messages to it are dropped from now on. */
  removePeer(id: NodeId): void {
    this.#assertOpen("removePeer");
    const peer = this.#peers.get(id);
    if (!peer) return;
    this.#peers.delete(id);
    this.#log.info({ peer: id }, "peer removed");
    void peer.close(this.#opts.shutdownGraceMs);
  }

  /** Counters per peer, copied. */
  stats(): Map<NodeId, PeerStats> {
    const out = new Map<NodeId, PeerStats>();
    for (const [id, peer] of this.#peers) out.set(id, peer.stats());
    return out;
  }

  // ---- callbacks to the user: never inside send(), never after close() ----

  #deliver(msgs: Message[]): void {
    if (this.#state !== "open") return;
    try {
      this.#user.onMessages(msgs);
    } catch (err) {
      this.#log.error({ err }, "onMessages threw; the batch is lost");
    }
  }

  #reportUnreachable(peer: NodeId): void {
    queueMicrotask(() => {
      if (this.#state !== "open") return;
      try {
        this.#user.onUnreachable(peer);
      } catch (err) {
        this.#log.error({ err, peer }, "onUnreachable threw");
      }
    });
  }

  #reportSnapshot(peer: NodeId, ok: boolean): void {
    queueMicrotask(() => {
      if (this.#state !== "open") return;
      try {
        this.#user.onSnapshotStatus(peer, ok);
      } catch (err) {
        this.#log.error({ err, peer }, "onSnapshotStatus threw");
      }
    });
  }

  #assertOpen(what: string): void {
    if (this.#state !== "open")
      throw new TransportError(TransportErrorCode.Closed, `${what}: transport is closed`);
  }

  // ---- lifecycle ----

  /**
   * Graceful: ends our streams (peers answer OK), ends the peers' streams to us with UNAVAILABLE,
   * stops listening, and forces whatever is left after shutdownGraceMs. Safe to call again.
   */
  close(): Promise<void> {
    this.#closing ??= this.#closeGracefully();
    return this.#closing;
  }

  async #closeGracefully(): Promise<void> {
    this.#state = "closing";
    const grace = this.#opts.shutdownGraceMs;
    const peers = [...this.#peers.values()];
    this.#peers.clear();
    for (const call of [...this.#inbound.calls]) call.shutdown();
    const server = this.#server!;
    const serverDown = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    this.#injector?.drain(grace);
    await Promise.all([...peers.map((p) => p.close(grace)), this.#withDeadline(serverDown, grace)]);
    server.forceShutdown();
    const listener = this.#listener!;
    const listenerDown = listener.close();
    if (!(await this.#withDeadline(listenerDown, grace))) listener.destroy();
    await listenerDown;
    this.#finish();
  }

  /** Whether `p` settled within ms. */
  async #withDeadline(p: Promise<void>, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const ok = await Promise.race([p.then(() => true), timeout]);
    clearTimeout(timer);
    return ok;
  }

  /** Forced: cancels every call and drops every connection now. Safe to call again. */
  destroy(): void {
    if (this.#state === "closed") return;
    this.#state = "closing";
    for (const peer of this.#peers.values()) peer.destroy();
    this.#peers.clear();
    for (const call of [...this.#inbound.calls]) call.shutdown();
    this.#server?.forceShutdown();
    this.#listener?.destroy();
    this.#closing ??= (this.#listener?.close() ?? Promise.resolve()).then(() => this.#finish());
  }

  #finish(): void {
    this.#state = "closed";
    this.#log.info("peer transport closed");
    this.#resolveClosed();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
