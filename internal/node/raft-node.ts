// RaftNode: the run loop around the pure Raft library. A monotonic tick timer; for each Ready:
// persist (group-committed fsync), send, apply to the replicated state, advance. Proposals resolve
// when applied; reads wait on ReadIndex; membership changes and snapshots go through the log.

import {
  type ConfChange,
  ConfChangeType,
  type ConfState,
  decodeConfChange,
  EntryType,
  type Message,
  type RaftConfigInput,
  RaftError,
  RaftErrorCode,
  type RaftLogger,
  RawNode,
  type Ready,
  type Snapshot,
  StateType,
  type Storage,
} from "../raft/index.ts";
import {
  type ApplyResult,
  CommandError,
  type MemberInfo,
  parseCommand,
  ReplicatedState,
  RevisionMismatchError,
  services,
} from "../state/index.ts";
import {
  type ConfChangeContext,
  decodeConfContext,
  decodeEnvelope,
  encodeConfContext,
  encodeEnvelope,
} from "./envelope.ts";
import { NodeError, NodeErrorCode } from "./errors.ts";

export interface NodeStorage extends Storage {
  save(
    rd: { hardState?: Ready["hardState"]; entries: Ready["entries"]; snapshot?: Snapshot },
    sync: boolean,
  ): Promise<void>;
  createSnapshot(
    index: number,
    confState: ConfState,
    data: Uint8Array,
    keepEntries: number,
  ): Promise<Snapshot>;
}

export interface NodeTransport {
  send(msgs: Message[]): void;
  setPeer(id: number, address: string): void;
  removePeer(id: number): void;
}

export interface NodeClock {
  /** Monotonic milliseconds (leases, ticks, timeouts). */
  monotonicMs(): number;
  /** Wall-clock milliseconds (entry stamps only). */
  wallMs(): number;
}

export const systemClock: NodeClock = { monotonicMs: () => performance.now(), wallMs: () => Date.now() };

export interface RaftNodeOptions {
  id: number;
  storage: NodeStorage;
  tickMs: number;
  raft: Omit<Partial<RaftConfigInput>, "id" | "storage" | "applied" | "logger">;
  /** Take a snapshot after this many entries applied since the last one. */
  snapshotEveryEntries: number;
  /** Entries kept behind a snapshot for slow followers. */
  snapshotKeepEntries: number;
  /** Largest entry a proposal may make (it must fit in one peer message); default 8 MiB. */
  maxEntryBytes?: number;
  logger: RaftLogger & { child?: unknown };
  clock?: NodeClock;
  /** Called once when the node stops on a fatal error (the daemon exits). */
  onFatal?: (err: Error) => void;
}

interface PendingProposal {
  resolve: (r: ApplyResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  /** Log slot the proposal went to (0 = unknown: forwarded to the leader over Raft). */
  index: number;
}

interface PendingRead {
  resolve: (appliedIndex: number) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  /** Set once the read state arrived: resolve when applied reaches it. */
  readIndex?: number;
}

export interface NodeStatus {
  id: number;
  term: number;
  vote: number;
  leader: number;
  role: string;
  commitIndex: number;
  appliedIndex: number;
  lastIndex: number;
  snapshotIndex: number;
  leaseRemainingMs: number;
  confState: ConfState;
  progress?: Array<{ id: number; match: number; next: number; state: string; learner: boolean }>;
}

function isInputError(err: unknown): err is Error {
  return err instanceof CommandError || err instanceof services.TableError;
}

/** The most ticks delivered at once after the process was frozen: enough to expire any lease. */
const MAX_CATCH_UP_TICKS_FACTOR = 4;

export class RaftNode {
  readonly id: number;
  readonly state = new ReplicatedState();
  readonly #opts: RaftNodeOptions;
  readonly #rn: RawNode;
  readonly #storage: NodeStorage;
  readonly #clock: NodeClock;
  readonly #log: RaftLogger;
  #transport: NodeTransport | undefined;
  #tickTimer: NodeJS.Timeout | undefined;
  #ticksDone = 0;
  #startMs = 0;
  #processing = false;
  #scheduled = false;
  #closed = false;
  #fatal: Error | undefined;
  #proposalSeq = 0;
  readonly #bootNonce: string;
  readonly #proposals = new Map<string, PendingProposal>();
  readonly #reads = new Map<string, PendingRead>();
  #readSeq = 0;
  #snapshotIndex: number;
  #lastLeader = 0;
  #idle: Array<() => void> = [];
  readonly #appliedListeners = new Set<() => void>();
  /** A newer commit index not yet written (it goes with the next save). */
  #unsavedHardState: Ready["hardState"];

  constructor(opts: RaftNodeOptions) {
    this.id = opts.id;
    this.#opts = opts;
    this.#storage = opts.storage;
    this.#clock = opts.clock ?? systemClock;
    this.#log = opts.logger;
    this.#bootNonce = Math.floor(this.#clock.wallMs()).toString(36);
    const snap = opts.storage.snapshot();
    this.state.restore(snap.data);
    this.state.appliedIndex = snap.metadata.index;
    this.#snapshotIndex = snap.metadata.index;
    this.#rn = new RawNode({
      ...opts.raft,
      id: opts.id,
      storage: opts.storage,
      applied: snap.metadata.index,
      logger: opts.logger,
    });
  }

  /** Connects the transport (created after the node, since its callbacks lead here) and starts ticking. */
  start(transport: NodeTransport): void {
    this.#transport = transport;
    this.#syncPeers();
    this.#startMs = this.#clock.monotonicMs();
    this.#tickTimer = setInterval(() => this.#catchUpTicks(), this.#opts.tickMs);
    this.#tickTimer.unref();
    this.#schedule();
  }

  // ---- inputs from the transport ----

  receive(msgs: Message[]): void {
    if (this.#closed) return;
    // After a freeze, time must move before any message is judged (leases are measured in ticks).
    this.#catchUpTicks();
    for (const m of msgs) {
      try {
        this.#rn.step(m);
      } catch (err) {
        if (err instanceof RaftError && err.code === RaftErrorCode.StepRefused) {
          this.#log.warn({ from: m.from, type: m.type, err: err.message }, "refused a peer message");
          continue;
        }
        this.#fail(err);
        return;
      }
    }
    this.#schedule();
  }

  reportUnreachable(peer: number): void {
    if (this.#closed) return;
    this.#rn.reportUnreachable(peer);
    this.#schedule();
  }

  reportSnapshot(peer: number, ok: boolean): void {
    if (this.#closed) return;
    this.#rn.reportSnapshot(peer, ok);
    this.#schedule();
  }

  // ---- client operations ----

  isLeader(): boolean {
    return this.#rn.raft.state === StateType.Leader;
  }

  leaderId(): number {
    return this.#rn.raft.lead;
  }

  #assertOpen(): void {
    if (this.#closed) throw new NodeError(NodeErrorCode.Closed, "node is closed");
    if (this.#fatal) throw new NodeError(NodeErrorCode.Closed, `node stopped: ${this.#fatal.message}`);
  }

  #notLeader(): NodeError {
    const lead = this.leaderId();
    return new NodeError(
      NodeErrorCode.NotLeader,
      lead ? `not the leader; node ${lead} leads` : "no leader elected",
      {
        leaderId: lead,
      },
    );
  }

  #nextId(): string {
    return `${this.id}-${this.#bootNonce}-${++this.#proposalSeq}`;
  }

  /**
   * Proposes a command; resolves when it is applied on this node. On a follower the proposal goes
   * to the leader over the Raft peer stream (no stamp: its entry keeps the last leader-stamped
   * time). Throws NotLeader when no leader is known.
   */
  propose(rawCmd: unknown, timeoutMs: number): Promise<ApplyResult> {
    this.#assertOpen();
    let cmd: ReturnType<typeof parseCommand>;
    try {
      cmd = parseCommand(rawCmd);
      // Refuse a transaction that cannot apply now, before it takes a log slot (it is checked
      // again when applied, against the state as it is then).
      if (cmd.op === "txn") {
        if (cmd.ifRevision !== undefined && cmd.ifRevision !== this.state.revision)
          throw new RevisionMismatchError(cmd.ifRevision, this.state.revision);
        this.state.services.check(cmd.ops);
      }
    } catch (err) {
      if (err instanceof RevisionMismatchError)
        throw new NodeError(NodeErrorCode.FailedPrecondition, err.message);
      if (isInputError(err)) throw new NodeError(NodeErrorCode.InvalidArgument, err.message);
      throw err;
    }
    const leading = this.isLeader();
    if (!leading && this.leaderId() === 0) throw this.#notLeader();
    const id = this.#nextId();
    const data = encodeEnvelope({ id, ts: leading ? this.#clock.wallMs() : 0, cmd });
    const maxEntryBytes = this.#opts.maxEntryBytes ?? 8 * 1024 * 1024;
    if (data.byteLength > maxEntryBytes)
      throw new NodeError(
        NodeErrorCode.InvalidArgument,
        `the change is ${data.byteLength} bytes as a log entry, over the ${maxEntryBytes}-byte limit: split it into smaller transactions`,
      );
    return this.#track(id, timeoutMs, () => this.#rn.propose(data), leading);
  }

  #track(id: string, timeoutMs: number, submit: () => void, knowsSlot = true): Promise<ApplyResult> {
    try {
      submit();
    } catch (err) {
      if (err instanceof RaftError && err.code === RaftErrorCode.ProposalDropped)
        throw new NodeError(NodeErrorCode.NotLeader, `proposal dropped: ${err.message}`, {
          leaderId: this.leaderId(),
        });
      if (err instanceof RaftError && err.code === RaftErrorCode.InvalidConfChange)
        throw new NodeError(NodeErrorCode.FailedPrecondition, err.message);
      throw err;
    }
    const index = knowsSlot ? this.#rn.raft.raftLog.lastIndex() : 0;
    const p = new Promise<ApplyResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#proposals.delete(id);
        reject(
          new NodeError(
            NodeErrorCode.Timeout,
            `proposal ${id} not applied within ${timeoutMs} ms (outcome unknown)`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      this.#proposals.set(id, { resolve, reject, timer, index });
    });
    this.#schedule();
    return p;
  }

  /**
   * A linearizable read barrier: resolves with an applied index at or after which local reads
   * see every write acknowledged before this call (ReadIndex through the leader).
   */
  readBarrier(timeoutMs: number): Promise<number> {
    this.#assertOpen();
    const key = `${this.#nextId()}-r${++this.#readSeq}`;
    const p = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#reads.delete(key);
        reject(new NodeError(NodeErrorCode.Timeout, `read barrier not confirmed within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.#reads.set(key, { resolve, reject, timer });
    });
    try {
      this.#rn.readIndex(Buffer.from(key));
    } catch (err) {
      const pending = this.#reads.get(key);
      if (pending) {
        clearTimeout(pending.timer);
        this.#reads.delete(key);
      }
      if (err instanceof RaftError && err.code === RaftErrorCode.ProposalDropped) throw this.#notLeader();
      throw err;
    }
    this.#schedule();
    return p;
  }

  /** Adds a node as a learner (it catches up, then `promoteMember` makes it a voter). */
  addLearner(member: Omit<MemberInfo, "learner">, timeoutMs: number): Promise<ApplyResult> {
    return this.#confChange(ConfChangeType.AddLearner, member.id, timeoutMs, {
      peerAddress: member.peerAddress,
      clientAddress: member.clientAddress,
    });
  }

  promoteMember(id: number, timeoutMs: number): Promise<ApplyResult> {
    const conf = this.#rn.raft.trk;
    if (!conf.learners.has(id))
      throw new NodeError(NodeErrorCode.FailedPrecondition, `node ${id} is not a learner of this cluster`);
    return this.#confChange(ConfChangeType.AddNode, id, timeoutMs, {});
  }

  removeMember(id: number, timeoutMs: number): Promise<ApplyResult> {
    if (!this.#rn.raft.trk.isMember(id))
      throw new NodeError(NodeErrorCode.FailedPrecondition, `node ${id} is not a member of this cluster`);
    return this.#confChange(ConfChangeType.RemoveNode, id, timeoutMs, {});
  }

  #confChange(
    type: ConfChange["type"],
    nodeId: number,
    timeoutMs: number,
    extra: Omit<ConfChangeContext, "id">,
  ): Promise<ApplyResult> {
    this.#assertOpen();
    if (!this.isLeader()) throw this.#notLeader();
    const id = this.#nextId();
    const cc: ConfChange = { type, nodeId, context: encodeConfContext({ id, ...extra }) };
    return this.#track(id, timeoutMs, () => this.#rn.proposeConfChange(cc));
  }

  /** Hands leadership to `to`; resolves when this node sees `to` lead, rejects on timeout. */
  async transferLeadership(to: number, timeoutMs: number): Promise<void> {
    this.#assertOpen();
    if (!this.isLeader()) throw this.#notLeader();
    if (!this.#rn.raft.trk.voters.has(to))
      throw new NodeError(NodeErrorCode.FailedPrecondition, `node ${to} is not a voter of this cluster`);
    this.#rn.transferLeadership(to);
    this.#schedule();
    const deadline = this.#clock.monotonicMs() + timeoutMs;
    while (this.leaderId() !== to) {
      if (this.#clock.monotonicMs() > deadline)
        throw new NodeError(NodeErrorCode.Timeout, `leadership did not move to ${to} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, this.#opts.tickMs));
    }
  }

  /** Takes a snapshot of the applied state now and compacts the log behind it. */
  async saveSnapshot(): Promise<{ index: number }> {
    this.#assertOpen();
    await this.#whenIdle();
    await this.#snapshotNow();
    return { index: this.#snapshotIndex };
  }

  /** Ticks left of the leader lease, in milliseconds (0 when not leader or no lease). */
  leaseRemainingMs(): number {
    this.#catchUpTicks();
    const ticks = this.#rn.leaseRemainingTicks();
    // The current tick may be partly over: count only whole ticks after it.
    return Math.max(0, (ticks - 1) * this.#opts.tickMs);
  }

  status(): NodeStatus {
    const st = this.#rn.status();
    const raft = this.#rn.raft;
    const out: NodeStatus = {
      id: this.id,
      term: st.hardState.term,
      vote: st.hardState.vote,
      leader: st.softState.lead,
      role: st.softState.state,
      commitIndex: st.hardState.commit,
      appliedIndex: this.state.appliedIndex,
      lastIndex: raft.raftLog.lastIndex(),
      snapshotIndex: this.#snapshotIndex,
      leaseRemainingMs: this.leaseRemainingMs(),
      confState: st.confState,
    };
    if (st.progress) {
      out.progress = [...st.progress.entries()].map(([id, p]) => ({
        id,
        match: p.match,
        next: p.next,
        state: p.state,
        learner: p.isLearner,
      }));
    }
    return out;
  }

  /** Calls `listener` after every batch of applied entries; returns the unsubscribe function. */
  onApplied(listener: () => void): () => void {
    this.#appliedListeners.add(listener);
    return () => this.#appliedListeners.delete(listener);
  }

  /** Stops ticking and processing; pending calls reject with Closed. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#tickTimer) clearInterval(this.#tickTimer);
    await this.#whenIdle();
    const closed = new NodeError(NodeErrorCode.Closed, "node closed");
    for (const p of this.#proposals.values()) {
      clearTimeout(p.timer);
      p.reject(closed);
    }
    for (const r of this.#reads.values()) {
      clearTimeout(r.timer);
      r.reject(closed);
    }
    this.#proposals.clear();
    this.#reads.clear();
  }

  /** Resolves when no Ready is being processed. */
  #whenIdle(): Promise<void> {
    if (!this.#processing) return Promise.resolve();
    return new Promise((r) => this.#idle.push(r));
  }

  // ---- the loop ----

  #catchUpTicks(): void {
    if (this.#closed || this.#startMs === 0) return;
    const due = Math.floor((this.#clock.monotonicMs() - this.#startMs) / this.#opts.tickMs);
    let n = due - this.#ticksDone;
    if (n <= 0) return;
    this.#ticksDone = due;
    if (this.#rn.raft.state !== StateType.Leader) {
      // A non-leader's own stall is not the leader's silence: the heartbeats may be waiting
      // unread in the socket. Count at most a heartbeat interval and read them first. (Counting
      // fewer ticks only makes a voter hold on to the leader longer and delays its campaign:
      // never unsafe.)
      n = Math.min(n, this.#opts.raft.heartbeatTicks ?? 1);
    } else {
      // A leader must count them all: its lease is measured in ticks and must expire in time.
      const cap = MAX_CATCH_UP_TICKS_FACTOR * (this.#opts.raft.electionTicks ?? 10);
      if (n > cap) {
        this.#log.warn({ missedTicks: n }, "the process was frozen or starved; delivering the missed ticks");
        n = cap;
      }
    }
    for (let i = 0; i < n; i++) this.#rn.tick();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#processing || this.#closed) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#process();
    });
  }

  async #process(): Promise<void> {
    if (this.#processing || this.#fatal) return;
    this.#processing = true;
    try {
      while (!this.#fatal && this.#rn.hasReady()) await this.#handleReady(this.#rn.ready());
    } catch (err) {
      this.#fail(err);
    } finally {
      this.#processing = false;
      const idle = this.#idle;
      this.#idle = [];
      for (const r of idle) r();
    }
  }

  async #handleReady(rd: Ready): Promise<void> {
    const leading = this.#rn.raft.state === StateType.Leader;
    // A leader may send its appends while it persists them (Raft thesis §10.2.1): it counts its
    // own copy toward commit only after advance(). Everyone else persists first.
    if (leading) this.#transport?.send(rd.messages);
    const commitOnly = rd.hardState !== undefined && rd.entries.length === 0 && !rd.snapshot && !rd.mustSync;
    if (commitOnly) {
      // The commit index needs no disk write of its own (Raft can learn it again after a crash):
      // it rides along with the next entries, so applying does not wait for the disk.
      this.#unsavedHardState = rd.hardState;
    } else if (rd.hardState || rd.entries.length > 0 || rd.snapshot) {
      const hardState = rd.hardState ?? this.#unsavedHardState;
      this.#unsavedHardState = undefined;
      await this.#storage.save(
        {
          ...(hardState ? { hardState } : {}),
          entries: rd.entries,
          ...(rd.snapshot ? { snapshot: rd.snapshot } : {}),
        },
        rd.mustSync || rd.snapshot !== undefined,
      );
    }
    if (rd.snapshot) this.#installSnapshot(rd.snapshot);
    if (!leading) this.#transport?.send(rd.messages);
    for (const e of rd.committedEntries) this.#applyEntry(e);
    for (const rs of rd.readStates) {
      const pending = this.#reads.get(Buffer.from(rs.requestCtx).toString());
      if (pending) pending.readIndex = rs.index;
    }
    this.#rn.advance();
    this.#settleReads();
    if (rd.softState && rd.softState.lead !== this.#lastLeader) {
      this.#log.info({ id: this.id, leader: rd.softState.lead, term: this.#rn.raft.term }, "leader changed");
      this.#lastLeader = rd.softState.lead;
      this.#failForwardedProposals();
      this.#reissueReads();
    }
    if (this.state.appliedIndex - this.#snapshotIndex >= this.#opts.snapshotEveryEntries)
      await this.#snapshotNow();
    // Watchers encode and send on their own turn, not on the one that applies entries.
    if ((rd.committedEntries.length > 0 || rd.snapshot) && this.#appliedListeners.size > 0)
      setImmediate(() => {
        for (const l of this.#appliedListeners) l();
      });
  }

  #installSnapshot(s: Snapshot): void {
    this.state.restore(s.data);
    this.state.appliedIndex = s.metadata.index;
    this.#snapshotIndex = s.metadata.index;
    this.#syncPeers();
    this.#log.info(
      { index: s.metadata.index, term: s.metadata.term },
      "installed a snapshot from the leader",
    );
  }

  #syncPeers(): void {
    for (const m of this.state.members.list()) this.#setPeer(m.id, m.peerAddress);
  }

  /** Points the transport at a member; a bad address in the replicated state is logged, not fatal. */
  #setPeer(id: number, address: string): void {
    if (id === this.id || !this.#transport || address === "") return;
    try {
      this.#transport.setPeer(id, address);
    } catch (err) {
      this.#log.error(
        { peer: id, address, err: (err as Error).message },
        "cannot reach a member at its recorded address",
      );
    }
  }

  #applyEntry(e: Ready["committedEntries"][number]): void {
    if (e.index <= this.state.appliedIndex) return;
    if (e.type === EntryType.ConfChange) {
      this.#applyConfChange(e.index, e.data);
      return;
    }
    if (e.data.byteLength === 0) {
      this.state.skip(e.index, this.state.entryTimeMs);
      this.#rejectLostProposals(e.index, undefined);
      return;
    }
    const env = decodeEnvelope(e.data);
    if (!env) {
      this.#log.error({ index: e.index }, "skipped an entry that is not an envelope");
      this.state.skip(e.index, this.state.entryTimeMs);
      return;
    }
    let result: ApplyResult | Error;
    try {
      result = this.state.apply(e.index, env.ts, env.cmd);
    } catch (err) {
      if (err instanceof RevisionMismatchError)
        result = new NodeError(NodeErrorCode.FailedPrecondition, err.message);
      else if (isInputError(err)) result = new NodeError(NodeErrorCode.InvalidArgument, err.message);
      else throw err;
    }
    this.#settleProposal(env.id, result);
    this.#rejectLostProposals(e.index, env.id);
  }

  #applyConfChange(index: number, data: Uint8Array): void {
    const cc = decodeConfChange(data);
    const ctx = decodeConfContext(cc.context);
    this.#rn.applyConfChange(cc);
    if (cc.type === ConfChangeType.AddLearner) {
      this.state.applyMembership(index, {
        type: "add",
        member: {
          id: cc.nodeId,
          peerAddress: ctx?.peerAddress ?? "",
          clientAddress: ctx?.clientAddress ?? "",
          learner: true,
        },
      });
      this.#setPeer(cc.nodeId, ctx?.peerAddress ?? "");
    } else if (cc.type === ConfChangeType.AddNode) {
      this.state.applyMembership(index, { type: "promote", id: cc.nodeId });
    } else {
      this.state.applyMembership(index, { type: "remove", id: cc.nodeId });
      if (cc.nodeId !== this.id) this.#transport?.removePeer(cc.nodeId);
      else this.#log.warn({ id: this.id }, "this node was removed from the cluster");
    }
    this.#log.info(
      { index, change: cc.type, node: cc.nodeId, conf: this.#rn.raft.trk.confState() },
      "membership changed",
    );
    if (ctx) this.#settleProposal(ctx.id, { revision: this.state.revision });
    this.#rejectLostProposals(index, ctx?.id);
  }

  /**
   * Proposals forwarded to a leader that is gone may or may not have reached it: answer at once
   * (outcome unknown) rather than at the timeout, so callers retry against the new leader.
   */
  #failForwardedProposals(): void {
    for (const [id, p] of this.#proposals) {
      if (p.index !== 0) continue;
      this.#proposals.delete(id);
      clearTimeout(p.timer);
      p.reject(
        new NodeError(
          NodeErrorCode.Timeout,
          `the leader changed before proposal ${id} was applied (outcome unknown)`,
        ),
      );
    }
  }

  /**
   * A ReadIndex request sent to a leader that is gone is lost with it: ask the new leader again
   * (the same context) so the read finishes with the new leader instead of at its timeout.
   */
  #reissueReads(): void {
    if (this.leaderId() === 0) return;
    for (const [key, r] of this.#reads) {
      if (r.readIndex !== undefined) continue;
      try {
        this.#rn.readIndex(Buffer.from(key));
      } catch (err) {
        if (!(err instanceof RaftError) || err.code !== RaftErrorCode.ProposalDropped) throw err;
      }
    }
  }

  #settleProposal(id: string, result: ApplyResult | Error): void {
    const p = this.#proposals.get(id);
    if (!p) return;
    this.#proposals.delete(id);
    clearTimeout(p.timer);
    if (result instanceof Error) p.reject(result);
    else p.resolve(result);
  }

  /** A proposal whose log slot now holds another entry was never committed: say so at once. */
  #rejectLostProposals(index: number, appliedId: string | undefined): void {
    for (const [id, p] of this.#proposals) {
      if (p.index === index && id !== appliedId) {
        this.#proposals.delete(id);
        clearTimeout(p.timer);
        p.reject(
          new NodeError(
            NodeErrorCode.ProposalLost,
            `proposal ${id} lost its log slot ${index} to a new leader`,
          ),
        );
      }
    }
  }

  #settleReads(): void {
    for (const [key, r] of this.#reads) {
      if (r.readIndex !== undefined && this.state.appliedIndex >= r.readIndex) {
        this.#reads.delete(key);
        clearTimeout(r.timer);
        r.resolve(this.state.appliedIndex);
      }
    }
  }

  async #snapshotNow(): Promise<void> {
    const index = this.state.appliedIndex;
    if (index <= this.#snapshotIndex) return;
    const confState = this.#rn.raft.trk.confState();
    // Storage snapshots only committed entries it knows of: write the commit index first.
    if (this.#unsavedHardState) {
      const hardState = this.#unsavedHardState;
      this.#unsavedHardState = undefined;
      await this.#storage.save({ hardState, entries: [] }, false);
    }
    await this.#storage.createSnapshot(
      index,
      confState,
      this.state.snapshot(),
      this.#opts.snapshotKeepEntries,
    );
    this.#snapshotIndex = index;
    this.#log.info({ index }, "snapshot taken");
  }

  /** A persistence failure or broken invariant: stop serving rather than risk acknowledged data. */
  #fail(err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    if (this.#fatal) return;
    this.#fatal = e;
    this.#log.error({ err: e.message, stack: e.stack }, "raft node stopped on a fatal error");
    if (this.#tickTimer) clearInterval(this.#tickTimer);
    for (const p of this.#proposals.values()) {
      clearTimeout(p.timer);
      p.reject(new NodeError(NodeErrorCode.Closed, `node stopped: ${e.message}`));
    }
    this.#proposals.clear();
    this.#opts.onFatal?.(e);
  }
}
