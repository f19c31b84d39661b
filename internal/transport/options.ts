// The transport's options, their defaults (every limit has one) and their validation before start.
import { constants as bufferConstants } from "node:buffer";
import type { Logger } from "pino";
import type { Message, NodeId } from "../raft/index.ts";
import { TransportError, TransportErrorCode } from "./errors.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** PEM material for mutual TLS: every node holds a certificate signed by the cluster CA. */
export interface TlsMaterial {
  caPem: Buffer;
  certPem: Buffer;
  keyPem: Buffer;
}

export interface TransportLimits {
  /** Largest encoded batch or snapshot chunk, sent or received (gRPC message limits). */
  maxMessageBytes: number;
  /** Largest snapshot this node accepts. */
  maxSnapshotBytes: number;
  /** Snapshot data per chunk (capped to fit in maxMessageBytes). */
  snapshotChunkBytes: number;
  /** Messages waiting per peer while its stream connects or is backpressured; more are dropped. */
  maxQueuedMessages: number;
  /** Encoded bytes waiting per peer, same rule. */
  maxQueuedBytes: number;
  /** Reconnect backoff: first delay, doubling up to the max, with jitter. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** A stream not accepted by the peer within this time is abandoned and retried. */
  openTimeoutMs: number;
  /** HTTP/2 keepalive pings, so a dead or frozen peer is noticed without traffic failing. */
  keepaliveIntervalMs: number;
  keepaliveTimeoutMs: number;
  /** An incoming snapshot with no chunk for this long is dropped. */
  snapshotIdleTimeoutMs: number;
  /** Snapshots received at once (each may hold up to maxSnapshotBytes in memory). */
  maxIncomingSnapshots: number;
  /** Inbound connections held at once; more are refused. */
  maxConnections: number;
  /** close() waits this long for streams to finish before it forces them. */
  shutdownGraceMs: number;
}

export const TRANSPORT_DEFAULTS: Readonly<TransportLimits> = Object.freeze({
  maxMessageBytes: 8 * MiB,
  maxSnapshotBytes: 1 * GiB,
  snapshotChunkBytes: 1 * MiB,
  maxQueuedMessages: 4096,
  maxQueuedBytes: 64 * MiB,
  reconnectInitialMs: 50,
  reconnectMaxMs: 2000,
  openTimeoutMs: 2000,
  keepaliveIntervalMs: 5000,
  keepaliveTimeoutMs: 5000,
  snapshotIdleTimeoutMs: 30_000,
  maxIncomingSnapshots: 2,
  maxConnections: 1024,
  shutdownGraceMs: 2000,
});

export interface PeerTransportOptions extends Partial<TransportLimits> {
  nodeId: NodeId;
  clusterId: string;
  /** Where to listen; port 0 picks a free port (see PeerTransport.port). */
  listen: { host: string; port: number };
  /** Peer id to "host:port" (IPv6 as "[::1]:port"). */
  peers: Map<NodeId, string>;
  /** Mutual TLS when set: peers must present a certificate from caPem, and so must we. */
  tls?: TlsMaterial;
  /** The address peers reach us at, sent with every batch (default: the listen address). */
  advertiseAddress?: string;
  logger: Logger;
  /** A validated batch from a peer (or one reassembled Snap message). Never called inside send(). */
  onMessages(msgs: Message[]): void;
  /** A stream to `peer` failed or its queue overflowed: Raft should fall back to probing. */
  onUnreachable(peer: NodeId): void;
  /** The outcome of a Snap message sent to `peer`, reported exactly once per Snap message. */
  onSnapshotStatus(peer: NodeId, ok: boolean): void;
}

export interface ResolvedOptions extends TransportLimits {
  nodeId: NodeId;
  clusterId: string;
  listen: { host: string; port: number };
  peers: Map<NodeId, string>;
  tls: TlsMaterial | undefined;
  /** Set at start (the listen address with the bound port unless given). */
  advertiseAddress: string;
}

const MAX_CLUSTER_ID_CHARS = 128;
const ADDRESS_RE = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):(\d{1,5})$/;

function invalid(message: string): never {
  throw new TransportError(TransportErrorCode.InvalidOptions, message);
}

/** Checks a node id: a positive safe integer. */
export function checkNodeId(id: unknown, what: string): asserts id is NodeId {
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0)
    invalid(`${what} must be a positive integer, got ${String(id)}`);
}

/** Checks a peer address "host:port" (IPv6 in brackets). */
export function checkAddress(address: unknown, what: string): asserts address is string {
  const m = typeof address === "string" ? ADDRESS_RE.exec(address) : null;
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65535)
    invalid(`${what} must be "host:port" (IPv6 as "[addr]:port"), got ${JSON.stringify(address)}`);
}

function checkInt(value: number, what: string, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    invalid(`${what} must be an integer in [${min}, ${max}], got ${String(value)}`);
}

/** Fills in defaults and validates everything; throws TransportError(InvalidOptions) naming the field. */
export function resolveOptions(opts: PeerTransportOptions): ResolvedOptions {
  checkNodeId(opts.nodeId, "nodeId");
  if (typeof opts.clusterId !== "string" || opts.clusterId.length === 0)
    invalid("clusterId must be a non-empty string");
  if (opts.clusterId.length > MAX_CLUSTER_ID_CHARS)
    invalid(`clusterId must be at most ${MAX_CLUSTER_ID_CHARS} characters`);
  if (typeof opts.listen?.host !== "string" || opts.listen.host.length === 0)
    invalid("listen.host must be a non-empty string");
  checkInt(opts.listen.port, "listen.port", 0, 65535);
  if (!(opts.peers instanceof Map)) invalid("peers must be a Map of node id to address");
  for (const [id, address] of opts.peers) {
    checkNodeId(id, "peers key");
    if (id === opts.nodeId) invalid(`peers must not contain this node (${id})`);
    checkAddress(address, `peers[${id}]`);
  }
  if (opts.tls !== undefined) {
    for (const key of ["caPem", "certPem", "keyPem"] as const)
      if (!Buffer.isBuffer(opts.tls[key]) || opts.tls[key].length === 0)
        invalid(`tls.${key} must be a non-empty Buffer of PEM`);
  }
  for (const key of ["onMessages", "onUnreachable", "onSnapshotStatus"] as const)
    if (typeof opts[key] !== "function") invalid(`${key} must be a function`);
  if (typeof opts.logger?.child !== "function") invalid("logger must be a pino logger");

  const limits: TransportLimits = { ...TRANSPORT_DEFAULTS };
  for (const key of Object.keys(TRANSPORT_DEFAULTS) as (keyof TransportLimits)[]) {
    const value = opts[key];
    if (value !== undefined) limits[key] = value;
  }
  // gRPC message limits are 32-bit signed; a snapshot must fit in one Buffer.
  checkInt(limits.maxMessageBytes, "maxMessageBytes", 64 * KiB, 2 ** 31 - 1);
  checkInt(limits.maxSnapshotBytes, "maxSnapshotBytes", 1, bufferConstants.MAX_LENGTH);
  checkInt(limits.snapshotChunkBytes, "snapshotChunkBytes", 1, 1 * MiB);
  checkInt(limits.maxQueuedMessages, "maxQueuedMessages", 1, 1_000_000);
  checkInt(limits.maxQueuedBytes, "maxQueuedBytes", 1, 16 * GiB);
  checkInt(limits.reconnectInitialMs, "reconnectInitialMs", 1, 60_000);
  checkInt(limits.reconnectMaxMs, "reconnectMaxMs", limits.reconnectInitialMs, 600_000);
  checkInt(limits.openTimeoutMs, "openTimeoutMs", 1, 600_000);
  checkInt(limits.keepaliveIntervalMs, "keepaliveIntervalMs", 1000, 3_600_000);
  checkInt(limits.keepaliveTimeoutMs, "keepaliveTimeoutMs", 1000, 600_000);
  checkInt(limits.snapshotIdleTimeoutMs, "snapshotIdleTimeoutMs", 1, 3_600_000);
  checkInt(limits.maxIncomingSnapshots, "maxIncomingSnapshots", 1, 64);
  checkInt(limits.maxConnections, "maxConnections", 1, 1_000_000);
  checkInt(limits.shutdownGraceMs, "shutdownGraceMs", 0, 600_000);
  // A data chunk must fit in one gRPC message, with room for its framing.
  limits.snapshotChunkBytes = Math.min(limits.snapshotChunkBytes, limits.maxMessageBytes - 64);

  return {
    ...limits,
    nodeId: opts.nodeId,
    clusterId: opts.clusterId,
    listen: { host: opts.listen.host, port: opts.listen.port },
    peers: new Map(opts.peers),
    tls: opts.tls,
    advertiseAddress: opts.advertiseAddress ?? "",
  };
}
