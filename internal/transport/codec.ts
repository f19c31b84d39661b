// Converts Raft messages to and from their protobuf form (proto/raft.proto) and validates both
// ways: outgoing messages from our Raft (a bad one is a bug) and incoming ones from peers (the edge).
import type { Entry__Output } from "../../proto/gen/raftvs/v1/Entry.ts";
import type { EntryType as WireEntryType } from "../../proto/gen/raftvs/v1/EntryType.ts";
import type { MessageType__Output as WireMessageType } from "../../proto/gen/raftvs/v1/MessageType.ts";
import type { SnapshotMetadata__Output } from "../../proto/gen/raftvs/v1/SnapshotMetadata.ts";
import {
  type Entry,
  EntryType,
  type Message,
  MessageType,
  type NodeId,
  type SnapshotMetadata,
} from "../raft/index.ts";
import { TransportError, TransportErrorCode } from "./errors.ts";
import type { MessageBatch__Output, RaftMessage, RaftMessage__Output } from "./proto.ts";

/** The message types that travel; local ones (Hup, Beat, ...) are absent on purpose. */
const TYPE_TO_WIRE: ReadonlyMap<MessageType, WireMessageType> = new Map<MessageType, WireMessageType>([
  [MessageType.Prop, "MESSAGE_TYPE_PROP"],
  [MessageType.App, "MESSAGE_TYPE_APP"],
  [MessageType.AppResp, "MESSAGE_TYPE_APP_RESP"],
  [MessageType.Vote, "MESSAGE_TYPE_VOTE"],
  [MessageType.VoteResp, "MESSAGE_TYPE_VOTE_RESP"],
  [MessageType.PreVote, "MESSAGE_TYPE_PRE_VOTE"],
  [MessageType.PreVoteResp, "MESSAGE_TYPE_PRE_VOTE_RESP"],
  [MessageType.Heartbeat, "MESSAGE_TYPE_HEARTBEAT"],
  [MessageType.HeartbeatResp, "MESSAGE_TYPE_HEARTBEAT_RESP"],
  [MessageType.Snap, "MESSAGE_TYPE_SNAP"],
  [MessageType.TransferLeader, "MESSAGE_TYPE_TRANSFER_LEADER"],
  [MessageType.TimeoutNow, "MESSAGE_TYPE_TIMEOUT_NOW"],
  [MessageType.ReadIndex, "MESSAGE_TYPE_READ_INDEX"],
  [MessageType.ReadIndexResp, "MESSAGE_TYPE_READ_INDEX_RESP"],
]);
const WIRE_TO_TYPE: ReadonlyMap<unknown, MessageType> = new Map(
  [...TYPE_TO_WIRE].map(([type, wire]) => [wire, type]),
);
const ENTRY_TYPE_TO_WIRE: Readonly<Record<EntryType, WireEntryType>> = {
  [EntryType.Normal]: "ENTRY_TYPE_NORMAL",
  [EntryType.ConfChange]: "ENTRY_TYPE_CONF_CHANGE",
};

/** Whether a message of this type may travel between nodes. */
export function isWireType(type: MessageType): boolean {
  return TYPE_TO_WIRE.has(type);
}

function bad(where: string, what: string): never {
  throw new TransportError(TransportErrorCode.InvalidMessage, `${where}: ${what}`);
}

/** A uint64 field as a number: must be a non-negative safe integer (2^64-1 is how -1 arrives). */
function uint(value: unknown, where: string, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    bad(where, `${field} must be a non-negative integer below 2^53, got ${String(value)}`);
  return value;
}

function nodeId(value: unknown, where: string, field: string): NodeId {
  if (uint(value, where, field) === 0) bad(where, `${field} must name a node (non-zero)`);
  return value as NodeId;
}

function bytes(value: unknown, where: string, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) bad(where, `${field} must be bytes`);
  return value;
}

// ---- outgoing ----

/**
 * Our Raft's message as protobuf, without snapshot data (that travels in chunks). Throws
 * TransportError(InvalidMessage) on a message that must not leave this node: a local type,
 * a message to ourselves or not from us, a negative or fractional number.
 */
export function encodeMessage(m: Message, self: NodeId): RaftMessage {
  const where = `outgoing ${m.type} to ${m.to}`;
  const type = TYPE_TO_WIRE.get(m.type);
  if (type === undefined) bad(where, `type ${String(m.type)} never leaves a node`);
  nodeId(m.to, where, "to");
  if (m.to === self) bad(where, "a message to this node itself");
  if (m.type !== MessageType.TransferLeader && m.from !== self)
    bad(where, `from must be this node (${self}), got ${m.from}`);
  const entries = new Array<{ term: number; index: number; type: WireEntryType; data: Uint8Array }>(
    m.entries.length,
  );
  for (let i = 0; i < m.entries.length; i++) {
    const e = m.entries[i]!;
    const type = ENTRY_TYPE_TO_WIRE[e.type];
    if (type === undefined) bad(where, `entries[${i}].type ${String(e.type)} is unknown`);
    entries[i] = {
      term: uint(e.term, where, `entries[${i}].term`),
      index: uint(e.index, where, `entries[${i}].index`),
      type,
      data: bytes(e.data, where, `entries[${i}].data`),
    };
  }
  const out: RaftMessage = {
    type,
    to: m.to,
    from: nodeId(m.from, where, "from"),
    term: uint(m.term, where, "term"),
    logTerm: uint(m.logTerm, where, "logTerm"),
    index: uint(m.index, where, "index"),
    entries,
    commit: uint(m.commit, where, "commit"),
    leaseTick: uint(m.leaseTick, where, "leaseTick"),
    reject: m.reject === true,
    rejectHint: uint(m.rejectHint, where, "rejectHint"),
  };
  if (m.context !== undefined) out.context = bytes(m.context, where, "context");
  if (m.type === MessageType.Snap) {
    const s = m.snapshot;
    if (s === undefined) bad(where, "a Snap message without a snapshot");
    bytes(s.data, where, "snapshot.data");
    out.snapshot = {
      index: uint(s.metadata.index, where, "snapshot.metadata.index"),
      term: uint(s.metadata.term, where, "snapshot.metadata.term"),
      confState: {
        voters: s.metadata.confState.voters.map((id) => nodeId(id, where, "snapshot voter")),
        learners: s.metadata.confState.learners.map((id) => nodeId(id, where, "snapshot learner")),
      },
    };
  }
  return out;
}

// ---- incoming ----

function decodeEntry(e: Entry__Output, where: string, i: number): Entry {
  const type =
    e.type === "ENTRY_TYPE_NORMAL"
      ? EntryType.Normal
      : e.type === "ENTRY_TYPE_CONF_CHANGE"
        ? EntryType.ConfChange
        : bad(where, `entries[${i}].type ${String(e.type)} is unknown`);
  return {
    term: uint(e.term, where, `entries[${i}].term`),
    index: uint(e.index, where, `entries[${i}].index`),
    type,
    data: bytes(e.data, where, `entries[${i}].data`),
  };
}

function decodeMetadata(s: SnapshotMetadata__Output, where: string): SnapshotMetadata {
  const cs = s.confState;
  if (cs === null) bad(where, "snapshot metadata without a conf state");
  return {
    index: uint(s.index, where, "snapshot.index"),
    term: uint(s.term, where, "snapshot.term"),
    confState: {
      voters: cs.voters.map((id) => nodeId(id, where, "snapshot voter")),
      learners: cs.learners.map((id) => nodeId(id, where, "snapshot learner")),
    },
  };
}

/**
 * One message from a peer. `where` prefixes errors. A Snap message keeps its metadata with
 * empty data (the caller fills it); other types must carry no snapshot.
 */
export function decodeMessage(w: RaftMessage__Output, where: string): Message {
  const type = WIRE_TO_TYPE.get(w.type);
  if (type === undefined) bad(where, `type ${String(w.type)} is unknown`);
  const entries = new Array<Entry>(w.entries.length);
  for (let i = 0; i < w.entries.length; i++) entries[i] = decodeEntry(w.entries[i]!, where, i);
  const m: Message = {
    type,
    to: nodeId(w.to, where, "to"),
    from: nodeId(w.from, where, "from"),
    term: uint(w.term, where, "term"),
    logTerm: uint(w.logTerm, where, "logTerm"),
    index: uint(w.index, where, "index"),
    entries,
    commit: uint(w.commit, where, "commit"),
    leaseTick: uint(w.leaseTick, where, "leaseTick"),
    reject: w.reject === true,
    rejectHint: uint(w.rejectHint, where, "rejectHint"),
  };
  if (w.context !== undefined) m.context = bytes(w.context, where, "context");
  if (type === MessageType.Snap) {
    if (w.snapshot === null) bad(where, "a Snap message without snapshot metadata");
    m.snapshot = { metadata: decodeMetadata(w.snapshot, where), data: new Uint8Array(0) };
  } else if (w.snapshot !== null) {
    bad(where, `snapshot metadata on a ${type} message`);
  }
  return m;
}

/** Who we are, for checking what peers send us. */
export interface LocalIdentity {
  nodeId: NodeId;
  clusterId: string;
}

/** Checks the envelope shared by batches and snapshot headers: same cluster, addressed to us. */
export function checkEnvelope(
  env: { clusterId: string; from: unknown; to: unknown },
  self: LocalIdentity,
  where: string,
): NodeId {
  if (env.clusterId !== self.clusterId)
    throw new TransportError(
      TransportErrorCode.ClusterMismatch,
      `${where}: cluster id mismatch: peer is in ${JSON.stringify(env.clusterId)}, ` +
        `this node is in ${JSON.stringify(self.clusterId)}`,
    );
  const from = nodeId(env.from, where, "from");
  if (env.to !== self.nodeId)
    throw new TransportError(
      TransportErrorCode.Misaddressed,
      `${where}: addressed to node ${String(env.to)}, but this is node ${self.nodeId}`,
    );
  return from;
}

/** Checks a message against its envelope: to us, from the sender (TransferLeader names the transferee). */
export function checkAddressing(m: Message, from: NodeId, self: NodeId, where: string): void {
  if (m.to !== self) bad(where, `to is ${m.to}, but the batch is for node ${self}`);
  if (m.from !== from && m.type !== MessageType.TransferLeader)
    bad(where, `from is ${m.from}, but the batch comes from node ${from}`);
}

/** A batch from a peer: validated envelope and messages, or a TransportError naming the fault. */
export function decodeBatch(b: MessageBatch__Output, self: LocalIdentity): { from: NodeId; msgs: Message[] } {
  const from = checkEnvelope(b, self, "batch");
  const msgs = new Array<Message>(b.messages.length);
  for (let i = 0; i < b.messages.length; i++) {
    const where = `batch from ${from}, message ${i}`;
    const m = decodeMessage(b.messages[i]!, where);
    if (m.type === MessageType.Snap) bad(where, "Snap messages travel through SendSnapshot only");
    checkAddressing(m, from, self.nodeId, where);
    msgs[i] = m;
  }
  return { from, msgs };
}
