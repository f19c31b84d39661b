// The Raft state machine of one node: elections (pre-vote, check-quorum), pipelined replication,
// commit, ReadIndex and lease reads, leadership transfer, one-at-a-time membership change and
// snapshots. Pure: inputs are step/tick, outputs are queued messages and log state.

import { applyConfChangeTo, decodeConfChange } from "./confchange.ts";
import { type RaftConfig, ReadOnlyOption } from "./config.ts";
import { assert, RaftError, RaftErrorCode } from "./errors.ts";
import { RaftLog } from "./log.ts";
import type { RaftLogger } from "./logger.ts";
import { ProgressState } from "./progress.ts";
import { VoteResult, voteResult } from "./quorum.ts";
import { SeededRandom } from "./rand.ts";
import { contextKey, ReadOnlyQueue } from "./read-only.ts";
import { ProgressTracker } from "./tracker.ts";
import {
  type ConfChange,
  type ConfState,
  type Entry,
  EntryType,
  emptyMessage,
  type Message,
  MessageType,
  NONE,
  type NodeId,
  type ReadState,
  type Snapshot,
  StateType,
} from "./types.ts";

/** Vote context that marks a campaign started by a leadership transfer: it overrides leases. */
const TRANSFER_CONTEXT = new TextEncoder().encode("transfer");
const TRANSFER_KEY = contextKey(TRANSFER_CONTEXT);

type CampaignType = "preElection" | "election" | "transfer";

function voteRespType(t: MessageType): MessageType {
  if (t === MessageType.Vote) return MessageType.VoteResp;
  if (t === MessageType.PreVote) return MessageType.PreVoteResp;
  throw new RaftError(RaftErrorCode.Invariant, `not a vote message: ${t}`);
}

function payloadSize(ents: readonly Entry[]): number {
  let n = 0;
  for (const e of ents) n += e.data.byteLength;
  return n;
}

export class Raft {
  readonly id: NodeId;
  readonly cfg: RaftConfig;
  readonly log: RaftLogger;
  readonly raftLog: RaftLog;
  trk: ProgressTracker;

  term = 0;
  vote: NodeId = NONE;
  state: StateType = StateType.Follower;
  lead: NodeId = NONE;
  isLearner = false;

  /** Outbox; drained by RawNode.ready(). */
  msgs: Message[] = [];
  readStates: ReadState[] = [];

  /** Leader: the node leadership is being handed to, or NONE. */
  leadTransferee: NodeId = NONE;
  /** Leader: no conf change may be proposed until the log is applied up to here. */
  pendingConfIndex = 0;
  /** Leader: bytes of proposed, not yet applied entry payloads. */
  uncommittedSize = 0;
  /** Leader: appends owed to followers, sent once per Ready (proposal batching). */
  pendingBroadcast = false;
  /** Leader: a TimeoutNow was sent in this term, so no lease can be trusted until the term ends. */
  leaseVoid = false;

  readOnly = new ReadOnlyQueue();
  /** Leader: ReadIndex requests waiting for the first commit of this term. */
  pendingReadIndexMessages: Message[] = [];

  /** Ticks since the last reset of the election timer (leader: since the last quorum check). */
  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  /** Ticks since this node started, from 1: the clock leases are measured on (0 = never). */
  ticks = 1;
  /** A restarted node refuses votes until this tick: it may have backed a leader's lease before. */
  readonly quietUntilTick: number;

  readonly #rand: SeededRandom;
  #tickFn: () => void = () => this.#tickElection();
  #stepFn: (m: Message) => void = (m) => this.#stepFollower(m);

  constructor(cfg: RaftConfig) {
    this.id = cfg.id;
    this.cfg = cfg;
    this.log = cfg.logger;
    this.#rand = new SeededRandom(cfg.randomSeed);
    this.raftLog = new RaftLog(cfg.storage, cfg.maxCommittedSizePerReadyBytes);
    this.trk = new ProgressTracker(cfg.maxInflightMsgs);
    const { hardState, confState } = cfg.storage.initialState();
    this.#setConf(confState);
    if (hardState.term !== 0 || hardState.vote !== NONE || hardState.commit !== 0) {
      const { committed } = this.raftLog;
      const last = this.raftLog.lastIndex();
      assert(
        hardState.commit >= committed && hardState.commit <= last,
        `hard state commit ${hardState.commit} outside [${committed}, ${last}]`,
      );
      this.raftLog.committed = hardState.commit;
      this.term = hardState.term;
      this.vote = hardState.vote;
    }
    if (cfg.applied > 0) this.raftLog.appliedTo(Math.min(cfg.applied, this.raftLog.committed));
    this.quietUntilTick = cfg.checkQuorum ? this.ticks + cfg.startupQuietTicks : 0;
    this.becomeFollower(this.term, NONE);
    this.log.info(
      {
        id: this.id,
        term: this.term,
        commit: this.raftLog.committed,
        applied: this.raftLog.applied,
        ...confState,
      },
      "raft node started",
    );
  }

  // ---- roles ----

  becomeFollower(term: number, lead: NodeId): void {
    this.#stepFn = (m) => this.#stepFollower(m);
    this.#reset(term);
    this.#tickFn = () => this.#tickElection();
    this.lead = lead;
    this.state = StateType.Follower;
  }

  becomePreCandidate(): void {
    assert(this.state !== StateType.Leader, "invalid transition leader -> pre-candidate");
    // A pre-candidate keeps its term and vote: it only asks whether it could win.
    this.#stepFn = (m) => this.#stepCandidate(m);
    this.trk.resetVotes();
    this.#tickFn = () => this.#tickElection();
    this.lead = NONE;
    this.state = StateType.PreCandidate;
  }

  becomeCandidate(): void {
    assert(this.state !== StateType.Leader, "invalid transition leader -> candidate");
    this.#stepFn = (m) => this.#stepCandidate(m);
    this.#reset(this.term + 1);
    this.#tickFn = () => this.#tickElection();
    this.vote = this.id;
    this.state = StateType.Candidate;
  }

  becomeLeader(): void {
    assert(this.state !== StateType.Follower, "invalid transition follower -> leader");
    this.#stepFn = (m) => this.#stepLeader(m);
    this.#reset(this.term);
    this.#tickFn = () => this.#tickHeartbeat();
    this.lead = this.id;
    this.state = StateType.Leader;
    const self = this.trk.progress.get(this.id);
    if (self) {
      self.becomeReplicate();
      self.recentActive = true;
    }
    const ok = this.#appendEntries([{ term: 0, index: 0, type: EntryType.Normal, data: new Uint8Array(0) }]);
    assert(ok, "leader could not append its empty entry");
    // The pending-change rule: no conf change until the log is applied up to and including this
    // term's first entry, so a new leader commits an entry of its own term before any change.
    this.pendingConfIndex = this.raftLog.lastIndex();
    this.pendingBroadcast = true;
    this.log.info({ id: this.id, term: this.term }, "became leader");
  }

  #reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.cfg.electionTicks + this.#rand.int(this.cfg.electionTicks);
    this.leadTransferee = NONE;
    this.trk.resetVotes();
    const next = this.raftLog.lastIndex() + 1;
    this.trk.setConf(this.trk.confState(), next);
    for (const [id, pr] of this.trk.progress) {
      pr.becomeProbe();
      pr.match = id === this.id ? this.#lastStableIndex() : 0;
      pr.next = next;
      pr.recentActive = id === this.id;
      pr.leaseAckTick = 0;
    }
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.pendingBroadcast = false;
    this.leaseVoid = false;
    this.readOnly = new ReadOnlyQueue();
    this.pendingReadIndexMessages = [];
  }

  #lastStableIndex(): number {
    const u = this.raftLog.unstable;
    return u.snapshot ? 0 : u.offset - 1;
  }

  promotable(): boolean {
    return this.trk.voters.has(this.id);
  }

  // ---- ticks ----

  tick(): void {
    this.ticks++;
    this.#tickFn();
  }

  #tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.step(emptyMessage(MessageType.Hup, this.id, this.id, 0));
    }
  }

  #tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTicks) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum) this.step(emptyMessage(MessageType.CheckQuorum, this.id, this.id, 0));
      if (this.state === StateType.Leader && this.leadTransferee !== NONE) {
        // The transfer did not finish in an election timeout. A TimeoutNow may still be in flight,
        // so this term's lease can never be trusted again: step down and let a new term start.
        this.log.warn(
          { id: this.id, transferee: this.leadTransferee },
          "leadership transfer timed out; stepping down",
        );
        this.becomeFollower(this.term, NONE);
        return;
      }
    }
    if (this.state !== StateType.Leader) return;
    if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.step(emptyMessage(MessageType.Beat, this.id, this.id, 0));
    }
  }

  // ---- lease ----

  /** Ticks left of this leader's lease: no other leader can be elected before they pass. */
  leaseRemainingTicks(): number {
    if (this.state !== StateType.Leader || !this.cfg.checkQuorum || this.leaseVoid) return 0;
    const self = this.trk.progress.get(this.id);
    if (self) self.leaseAckTick = this.ticks;
    const acked = this.trk.quorumLeaseAckTick();
    if (acked === 0) return 0;
    const expiry = acked + this.cfg.electionTicks - this.cfg.leaseMarginTicks;
    return Math.max(0, expiry - this.ticks);
  }

  #inLease(): boolean {
    if (!this.cfg.checkQuorum) return false;
    if (this.ticks < this.quietUntilTick) return true;
    return this.lead !== NONE && this.electionElapsed < this.cfg.electionTicks;
  }

  // ---- sending ----

  #send(m: Message): void {
    if (m.from === NONE) m.from = this.id;
    const t = m.type;
    if (
      t === MessageType.Vote ||
      t === MessageType.VoteResp ||
      t === MessageType.PreVote ||
      t === MessageType.PreVoteResp
    ) {
      assert(m.term !== 0, `${t} must carry a term`);
    } else if (t !== MessageType.Prop && t !== MessageType.ReadIndex) {
      // Proposals and read requests forwarded to the leader travel as local messages (term 0).
      m.term = this.term;
    }
    this.msgs.push(m);
  }

  #reply(to: NodeId, type: MessageType, fields: Partial<Message> = {}): void {
    this.#send({ ...emptyMessage(type, to, this.id, 0), ...fields });
  }

  /** Sends an append (or a snapshot) to `to` if flow control allows; returns whether it sent. */
  #maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.trk.progress.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.raftLog.term(prevIndex);
    const ents = this.raftLog.entriesFrom(pr.next, this.cfg.maxSizePerMsgBytes);
    if (prevTerm === undefined || ents === undefined) return this.#maybeSendSnapshot(to);
    if (ents.length === 0 && !sendIfEmpty) return false;
    this.#reply(to, MessageType.App, {
      index: prevIndex,
      logTerm: prevTerm,
      entries: ents,
      commit: this.raftLog.committed,
      leaseTick: this.ticks,
    });
    pr.sentEntries(ents.length, prevIndex + ents.length);
    return true;
  }

  #maybeSendSnapshot(to: NodeId): boolean {
    const pr = this.trk.progress.get(to)!;
    if (!pr.recentActive) return false;
    let snapshot: Snapshot;
    try {
      snapshot = this.raftLog.snapshot();
    } catch (err) {
      if (err instanceof RaftError && err.code === RaftErrorCode.SnapshotTemporarilyUnavailable) return false;
      throw err;
    }
    assert(snapshot.metadata.index > 0, "need a non-empty snapshot");
    this.#reply(to, MessageType.Snap, { snapshot, leaseTick: this.ticks });
    pr.becomeSnapshot(snapshot.metadata.index);
    this.log.debug({ id: this.id, to, index: snapshot.metadata.index }, "sent snapshot");
    return true;
  }

  /** Sends as many appends to `to` as its window allows (the first even if empty when asked). */
  #sendAppends(to: NodeId, sendIfEmpty: boolean): void {
    if (!this.#maybeSendAppend(to, sendIfEmpty)) return;
    while (this.#maybeSendAppend(to, false)) {
      // keep filling the in-flight window
    }
  }

  bcastAppend(): void {
    this.pendingBroadcast = false;
    for (const id of this.trk.progress.keys()) if (id !== this.id) this.#sendAppends(id, true);
  }

  /** Sends the appends that batched proposals and commits owe followers. */
  flushBroadcast(): void {
    if (this.pendingBroadcast && this.state === StateType.Leader) this.bcastAppend();
  }

  #bcastHeartbeat(ctx: Uint8Array | undefined): void {
    for (const [id, pr] of this.trk.progress) {
      if (id === this.id) continue;
      // Never tell a follower to commit past what it is known to hold.
      const commit = Math.min(pr.match, this.raftLog.committed);
      this.#reply(id, MessageType.Heartbeat, {
        commit,
        leaseTick: this.ticks,
        ...(ctx ? { context: ctx } : {}),
      });
    }
  }

  // ---- log ----

  #appendEntries(es: Entry[]): boolean {
    const li = this.raftLog.lastIndex();
    for (let i = 0; i < es.length; i++) {
      es[i]!.term = this.term;
      es[i]!.index = li + 1 + i;
    }
    const size = payloadSize(es);
    const max = this.cfg.maxUncommittedEntriesBytes;
    if (max > 0 && this.uncommittedSize > 0 && size > 0 && this.uncommittedSize + size > max) return false;
    this.uncommittedSize += size;
    this.raftLog.append(es);
    return true;
  }

  /** Called after applying committed entries: frees the uncommitted budget. */
  reduceUncommittedSize(ents: readonly Entry[]): void {
    if (this.state !== StateType.Leader) return;
    this.uncommittedSize = Math.max(0, this.uncommittedSize - payloadSize(ents));
  }

  /** Called when entries up to (index, term) are persisted. A leader counts itself only then. */
  onPersisted(index: number, term: number): void {
    this.raftLog.stableTo(index, term);
    if (this.state !== StateType.Leader) return;
    const self = this.trk.progress.get(this.id);
    if (self?.maybeUpdate(this.#lastStableIndex()) && this.#maybeCommit()) this.#onCommitAdvanced();
  }

  #maybeCommit(): boolean {
    const mci = this.trk.committed();
    if (this.cfg.unsafeTestingFaults.commitPreviousTermByCounting && mci > this.raftLog.committed) {
      this.raftLog.commitTo(mci);
      return true;
    }
    return this.raftLog.maybeCommit(mci, this.term);
  }

  #onCommitAdvanced(): void {
    this.#releasePendingReadIndexMessages();
    this.pendingBroadcast = true;
  }

  #committedEntryInCurrentTerm(): boolean {
    return this.raftLog.term(this.raftLog.committed) === this.term;
  }

  #hasUnappliedConfChanges(): boolean {
    let lo = this.raftLog.applied + 1;
    const hi = this.raftLog.committed + 1;
    while (lo < hi) {
      const ents = this.raftLog.slice(lo, hi, this.cfg.maxCommittedSizePerReadyBytes);
      if (ents === undefined) return false;
      for (const e of ents) if (e.type === EntryType.ConfChange) return true;
      lo += ents.length;
    }
    return false;
  }

  // ---- step ----

  step(m: Message): void {
    if (m.term === 0) {
      // local message
    } else if (m.term > this.term) {
      if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
        const force = contextKey(m.context) === TRANSFER_KEY;
        if (!force && this.#inLease()) {
          // We heard from a live leader within an election timeout: do not help depose it.
          this.log.debug(
            { id: this.id, from: m.from, type: m.type, term: m.term },
            "ignored vote request in lease",
          );
          return;
        }
      }
      if (m.type === MessageType.PreVote) {
        // A pre-vote never changes our term.
      } else if (m.type === MessageType.PreVoteResp && !m.reject) {
        // A granted pre-vote carries the term we would campaign at; we move when we win it.
      } else if (
        m.type === MessageType.App ||
        m.type === MessageType.Heartbeat ||
        m.type === MessageType.Snap
      ) {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term) {
      if (
        this.cfg.unsafeTestingFaults.countStaleVotes &&
        (m.type === MessageType.VoteResp || m.type === MessageType.PreVoteResp) &&
        (this.state === StateType.Candidate || this.state === StateType.PreCandidate)
      ) {
        this.#stepFn(m); // deliberate bug: a vote from an older term counts
        return;
      }
      if (
        (this.cfg.checkQuorum || this.cfg.preVote) &&
        (m.type === MessageType.Heartbeat || m.type === MessageType.App)
      ) {
        // A stale leader: answer with our term so that it steps down.
        this.#reply(m.from, MessageType.AppResp);
      } else if (m.type === MessageType.PreVote) {
        this.#reply(m.from, MessageType.PreVoteResp, { term: this.term, reject: true });
      }
      return;
    }

    switch (m.type) {
      case MessageType.Hup:
        this.#hup(this.cfg.preVote ? "preElection" : "election");
        return;
      case MessageType.Vote:
      case MessageType.PreVote:
        this.#handleVoteRequest(m);
        return;
      default:
        this.#stepFn(m);
    }
  }

  #handleVoteRequest(m: Message): void {
    const canVote =
      this.vote === m.from ||
      (this.vote === NONE && this.lead === NONE) ||
      (m.type === MessageType.PreVote && m.term > this.term);
    const upToDate =
      this.cfg.unsafeTestingFaults.skipLogUpToDateCheck || this.raftLog.isUpToDate(m.index, m.logTerm);
    if (canVote && upToDate) {
      // A granted pre-vote answers with the term the candidate would move to.
      this.#reply(m.from, voteRespType(m.type), { term: m.term });
      if (m.type === MessageType.Vote) {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.#reply(m.from, voteRespType(m.type), { term: this.term, reject: true });
    }
  }

  #hup(t: CampaignType): void {
    if (this.state === StateType.Leader) return;
    if (!this.promotable()) {
      this.log.debug({ id: this.id }, "not a voter: cannot campaign");
      return;
    }
    if (this.#hasUnappliedConfChanges()) {
      this.log.warn({ id: this.id }, "cannot campaign: committed membership changes are not applied yet");
      return;
    }
    this.#campaign(t);
  }

  #campaign(t: CampaignType): void {
    let term: number;
    let voteMsg: MessageType;
    if (t === "preElection") {
      this.becomePreCandidate();
      voteMsg = MessageType.PreVote;
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteMsg = MessageType.Vote;
      term = this.term;
    }
    if (this.#poll(this.id, true) === VoteResult.Won) {
      // A single-voter cluster wins at once.
      if (t === "preElection") this.#campaign("election");
      else this.becomeLeader();
      return;
    }
    for (const id of this.trk.voters) {
      if (id === this.id) continue;
      this.#reply(id, voteMsg, {
        term,
        index: this.raftLog.lastIndex(),
        logTerm: this.raftLog.lastTerm(),
        ...(t === "transfer" ? { context: TRANSFER_CONTEXT } : {}),
      });
    }
  }

  #poll(id: NodeId, granted: boolean): VoteResult {
    this.trk.recordVote(id, granted);
    return this.trk.tallyVotes().result;
  }

  #stepFollower(m: Message): void {
    switch (m.type) {
      case MessageType.Prop:
        if (this.lead === NONE) throw new RaftError(RaftErrorCode.ProposalDropped, "no leader known");
        if (this.cfg.disableProposalForwarding)
          throw new RaftError(RaftErrorCode.ProposalDropped, "proposal forwarding is disabled");
        this.#send({ ...m, to: this.lead });
        return;
      case MessageType.App:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.#handleAppend(m);
        return;
      case MessageType.Heartbeat:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.#handleHeartbeat(m);
        return;
      case MessageType.Snap:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.#handleSnapshot(m);
        return;
      case MessageType.TransferLeader:
      case MessageType.ReadIndex:
        if (this.lead === NONE) {
          if (m.type === MessageType.ReadIndex)
            throw new RaftError(RaftErrorCode.ProposalDropped, "no leader known for the read");
          return;
        }
        this.#send({ ...m, to: this.lead });
        return;
      case MessageType.TimeoutNow:
        this.log.info({ id: this.id, from: m.from, term: this.term }, "received TimeoutNow; campaigning");
        this.#hup("transfer");
        return;
      case MessageType.ReadIndexResp:
        this.readStates.push({ index: m.index, requestCtx: m.context ?? new Uint8Array(0) });
        return;
      default:
        return;
    }
  }

  #stepCandidate(m: Message): void {
    const myVoteResp = this.state === StateType.PreCandidate ? MessageType.PreVoteResp : MessageType.VoteResp;
    switch (m.type) {
      case MessageType.Prop:
        throw new RaftError(RaftErrorCode.ProposalDropped, "no leader: an election is in progress");
      case MessageType.ReadIndex:
        throw new RaftError(RaftErrorCode.ProposalDropped, "no leader: an election is in progress");
      case MessageType.App:
        this.becomeFollower(m.term, m.from);
        this.#handleAppend(m);
        return;
      case MessageType.Heartbeat:
        this.becomeFollower(m.term, m.from);
        this.#handleHeartbeat(m);
        return;
      case MessageType.Snap:
        this.becomeFollower(m.term, m.from);
        this.#handleSnapshot(m);
        return;
      case myVoteResp: {
        const result = this.#poll(m.from, !m.reject);
        if (result === VoteResult.Won) {
          if (this.state === StateType.PreCandidate) this.#campaign("election");
          else this.becomeLeader();
        } else if (result === VoteResult.Lost) {
          this.becomeFollower(this.term, NONE);
        }
        return;
      }
      default:
        return;
    }
  }

  #stepLeader(m: Message): void {
    switch (m.type) {
      case MessageType.Beat:
        this.#bcastHeartbeat(this.readOnly.lastPendingContext());
        return;
      case MessageType.CheckQuorum:
        if (!this.trk.quorumActive(this.id)) {
          this.log.warn({ id: this.id, term: this.term }, "leader lost contact with a quorum; stepping down");
          this.becomeFollower(this.term, NONE);
          return;
        }
        for (const [id, pr] of this.trk.progress) pr.recentActive = id === this.id;
        return;
      case MessageType.Prop:
        this.#handleProposal(m);
        return;
      case MessageType.ReadIndex:
        this.#handleReadIndex(m);
        return;
      case MessageType.TransferLeader:
        this.#handleTransferLeader(m.from);
        return;
      default:
        break;
    }
    const pr = this.trk.progress.get(m.from);
    if (!pr) return; // a response from a node no longer in the configuration
    switch (m.type) {
      case MessageType.AppResp:
        pr.recentActive = true;
        pr.leaseAckTick = Math.max(pr.leaseAckTick, m.leaseTick);
        if (m.reject) this.#handleAppendRejected(m);
        else this.#handleAppendAccepted(m);
        return;
      case MessageType.HeartbeatResp:
        pr.recentActive = true;
        pr.leaseAckTick = Math.max(pr.leaseAckTick, m.leaseTick);
        pr.probeSent = false;
        // If every append of a full window was lost, only this answer can restart the flow.
        if (pr.state === ProgressState.Replicate && pr.inflights.full()) pr.inflights.freeFirstOne();
        if (pr.match < this.raftLog.lastIndex() || pr.state === ProgressState.Probe)
          this.#sendAppends(m.from, true);
        this.#handleReadAck(m);
        return;
      case MessageType.SnapStatus:
        if (pr.state !== ProgressState.Snapshot) return;
        if (m.reject) pr.pendingSnapshot = 0;
        pr.becomeProbe();
        // Wait for a heartbeat response before probing again.
        pr.probeSent = true;
        return;
      case MessageType.Unreachable:
        if (pr.state === ProgressState.Replicate) pr.becomeProbe();
        return;
      default:
        return;
    }
  }

  #handleProposal(m: Message): void {
    assert(m.entries.length > 0, "proposal without entries");
    if (!this.trk.progress.has(this.id))
      throw new RaftError(RaftErrorCode.ProposalDropped, "this leader was removed from the configuration");
    if (this.leadTransferee !== NONE)
      throw new RaftError(
        RaftErrorCode.ProposalDropped,
        `leadership is being transferred to ${this.leadTransferee}`,
      );
    let confState: ConfState = this.trk.confState();
    for (let i = 0; i < m.entries.length; i++) {
      const e = m.entries[i]!;
      if (e.type !== EntryType.ConfChange) continue;
      if (this.pendingConfIndex > this.raftLog.applied)
        throw new RaftError(
          RaftErrorCode.ProposalDropped,
          `a membership change is pending (index ${this.pendingConfIndex}, applied ${this.raftLog.applied})`,
        );
      // Throws InvalidConfChange for a malformed change or one that leaves no voter.
      confState = applyConfChangeTo(confState, decodeConfChange(e.data));
      this.pendingConfIndex = this.raftLog.lastIndex() + i + 1;
    }
    const ents = m.entries.map((e) => ({ ...e }));
    if (!this.#appendEntries(ents))
      throw new RaftError(RaftErrorCode.ProposalDropped, "too many uncommitted bytes at the leader");
    this.pendingBroadcast = true;
  }

  #handleAppendRejected(m: Message): void {
    const pr = this.trk.progress.get(m.from)!;
    let nextProbe = m.rejectHint;
    // Skip every entry of a term the follower does not have (fast backtracking).
    if (m.logTerm > 0) nextProbe = this.raftLog.findConflictByTerm(m.rejectHint, m.logTerm).index;
    if (pr.maybeDecrTo(m.index, nextProbe)) {
      if (pr.state === ProgressState.Replicate) pr.becomeProbe();
      this.#sendAppends(m.from, true);
    }
  }

  #handleAppendAccepted(m: Message): void {
    const pr = this.trk.progress.get(m.from)!;
    const wasPaused = pr.isPaused();
    const moved = pr.maybeUpdate(m.index);
    if (moved || (pr.match === m.index && pr.state === ProgressState.Probe)) {
      switch (pr.state) {
        case ProgressState.Probe:
          pr.becomeReplicate();
          break;
        case ProgressState.Snapshot:
          if (pr.match + 1 >= this.raftLog.firstIndex()) {
            pr.becomeProbe();
            pr.becomeReplicate();
          }
          break;
        case ProgressState.Replicate:
          pr.inflights.freeLE(m.index);
          break;
      }
      if (this.#maybeCommit()) this.#onCommitAdvanced();
      if (wasPaused || pr.state === ProgressState.Replicate) this.#sendAppends(m.from, false);
      if (m.from === this.leadTransferee && pr.match === this.raftLog.lastIndex())
        this.#sendTimeoutNow(m.from);
    }
  }

  #handleReadAck(m: Message): void {
    if (m.context === undefined || m.context.byteLength === 0) return;
    const acks = this.readOnly.recvAck(m.from, m.context);
    if (!acks) return;
    const votes = new Map<NodeId, boolean>();
    for (const id of acks) votes.set(id, true);
    if (voteResult(this.trk.voters, votes) !== VoteResult.Won) return;
    for (const rs of this.readOnly.advance(m.context)) this.#respondToRead(rs.req, rs.index);
  }

  #handleReadIndex(m: Message): void {
    if (this.trk.voters.size === 1 && this.trk.voters.has(this.id)) {
      // The leader alone is the quorum (learners do not count).
      this.#respondToRead(m, this.raftLog.committed);
      return;
    }
    if (!this.#committedEntryInCurrentTerm()) {
      // Our commit index may lag the true one until an entry of this term commits.
      this.pendingReadIndexMessages.push(m);
      return;
    }
    this.#serveReadIndex(m);
  }

  #serveReadIndex(m: Message): void {
    if (this.cfg.readOnlyOption === ReadOnlyOption.LeaseBased && this.leaseRemainingTicks() > 0) {
      this.#respondToRead(m, this.raftLog.committed);
      return;
    }
    // Safe path (also the fallback when the lease is not held): confirm leadership with a quorum.
    this.readOnly.addRequest(this.raftLog.committed, m);
    this.readOnly.recvAck(this.id, m.context);
    this.#bcastHeartbeat(m.context);
  }

  #releasePendingReadIndexMessages(): void {
    if (this.pendingReadIndexMessages.length === 0 || !this.#committedEntryInCurrentTerm()) return;
    const pending = this.pendingReadIndexMessages;
    this.pendingReadIndexMessages = [];
    for (const m of pending) this.#serveReadIndex(m);
  }

  #respondToRead(req: Message, index: number): void {
    if (req.from === NONE || req.from === this.id) {
      this.readStates.push({ index, requestCtx: req.context ?? new Uint8Array(0) });
    } else {
      this.#reply(req.from, MessageType.ReadIndexResp, {
        index,
        ...(req.context ? { context: req.context } : {}),
      });
    }
  }

  #handleTransferLeader(transferee: NodeId): void {
    const pr = this.trk.progress.get(transferee);
    if (!pr || pr.isLearner) {
      this.log.warn({ id: this.id, transferee }, "cannot transfer leadership to a non-voter");
      return;
    }
    if (transferee === this.id || transferee === this.leadTransferee) return;
    this.log.info({ id: this.id, term: this.term, transferee }, "starting leadership transfer");
    // The transfer must finish within one election timeout.
    this.electionElapsed = 0;
    this.leadTransferee = transferee;
    if (pr.match === this.raftLog.lastIndex()) this.#sendTimeoutNow(transferee);
    else this.#sendAppends(transferee, true);
  }

  #sendTimeoutNow(to: NodeId): void {
    this.leaseVoid = true;
    this.#reply(to, MessageType.TimeoutNow);
  }

  // ---- follower handlers ----

  #handleAppend(m: Message): void {
    if (m.index < this.raftLog.committed) {
      this.#reply(m.from, MessageType.AppResp, { index: this.raftLog.committed, leaseTick: m.leaseTick });
      return;
    }
    const lastNew = this.raftLog.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew !== undefined) {
      this.#reply(m.from, MessageType.AppResp, { index: lastNew, leaseTick: m.leaseTick });
      return;
    }
    const hint = this.raftLog.findConflictByTerm(Math.min(m.index, this.raftLog.lastIndex()), m.logTerm);
    this.#reply(m.from, MessageType.AppResp, {
      index: m.index,
      reject: true,
      rejectHint: hint.index,
      logTerm: hint.term,
      leaseTick: m.leaseTick,
    });
  }

  #handleHeartbeat(m: Message): void {
    this.raftLog.commitTo(Math.min(m.commit, this.raftLog.lastIndex()));
    this.#reply(m.from, MessageType.HeartbeatResp, {
      leaseTick: m.leaseTick,
      ...(m.context ? { context: m.context } : {}),
    });
  }

  #handleSnapshot(m: Message): void {
    const s = m.snapshot;
    if (s === undefined) return;
    if (this.#restore(s)) {
      this.log.info({ id: this.id, index: s.metadata.index, term: s.metadata.term }, "restored snapshot");
      this.#reply(m.from, MessageType.AppResp, { index: this.raftLog.lastIndex(), leaseTick: m.leaseTick });
    } else {
      this.#reply(m.from, MessageType.AppResp, { index: this.raftLog.committed, leaseTick: m.leaseTick });
    }
  }

  #restore(s: Snapshot): boolean {
    if (s.metadata.index <= this.raftLog.committed) return false;
    if (this.state !== StateType.Follower) return false;
    // A snapshot whose membership lacks this node is still taken: a joining node catches up from a
    // snapshot older than its own addition and learns of that addition from the entries after it.
    if (this.raftLog.matchTerm(s.metadata.index, s.metadata.term)) {
      // We already hold the snapshot's last entry: just commit up to it.
      this.raftLog.commitTo(s.metadata.index);
      return false;
    }
    this.raftLog.restore(s);
    this.#setConf(s.metadata.confState);
    return true;
  }

  // ---- membership ----

  #setConf(cs: ConfState): void {
    this.trk.setConf(cs, this.raftLog.lastIndex() + 1);
    this.isLearner = this.trk.learners.has(this.id);
  }

  /** Applies a committed membership change; an invalid one is ignored the same way on every node. */
  applyConfChange(cc: ConfChange): ConfState {
    let next: ConfState;
    try {
      next = applyConfChangeTo(this.trk.confState(), cc);
    } catch (err) {
      if (!(err instanceof RaftError) || err.code !== RaftErrorCode.InvalidConfChange) throw err;
      this.log.warn({ id: this.id, err: err.message }, "ignored an invalid committed membership change");
      return this.trk.confState();
    }
    this.#setConf(next);
    if (this.state === StateType.Leader) {
      if (!this.trk.progress.has(this.id) || this.isLearner) {
        // A leader removed or demoted by this change steps down; the others elect a new leader.
        this.becomeFollower(this.term, NONE);
      } else {
        // The quorum may have shrunk: entries may now be committed.
        if (this.#maybeCommit()) this.#onCommitAdvanced();
        this.pendingBroadcast = true;
        if (this.leadTransferee !== NONE && !this.trk.voters.has(this.leadTransferee))
          this.leadTransferee = NONE;
      }
    }
    return next;
  }
}
