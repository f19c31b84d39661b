// The data the Raft library exchanges with its user: log entries, messages, hard state,
// configuration state, snapshots and the Ready batch. Plain objects only, no behaviour.

/** A node's id in the cluster. Positive integer; `NONE` (0) means "no node". */
export type NodeId = number;
export const NONE: NodeId = 0;

export const EntryType = {
  /** An application command (or an empty entry a new leader appends). */
  Normal: "normal",
  /** A membership change; `data` is an encoded `ConfChange` (see confchange.ts). */
  ConfChange: "confChange",
} as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array;
}

export const MessageType = {
  /** Local: start an election (sent to self by tick or by the user). */
  Hup: "Hup",
  /** Local: tell a leader to send heartbeats. */
  Beat: "Beat",
  /** A proposal of entries, forwarded by followers to the leader. */
  Prop: "Prop",
  App: "App",
  AppResp: "AppResp",
  Vote: "Vote",
  VoteResp: "VoteResp",
  PreVote: "PreVote",
  PreVoteResp: "PreVoteResp",
  Heartbeat: "Heartbeat",
  HeartbeatResp: "HeartbeatResp",
  Snap: "Snap",
  /** Local: the transport reports whether a snapshot reached `from`. `reject` = failed. */
  SnapStatus: "SnapStatus",
  /** Local: the transport reports that `from` could not be reached. */
  Unreachable: "Unreachable",
  /** Local: tell a leader to check it still hears from a quorum. */
  CheckQuorum: "CheckQuorum",
  /** Ask the leader to hand leadership to `from`. */
  TransferLeader: "TransferLeader",
  /** Leader to transferee: campaign now, ignoring leases. */
  TimeoutNow: "TimeoutNow",
  ReadIndex: "ReadIndex",
  ReadIndexResp: "ReadIndexResp",
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Message types that never leave the node (the user never sends them to a peer). */
export const LOCAL_MESSAGE_TYPES: ReadonlySet<MessageType> = new Set([
  MessageType.Hup,
  MessageType.Beat,
  MessageType.SnapStatus,
  MessageType.Unreachable,
  MessageType.CheckQuorum,
]);

/** One Raft message. Fields a type does not use hold their zero values. */
export interface Message {
  type: MessageType;
  to: NodeId;
  from: NodeId;
  term: number;
  /** App: term of the entry before `entries`; Vote: candidate's last term; AppResp reject: hint term. */
  logTerm: number;
  /** App: index before `entries`; AppResp: last matched index; Vote: candidate's last index. */
  index: number;
  entries: Entry[];
  /** Leader's commit index (App, Heartbeat); ReadIndexResp: the read index. */
  commit: number;
  /** Leader's tick counter when this App/Heartbeat was sent; echoed in the response (lease). */
  leaseTick: number;
  snapshot?: Snapshot;
  reject: boolean;
  /** AppResp rejection: the follower's hint for where the leader should probe next. */
  rejectHint: number;
  /** ReadIndex request context; Vote: "transfer" forces the vote through leases. */
  context?: Uint8Array;
}

/** What must survive a crash besides the log. */
export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

/** The membership at some log index. A node is in at most one of the two lists. */
export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
}

export interface SnapshotMetadata {
  index: number;
  term: number;
  confState: ConfState;
}

export interface Snapshot {
  metadata: SnapshotMetadata;
  /** The application's state machine at `metadata.index`, opaque to Raft. */
  data: Uint8Array;
}

export const ConfChangeType = {
  AddNode: "addNode",
  AddLearner: "addLearner",
  RemoveNode: "removeNode",
} as const;
export type ConfChangeType = (typeof ConfChangeType)[keyof typeof ConfChangeType];

/** One membership change. `AddNode` on an existing learner promotes it to voter. */
export interface ConfChange {
  type: ConfChangeType;
  nodeId: NodeId;
  /** Opaque application data (for example the new node's address). */
  context: Uint8Array;
}

export const StateType = {
  Follower: "follower",
  PreCandidate: "preCandidate",
  Candidate: "candidate",
  Leader: "leader",
} as const;
export type StateType = (typeof StateType)[keyof typeof StateType];

/** Volatile state worth showing; not persisted. */
export interface SoftState {
  lead: NodeId;
  state: StateType;
}

/** The answer to a ReadIndex request: reads at or after `index` is applied are linearizable. */
export interface ReadState {
  index: number;
  requestCtx: Uint8Array;
}

/**
 * One batch of work for the user, taken with `RawNode.ready()` and confirmed with `advance()`.
 * Order: persist `snapshot`, `entries` and `hardState` (fsync), THEN send `messages`, THEN apply
 * `committedEntries`, then call `advance()`.
 */
export interface Ready {
  /** Set when the soft state changed since the last Ready. */
  softState?: SoftState;
  /** Set when the hard state changed; persist before sending messages. */
  hardState?: HardState;
  /** Entries to append to stable storage (they may replace a conflicting suffix). */
  entries: Entry[];
  /** A snapshot to persist and install (from the leader). */
  snapshot?: Snapshot;
  /** Committed entries to apply to the state machine, in order. All are already persisted. */
  committedEntries: Entry[];
  /**
   * Messages to send after the above is persisted. For every Snap message, report the outcome
   * with RawNode.reportSnapshot(to, ok): until then the leader pauses replication to that peer.
   */
  messages: Message[];
  /** Answers to ReadIndex requests, in request order. */
  readStates: ReadState[];
  /** True when the hard state or entries must be fsync'd (not merely written). */
  mustSync: boolean;
}

/** Raft's view of one peer's replication, for status pages. */
export interface ProgressStatus {
  match: number;
  next: number;
  state: "probe" | "replicate" | "snapshot";
  isLearner: boolean;
  recentActive: boolean;
  inflight: number;
}

export interface Status {
  id: NodeId;
  hardState: HardState;
  softState: SoftState;
  applied: number;
  leadTransferee: NodeId;
  confState: ConfState;
  /** Only on the leader: per-node progress. */
  progress?: Map<NodeId, ProgressStatus>;
  /** Only on the leader with check-quorum on: ticks left of its lease (0 = no lease). */
  leaseRemainingTicks: number;
}

export function emptyMessage(type: MessageType, to: NodeId, from: NodeId, term: number): Message {
  return {
    type,
    to,
    from,
    term,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    leaseTick: 0,
    reject: false,
    rejectHint: 0,
  };
}
