// The Raft library's configuration: defaults, and validation that names every bad field.

import { RaftError, RaftErrorCode } from "./errors.ts";
import { type RaftLogger, silentLogger } from "./logger.ts";
import type { Storage } from "./storage.ts";
import type { NodeId } from "./types.ts";

export const ReadOnlyOption = {
  /** ReadIndex confirms leadership with a heartbeat round to a quorum (always safe). */
  Safe: "safe",
  /** ReadIndex answers at once while the leader lease holds (needs check-quorum; trusts clocks). */
  LeaseBased: "leaseBased",
} as const;
export type ReadOnlyOption = (typeof ReadOnlyOption)[keyof typeof ReadOnlyOption];

/**
 * Deliberate bugs, for proving that the simulator's checkers can fail. Never set in production.
 */
export interface UnsafeTestingFaults {
  /** Count vote responses whatever their term (a classic bug: stale votes elect two leaders). */
  countStaleVotes?: boolean;
  /** Commit an entry of a previous term by counting replicas (Raft paper figure 8). */
  commitPreviousTermByCounting?: boolean;
  /** Grant a vote without checking the candidate's log is up to date. */
  skipLogUpToDateCheck?: boolean;
}

export interface RaftConfig {
  id: NodeId;
  storage: Storage;
  /** Ticks without hearing from a leader before a follower campaigns (randomized in [n, 2n)). */
  electionTicks: number;
  /** Ticks between a leader's heartbeats; must be less than electionTicks. */
  heartbeatTicks: number;
  /** Last applied index when restarting (entries up to it are not handed out again). */
  applied: number;
  /** Most bytes of entries in one append message (at least one entry is always sent). */
  maxSizePerMsgBytes: number;
  /** Most bytes of committed entries in one Ready. */
  maxCommittedSizePerReadyBytes: number;
  /** Most bytes of uncommitted entries a leader holds before dropping proposals (0 = no limit). */
  maxUncommittedEntriesBytes: number;
  /** Most append messages in flight to one peer in the replicate state. */
  maxInflightMsgs: number;
  /** Leader steps down when it has not heard from a quorum in an election timeout. */
  checkQuorum: boolean;
  /** Candidates first ask whether they could win, without disturbing the term. */
  preVote: boolean;
  readOnlyOption: ReadOnlyOption;
  /** Followers drop proposals instead of forwarding them to the leader. */
  disableProposalForwarding: boolean;
  /** The lease ends this many ticks before a follower could vote again (clock drift margin). */
  leaseMarginTicks: number;
  /**
   * A (re)started node refuses votes for this many ticks, because before a crash it may have
   * backed a leader's lease (default: electionTicks; 0 only when nothing relies on leases).
   */
  startupQuietTicks: number;
  /** Seed of the randomized election timeout; different nodes should use different seeds. */
  randomSeed: number;
  logger: RaftLogger;
  unsafeTestingFaults: UnsafeTestingFaults;
}

export const RAFT_DEFAULTS = {
  electionTicks: 10,
  heartbeatTicks: 1,
  applied: 0,
  maxSizePerMsgBytes: 1024 * 1024,
  maxCommittedSizePerReadyBytes: 16 * 1024 * 1024,
  maxUncommittedEntriesBytes: 64 * 1024 * 1024,
  maxInflightMsgs: 256,
  checkQuorum: true,
  preVote: true,
  readOnlyOption: ReadOnlyOption.Safe,
  disableProposalForwarding: false,
  leaseMarginTicks: 2,
  logger: silentLogger,
  unsafeTestingFaults: {},
} satisfies Partial<RaftConfig>;

export type RaftConfigInput = Pick<RaftConfig, "id" | "storage"> & Partial<RaftConfig>;

/** Fills defaults and validates; throws RaftError(InvalidConfig) naming the first bad field. */
export function resolveConfig(input: RaftConfigInput): RaftConfig {
  // Fields passed as undefined take their defaults.
  const given = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== undefined),
  ) as RaftConfigInput;
  const c: RaftConfig = {
    ...RAFT_DEFAULTS,
    randomSeed: given.id,
    startupQuietTicks: given.electionTicks ?? RAFT_DEFAULTS.electionTicks,
    ...given,
  };
  const bad = (field: string, why: string): never => {
    throw new RaftError(RaftErrorCode.InvalidConfig, `invalid raft config: ${field} ${why}`);
  };
  const positiveInt = (field: keyof RaftConfig, v: number): void => {
    if (!Number.isSafeInteger(v) || v <= 0) bad(field, `must be a positive integer (got ${v})`);
  };
  positiveInt("id", c.id);
  positiveInt("electionTicks", c.electionTicks);
  positiveInt("heartbeatTicks", c.heartbeatTicks);
  positiveInt("maxSizePerMsgBytes", c.maxSizePerMsgBytes);
  positiveInt("maxCommittedSizePerReadyBytes", c.maxCommittedSizePerReadyBytes);
  positiveInt("maxInflightMsgs", c.maxInflightMsgs);
  if (c.heartbeatTicks >= c.electionTicks) bad("heartbeatTicks", "must be less than electionTicks");
  if (!Number.isSafeInteger(c.applied) || c.applied < 0) bad("applied", "must be a non-negative integer");
  if (!Number.isSafeInteger(c.maxUncommittedEntriesBytes) || c.maxUncommittedEntriesBytes < 0)
    bad("maxUncommittedEntriesBytes", "must be a non-negative integer");
  if (
    !Number.isSafeInteger(c.leaseMarginTicks) ||
    c.leaseMarginTicks < 0 ||
    c.leaseMarginTicks >= c.electionTicks
  )
    bad("leaseMarginTicks", "must be an integer in [0, electionTicks)");
  if (c.readOnlyOption !== ReadOnlyOption.Safe && c.readOnlyOption !== ReadOnlyOption.LeaseBased)
    bad("readOnlyOption", `must be "safe" or "leaseBased"`);
  if (c.readOnlyOption === ReadOnlyOption.LeaseBased && !c.checkQuorum)
    bad("readOnlyOption", "leaseBased needs checkQuorum on");
  if (!Number.isSafeInteger(c.startupQuietTicks) || c.startupQuietTicks < 0)
    bad("startupQuietTicks", "must be a non-negative integer");
  if (!Number.isSafeInteger(c.randomSeed)) bad("randomSeed", "must be an integer");
  if (c.storage === undefined || c.storage === null) bad("storage", "is required");
  return c;
}
