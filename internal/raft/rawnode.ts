// RawNode: the synchronous public API over the Raft state machine. Inputs (tick, step, propose,
// readIndex, transferLeadership, applyConfChange) and one Ready batch at a time, confirmed by advance().

import { encodeConfChange } from "./confchange.ts";
import { type RaftConfigInput, resolveConfig } from "./config.ts";
import { assert, RaftError, RaftErrorCode } from "./errors.ts";
import { Raft } from "./raft.ts";
import {
  type ConfChange,
  type ConfState,
  type Entry,
  EntryType,
  emptyMessage,
  type HardState,
  LOCAL_MESSAGE_TYPES,
  type Message,
  MessageType,
  type ProgressStatus,
  type Ready,
  type SoftState,
  type Status,
} from "./types.ts";

/** What a handed-out Ready promised, so advance() can confirm exactly that. */
interface InFlightReady {
  lastEntry?: { index: number; term: number };
  snapshotIndex?: number;
  applied: Entry[];
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

const VALID_MESSAGE_TYPES: ReadonlySet<string> = new Set(Object.values(MessageType));

/** Rejects a message from the network whose shape is wrong, so bad input never reaches Raft. */
function validateNetworkMessage(m: Message): void {
  const refuse = (why: string): never => {
    throw new RaftError(RaftErrorCode.StepRefused, `refused message: ${why}`);
  };
  if (typeof m !== "object" || m === null) refuse("not an object");
  if (!VALID_MESSAGE_TYPES.has(m.type)) refuse(`unknown type ${String(m.type)}`);
  if (LOCAL_MESSAGE_TYPES.has(m.type)) refuse(`${m.type} is local-only`);
  for (const f of ["to", "from", "term", "logTerm", "index", "commit", "leaseTick", "rejectHint"] as const) {
    const v = m[f];
    if (!Number.isSafeInteger(v) || v < 0) refuse(`${f} must be a non-negative integer (got ${String(v)})`);
  }
  if (m.from === 0) refuse("from must name a node");
  // Only proposals and read requests forwarded to the leader travel without a term.
  if (m.term === 0 && m.type !== MessageType.Prop && m.type !== MessageType.ReadIndex)
    refuse(`${m.type} must carry a term`);
  if (!Array.isArray(m.entries)) refuse("entries must be an array");
  let prev = m.index;
  for (const e of m.entries) {
    if (typeof e !== "object" || e === null) refuse("entries must be objects");
    if (!(e.data instanceof Uint8Array)) refuse("entry data must be bytes");
    if (e.type !== EntryType.Normal && e.type !== EntryType.ConfChange)
      refuse(`unknown entry type ${String(e.type)}`);
    if (m.type === MessageType.App) {
      if (e.index !== prev + 1) refuse(`entries must be contiguous after index ${m.index}`);
      if (!Number.isSafeInteger(e.term) || e.term > m.term) refuse("entry term above message term");
      prev = e.index;
    }
  }
  if (m.type === MessageType.Prop && m.entries.length === 0) refuse("proposal without entries");
  if (m.context !== undefined && !(m.context instanceof Uint8Array)) refuse("context must be bytes");
  if (m.type === MessageType.Snap) {
    const md = m.snapshot?.metadata;
    if (md === undefined || !(m.snapshot!.data instanceof Uint8Array))
      refuse("snapshot message without snapshot");
    if (
      !Number.isSafeInteger(md!.index) ||
      md!.index <= 0 ||
      !Number.isSafeInteger(md!.term) ||
      md!.term <= 0
    )
      refuse("snapshot index and term must be positive integers");
    const cs = md!.confState;
    const ids = (xs: unknown): boolean =>
      Array.isArray(xs) && xs.every((x) => Number.isSafeInteger(x) && x > 0);
    if (
      typeof cs !== "object" ||
      cs === null ||
      !ids(cs.voters) ||
      !ids(cs.learners) ||
      cs.voters.length === 0
    )
      refuse("snapshot membership must list voters and learners by positive id");
  }
}

export class RawNode {
  readonly raft: Raft;
  #prevSoft: SoftState;
  #prevHard: HardState;
  #inFlight: InFlightReady | undefined;

  constructor(input: RaftConfigInput) {
    this.raft = new Raft(resolveConfig(input));
    this.#prevSoft = this.#softState();
    this.#prevHard = this.#hardState();
  }

  get id(): number {
    return this.raft.id;
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now (as if the election timer fired). */
  campaign(): void {
    this.raft.step(emptyMessage(MessageType.Hup, this.raft.id, this.raft.id, 0));
  }

  /** Proposes an application command. Throws RaftError(ProposalDropped) when it cannot be taken. */
  propose(data: Uint8Array): void {
    this.#propose([{ term: 0, index: 0, type: EntryType.Normal, data }]);
  }

  /** Proposes several commands at once (one append). */
  proposeBatch(datas: readonly Uint8Array[]): void {
    if (datas.length === 0) return;
    this.#propose(datas.map((data) => ({ term: 0, index: 0, type: EntryType.Normal, data })));
  }

  /** Proposes a membership change; only one may be pending (see raft.ts, the pending-change rule). */
  proposeConfChange(cc: ConfChange): void {
    this.#propose([{ term: 0, index: 0, type: EntryType.ConfChange, data: encodeConfChange(cc) }]);
  }

  #propose(entries: Entry[]): void {
    this.raft.step({ ...emptyMessage(MessageType.Prop, this.raft.id, this.raft.id, 0), entries });
  }

  /** Must be called when a committed confChange entry is applied; returns the new membership. */
  applyConfChange(cc: ConfChange): ConfState {
    return this.raft.applyConfChange(cc);
  }

  /**
   * Feeds a message from a peer. Throws RaftError(StepRefused) for malformed or local-only
   * messages and responses from unknown peers; a forwarded proposal that cannot be taken is dropped.
   */
  step(m: Message): void {
    validateNetworkMessage(m);
    const isResponse =
      m.type === MessageType.AppResp ||
      m.type === MessageType.HeartbeatResp ||
      m.type === MessageType.VoteResp ||
      m.type === MessageType.PreVoteResp;
    if (isResponse && !this.raft.trk.isMember(m.from) && this.raft.state === "leader")
      throw new RaftError(RaftErrorCode.StepRefused, `response from ${m.from}, which is not a member`);
    try {
      this.raft.step(m);
    } catch (err) {
      // A forwarded proposal the leader cannot take is dropped; its proposer times out and retries.
      if (
        err instanceof RaftError &&
        (err.code === RaftErrorCode.ProposalDropped || err.code === RaftErrorCode.InvalidConfChange)
      )
        return;
      throw err;
    }
  }

  /**
   * Requests a linearizable read point; the answer comes as a ReadState with this context, which
   * must be unique across the cluster (a duplicate of a pending request is merged with it).
   */
  readIndex(ctx: Uint8Array): void {
    this.raft.step({ ...emptyMessage(MessageType.ReadIndex, this.raft.id, this.raft.id, 0), context: ctx });
  }

  /** Asks the leader (this node or, forwarded, the current one) to hand leadership to `to`. */
  transferLeadership(to: number): void {
    this.raft.step(emptyMessage(MessageType.TransferLeader, this.raft.id, to, 0));
  }

  /** The transport could not reach `id`: its replication falls back to probing. */
  reportUnreachable(id: number): void {
    this.raft.step(emptyMessage(MessageType.Unreachable, this.raft.id, id, 0));
  }

  /** The transport finished sending a snapshot to `id` (ok) or failed. */
  reportSnapshot(id: number, ok: boolean): void {
    this.raft.step({ ...emptyMessage(MessageType.SnapStatus, this.raft.id, id, 0), reject: !ok });
  }

  /** Ticks left of the leader lease (0 when not leader or no lease). */
  leaseRemainingTicks(): number {
    return this.raft.leaseRemainingTicks();
  }

  #softState(): SoftState {
    return { lead: this.raft.lead, state: this.raft.state };
  }

  #hardState(): HardState {
    return { term: this.raft.term, vote: this.raft.vote, commit: this.raft.raftLog.committed };
  }

  hasReady(): boolean {
    const r = this.raft;
    const soft = this.#softState();
    if (soft.lead !== this.#prevSoft.lead || soft.state !== this.#prevSoft.state) return true;
    if (!sameHardState(this.#hardState(), this.#prevHard)) return true;
    if (r.raftLog.unstable.snapshot !== undefined) return true;
    if (r.msgs.length > 0 || r.raftLog.unstableEntries().length > 0 || r.readStates.length > 0) return true;
    if (r.pendingBroadcast && r.state === "leader") return true;
    return r.raftLog.hasNextCommittedEnts();
  }

  /** The next batch of work. Call advance() after handling it and before the next ready(). */
  ready(): Ready {
    assert(this.#inFlight === undefined, "ready() called again before advance()");
    const r = this.raft;
    r.flushBroadcast();
    const entries = r.raftLog.unstableEntries().slice();
    const snapshot = r.raftLog.unstable.snapshot;
    const committedEntries = r.raftLog.nextCommittedEnts();
    const soft = this.#softState();
    const hard = this.#hardState();
    const rd: Ready = {
      entries,
      committedEntries,
      messages: r.msgs,
      readStates: r.readStates,
      mustSync: entries.length > 0 || hard.term !== this.#prevHard.term || hard.vote !== this.#prevHard.vote,
    };
    if (snapshot) rd.snapshot = snapshot;
    if (soft.lead !== this.#prevSoft.lead || soft.state !== this.#prevSoft.state) {
      rd.softState = soft;
      this.#prevSoft = soft;
    }
    if (!sameHardState(hard, this.#prevHard)) {
      rd.hardState = hard;
      this.#prevHard = hard;
    }
    r.msgs = [];
    r.readStates = [];
    const last = entries[entries.length - 1];
    this.#inFlight = {
      ...(last ? { lastEntry: { index: last.index, term: last.term } } : {}),
      ...(snapshot ? { snapshotIndex: snapshot.metadata.index } : {}),
      applied: committedEntries,
    };
    return rd;
  }

  /** Confirms the last Ready was persisted, sent and applied. */
  advance(): void {
    const done = this.#inFlight;
    assert(done !== undefined, "advance() without a ready()");
    this.#inFlight = undefined;
    const log = this.raft.raftLog;
    if (done.snapshotIndex !== undefined) {
      log.stableSnapTo(done.snapshotIndex);
      log.appliedTo(done.snapshotIndex);
    }
    if (done.lastEntry) this.raft.onPersisted(done.lastEntry.index, done.lastEntry.term);
    const lastApplied = done.applied[done.applied.length - 1];
    if (lastApplied) {
      log.appliedTo(lastApplied.index);
      this.raft.reduceUncommittedSize(done.applied);
    }
  }

  status(): Status {
    const r = this.raft;
    const st: Status = {
      id: r.id,
      hardState: this.#hardState(),
      softState: this.#softState(),
      applied: r.raftLog.applied,
      leadTransferee: r.leadTransferee,
      confState: r.trk.confState(),
      leaseRemainingTicks: r.leaseRemainingTicks(),
    };
    if (r.state === "leader") {
      const progress = new Map<number, ProgressStatus>();
      for (const [id, pr] of r.trk.progress) {
        progress.set(id, {
          match: pr.match,
          next: pr.next,
          state: pr.state,
          isLearner: pr.isLearner,
          recentActive: pr.recentActive,
          inflight: pr.inflights.count(),
        });
      }
      st.progress = progress;
    }
    return st;
  }
}
