// Errors the Raft library raises, as one class with stable codes that callers match on.

export const RaftErrorCode = {
  /** The requested index was compacted into a snapshot. */
  Compacted: "RAFT_COMPACTED",
  /** The requested index is past the last index of the log. */
  Unavailable: "RAFT_UNAVAILABLE",
  /** Storage cannot produce a snapshot right now; the leader retries later. */
  SnapshotTemporarilyUnavailable: "RAFT_SNAPSHOT_TEMPORARILY_UNAVAILABLE",
  /** A snapshot older than the one already held was offered. */
  SnapshotOutOfDate: "RAFT_SNAPSHOT_OUT_OF_DATE",
  /** The proposal was dropped (no leader known, a transfer in progress, or too much uncommitted). */
  ProposalDropped: "RAFT_PROPOSAL_DROPPED",
  /** A step was refused (a local message type from the network, a message from an unknown peer). */
  StepRefused: "RAFT_STEP_REFUSED",
  /** The configuration is invalid; the message names the field. */
  InvalidConfig: "RAFT_INVALID_CONFIG",
  /** A membership change that breaks a rule (one at a time, last voter, unknown node). */
  InvalidConfChange: "RAFT_INVALID_CONF_CHANGE",
  /** A broken internal invariant: a bug, never a user error. */
  Invariant: "RAFT_INVARIANT",
} as const;
export type RaftErrorCode = (typeof RaftErrorCode)[keyof typeof RaftErrorCode];

export class RaftError extends Error {
  readonly code: RaftErrorCode;
  constructor(code: RaftErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RaftError";
    this.code = code;
  }
}

/** Throws an invariant error when `cond` is false: the library never limps on with bad state. */
export function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new RaftError(RaftErrorCode.Invariant, message);
}
