// One simulated node: a RawNode over its "disk" (a MemoryStorage that survives crashes), the KV
// state machine, the Ready loop (persist, then send, then apply, then advance), periodic
// snapshots with log compaction, client requests, and crash / restart / pause / resume.

import { decodeConfChange } from "../confchange.ts";
import type { RaftConfigInput } from "../config.ts";
import { RaftError, RaftErrorCode } from "../errors.ts";
import { RawNode } from "../rawnode.ts";
import type { MemoryStorage } from "../storage.ts";
import {
  type ConfChange,
  type ConfState,
  type Entry,
  EntryType,
  type Message,
  type NodeId,
  type Ready,
  StateType,
} from "../types.ts";
import { type SafetyChecker, ViolationKind } from "./checkers.ts";
import type { ClientReply, ClientRequest, SubmitResult } from "./clients.ts";
import { decodeCommand, decodeRequestId, encodeCommand, encodeRequestId, KvStore, requestId } from "./kv.ts";

export type HostStatus = "up" | "paused" | "crashed" | "stopped";

/** What a host reaches outside itself. */
export interface HostEnv {
  now(): number;
  send(m: Message): void;
  reply(r: ClientReply): void;
  checker: SafetyChecker;
  /** Time from a change in the node to its next Ready turn (the disk's write latency). */
  diskDelay(): number;
  /** `host` took office as leader (reported once per term, at its first Ready as leader). */
  leaderElected(host: Host): void;
  /** A committed conf change was applied by `host` at `index`. */
  confChangeApplied(host: Host, index: number, cc: ConfChange, cs: ConfState): void;
  trace: ((line: string) => void) | undefined;
  stats: HostStats;
}

export interface HostStats {
  snapshotsTaken: number;
  snapshotsInstalled: number;
  entriesApplied: number;
  readies: number;
}

export interface HostConfig {
  /** RawNode settings shared by all nodes (everything but id, storage, applied and randomSeed). */
  raft: Omit<RaftConfigInput, "id" | "storage" | "applied" | "randomSeed">;
  randomSeed: number;
  /** Take a snapshot every this many applied entries. */
  snapshotEvery: number;
  /** Entries kept in the log below a snapshot when compacting. */
  compactKeep: number;
  /** Pending client requests older than this are forgotten (their clients gave up long ago). */
  requestMaxAge: number;
}

type InboxItem =
  | { kind: "msg"; msg: Message }
  | { kind: "request"; req: ClientRequest }
  | { kind: "snapStatus"; peer: NodeId; ok: boolean }
  | { kind: "unreachable"; peer: NodeId };

interface PendingRead {
  clientId: number;
  seq: number;
  key: string;
  /** The read index once the ReadState arrived, else -1. */
  index: number;
  at: number;
}

/** Most Ready batches handled in one go (a guard against a library that always has work). */
const MAX_READIES_PER_TURN = 50;

export class Host {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  status: HostStatus = "crashed";
  /** Bumped at every crash: reports addressed to an older incarnation are dropped. */
  incarnation = 0;
  /** Due time of the next Ready turn, or undefined when nothing changed since the last one. */
  readyAt: number | undefined;
  /** Ticks missed while paused, delivered at resume before any message. */
  missedTicks = 0;
  /** Offset of this node's ticks within a tick period (nodes' clocks are not in phase). */
  readonly tickPhase: number;

  readonly #cfg: HostConfig;
  readonly #env: HostEnv;
  #rn: RawNode | undefined;
  #kv = new KvStore();
  #applied = 0;
  #confState: ConfState = { voters: [], learners: [] };
  #term = 0;
  #lead: NodeId = 0;
  #role: StateType = StateType.Follower;
  #leaderTermReported = 0;
  #lastSnapIndex = 0;
  #restarts = 0;
  #inbox: InboxItem[] = [];
  #pendingWrites = new Map<string, number>();
  #pendingReads = new Map<string, PendingRead>();

  constructor(id: NodeId, storage: MemoryStorage, cfg: HostConfig, env: HostEnv, tickPhase: number) {
    this.id = id;
    this.storage = storage;
    this.#cfg = cfg;
    this.#env = env;
    this.tickPhase = tickPhase;
  }

  get applied(): number {
    return this.#applied;
  }
  get term(): number {
    return this.#term;
  }
  get lead(): NodeId {
    return this.#lead;
  }
  get isLeader(): boolean {
    return this.status === "up" && this.#role === StateType.Leader;
  }
  get confState(): ConfState {
    return this.#confState;
  }
  get kvDigest(): string {
    return this.#kv.digest();
  }
  /** The RawNode, while the node runs (for status pages and admin calls). */
  get rawNode(): RawNode | undefined {
    return this.status === "up" || this.status === "paused" ? this.#rn : undefined;
  }

  /** Starts (or restarts) the node from what its disk holds. */
  start(): void {
    const snap = this.storage.snapshot();
    this.#kv = KvStore.restore(snap.data);
    this.#applied = snap.metadata.index;
    this.#lastSnapIndex = snap.metadata.index;
    this.#confState = snap.metadata.confState;
    this.#term = this.storage.hardState().term;
    this.#lead = 0;
    this.#role = StateType.Follower;
    this.#inbox = [];
    this.#pendingWrites.clear();
    this.#pendingReads.clear();
    this.readyAt = undefined;
    this.missedTicks = 0;
    this.status = "up";
    this.#guard("start", () => {
      this.#rn = new RawNode({
        ...this.#cfg.raft,
        id: this.id,
        storage: this.storage,
        applied: snap.metadata.index,
        // A restarted node draws a fresh election jitter, still fixed by the run's seed.
        randomSeed: (this.#cfg.randomSeed + this.#restarts * 7919) | 0,
      });
    });
    this.#restarts++;
  }

  /** Power loss: everything not yet persisted (unstable log, pending Ready, inbox) is gone. */
  crash(): void {
    this.status = "crashed";
    this.incarnation++;
    this.#rn = undefined;
    this.#inbox = [];
    this.#pendingWrites.clear();
    this.#pendingReads.clear();
    this.readyAt = undefined;
    this.#role = StateType.Follower;
    this.#lead = 0;
  }

  /** Removed from the cluster: never runs again. */
  stop(): void {
    this.crash();
    this.status = "stopped";
  }

  pause(): void {
    if (this.status === "up") {
      this.status = "paused";
      this.missedTicks = 0;
    }
  }

  /** SIGCONT: first the ticks the monotonic clock ran while frozen, then the queued input. */
  resume(): void {
    if (this.status !== "paused") return;
    this.status = "up";
    const ticks = this.missedTicks;
    this.missedTicks = 0;
    for (let i = 0; i < ticks && this.status === "up"; i++) this.tick();
    const inbox = this.#inbox;
    this.#inbox = [];
    for (const item of inbox) {
      if (this.status !== "up") break;
      this.#handle(item);
    }
  }

  tick(): void {
    if (this.status === "paused") {
      this.missedTicks++;
      return;
    }
    const rn = this.#rn;
    if (this.status !== "up" || rn === undefined) return;
    this.#guard("tick", () => rn.tick());
    this.#touch();
  }

  deliver(msg: Message): void {
    this.#input({ kind: "msg", msg });
  }

  reportSnapshot(peer: NodeId, ok: boolean): void {
    this.#input({ kind: "snapStatus", peer, ok });
  }

  reportUnreachable(peer: NodeId): void {
    this.#input({ kind: "unreachable", peer });
  }

  /** A client request arriving now. A frozen node queues it: its answer comes after resume. */
  submit(req: ClientRequest): SubmitResult {
    if (this.status === "paused") {
      this.#inbox.push({ kind: "request", req });
      return { kind: "accepted" };
    }
    if (this.status !== "up") return { kind: "rejected", leaderHint: 0 };
    return this.#request(req);
  }

  /** Asks this node (when leader) to hand leadership over. */
  transferLeadership(to: NodeId): void {
    const rn = this.#rn;
    if (this.status !== "up" || rn === undefined) return;
    this.#guard("transferLeadership", () => rn.transferLeadership(to));
    this.#touch();
  }

  /** Proposes a membership change; false when the node is down or Raft dropped it. */
  proposeConfChange(cc: ConfChange): boolean {
    const rn = this.#rn;
    if (this.status !== "up" || rn === undefined) return false;
    try {
      rn.proposeConfChange(cc);
    } catch (err) {
      if (err instanceof RaftError && err.code === RaftErrorCode.ProposalDropped) return false;
      this.#libraryError("proposeConfChange", err);
      return false;
    }
    this.#touch();
    return true;
  }

  /** Drops client requests whose clients gave up long ago. */
  prune(now: number): void {
    const maxAge = this.#cfg.requestMaxAge;
    for (const [id, at] of this.#pendingWrites) if (now - at > maxAge) this.#pendingWrites.delete(id);
    for (const [id, r] of this.#pendingReads) if (now - r.at > maxAge) this.#pendingReads.delete(id);
  }

  /** Handles every Ready the node has: persist, send, apply, advance; then snapshot if due. */
  processReady(): void {
    this.readyAt = undefined;
    const rn = this.#rn;
    if (this.status !== "up" || rn === undefined) return;
    for (let turn = 0; turn < MAX_READIES_PER_TURN; turn++) {
      let more = false;
      this.#guard("ready", () => {
        if (!rn.hasReady()) return;
        this.#handleReady(rn, rn.ready());
        rn.advance();
        this.#serveReads();
        this.#maybeSnapshot();
        more = true;
      });
      if (!more || this.#rn !== rn || this.status !== "up") return;
    }
    this.#touch(); // still busy: come back next turn
  }

  #handleReady(rn: RawNode, rd: Ready): void {
    const env = this.#env;
    env.stats.readies++;
    // 1. Persist: snapshot, entries, hard state.
    if (rd.snapshot !== undefined) this.storage.applySnapshot(rd.snapshot);
    if (rd.entries.length > 0) {
      this.storage.append(rd.entries);
      const first = this.storage.firstIndex();
      const kept = rd.entries[0]!.index >= first ? rd.entries : rd.entries.filter((e) => e.index >= first);
      env.checker.persisted(this.id, kept, (i) => this.storage.term(i));
    }
    const prevCommit = this.storage.hardState().commit;
    if (rd.hardState !== undefined) {
      this.storage.setHardState(rd.hardState);
      this.#term = rd.hardState.term;
    }
    if (rd.softState !== undefined) this.#onSoftState(rn, rd.softState.lead, rd.softState.state);
    const commit = rd.hardState?.commit ?? prevCommit;
    if (this.#role === StateType.Leader && commit > prevCommit && commit >= this.storage.firstIndex()) {
      env.checker.leaderCommitted(this.id, this.#term, commit, this.storage.term(commit));
    }
    // 2. Send.
    for (const m of rd.messages) env.send(m);
    // 3. Apply.
    if (rd.snapshot !== undefined) {
      const meta = rd.snapshot.metadata;
      this.#kv = KvStore.restore(rd.snapshot.data);
      this.#applied = meta.index;
      this.#lastSnapIndex = meta.index;
      this.#confState = meta.confState;
      env.stats.snapshotsInstalled++;
      env.checker.stateAt(this.id, meta.index, this.#kv.digest());
      env.trace?.(`t=${env.now()} n${this.id} installed snapshot at ${meta.index} (term ${meta.term})`);
    }
    for (const e of rd.committedEntries) this.#apply(rn, e);
    for (const rs of rd.readStates) {
      const r = this.#pendingReads.get(decodeRequestId(rs.requestCtx));
      if (r !== undefined) r.index = rs.index;
    }
  }

  #onSoftState(rn: RawNode, lead: NodeId, state: StateType): void {
    const env = this.#env;
    if (state !== this.#role || lead !== this.#lead) {
      env.trace?.(`t=${env.now()} n${this.id} ${state} term=${this.#term} lead=${lead}`);
    }
    this.#lead = lead;
    this.#role = state;
    if (state !== StateType.Leader) return;
    const term = rn.status().hardState.term;
    if (term === this.#leaderTermReported) return;
    this.#leaderTermReported = term;
    const snapIndex = this.storage.firstIndex() - 1;
    const terms: number[] = [];
    for (let i = snapIndex + 1; i <= this.storage.lastIndex(); i++) terms.push(this.storage.term(i));
    env.checker.leaderElected({ nodeId: this.id, term, snapIndex, terms }, this.#confState.voters);
    env.leaderElected(this);
  }

  #apply(rn: RawNode, e: Entry): void {
    const env = this.#env;
    if (e.index !== this.#applied + 1) {
      env.checker.report(
        ViolationKind.LibraryError,
        `n${this.id} applied entry ${e.index} after ${this.#applied}`,
      );
    }
    if (
      e.index > this.storage.lastIndex() ||
      (e.index >= this.storage.firstIndex() && this.storage.term(e.index) !== e.term)
    ) {
      env.checker.report(
        ViolationKind.LibraryError,
        `n${this.id} applied entry ${e.index} before persisting it`,
      );
    }
    this.#applied = e.index;
    env.stats.entriesApplied++;
    env.checker.applied(this.id, e, this.#term);
    if (e.type === EntryType.ConfChange) {
      const cc = decodeConfChange(e.data);
      this.#confState = rn.applyConfChange(cc);
      env.trace?.(
        `t=${env.now()} n${this.id} applied conf change ${cc.type} n${cc.nodeId} at ${e.index}: ` +
          `voters=${this.#confState.voters.join(",")} learners=${this.#confState.learners.join(",")}`,
      );
      env.confChangeApplied(this, e.index, cc, this.#confState);
      return;
    }
    if (e.data.byteLength === 0) return; // a new leader's empty entry
    const cmd = decodeCommand(e.data);
    this.#kv.put(cmd.key, cmd.value);
    const id = requestId(cmd.clientId, cmd.seq);
    if (this.#pendingWrites.delete(id)) {
      env.reply({ ok: true, from: this.id, clientId: cmd.clientId, seq: cmd.seq, value: undefined });
    }
  }

  #serveReads(): void {
    for (const [id, r] of this.#pendingReads) {
      if (r.index < 0 || r.index > this.#applied) continue;
      this.#pendingReads.delete(id);
      this.#env.reply({
        ok: true,
        from: this.id,
        clientId: r.clientId,
        seq: r.seq,
        value: this.#kv.get(r.key),
      });
    }
  }

  #maybeSnapshot(): void {
    if (this.#applied - this.#lastSnapIndex < this.#cfg.snapshotEvery) return;
    const index = this.#applied;
    const data = this.#kv.snapshot();
    this.storage.createSnapshot(index, this.#confState, data);
    this.#lastSnapIndex = index;
    this.#env.stats.snapshotsTaken++;
    this.#env.checker.stateAt(this.id, index, this.#kv.digest());
    const compactTo = index - this.#cfg.compactKeep;
    if (compactTo > this.storage.firstIndex() - 1) this.storage.compact(compactTo);
  }

  #input(item: InboxItem): void {
    if (this.status === "paused") this.#inbox.push(item);
    else if (this.status === "up") this.#handle(item);
  }

  #handle(item: InboxItem): void {
    const rn = this.#rn;
    if (rn === undefined) return;
    switch (item.kind) {
      case "msg":
        try {
          rn.step(item.msg);
        } catch (err) {
          if (!(err instanceof RaftError && err.code === RaftErrorCode.StepRefused)) {
            this.#libraryError(`step ${item.msg.type} from n${item.msg.from}`, err);
          }
        }
        break;
      case "request": {
        const res = this.#request(item.req);
        if (res.kind === "rejected") {
          const { clientId, seq } = item.req;
          this.#env.reply({ ok: false, from: this.id, clientId, seq, leaderHint: res.leaderHint });
        }
        break;
      }
      case "snapStatus":
        this.#guard("reportSnapshot", () => rn.reportSnapshot(item.peer, item.ok));
        break;
      case "unreachable":
        this.#guard("reportUnreachable", () => rn.reportUnreachable(item.peer));
        break;
    }
    this.#touch();
  }

  #request(req: ClientRequest): SubmitResult {
    const rn = this.#rn;
    if (rn === undefined) return { kind: "rejected", leaderHint: 0 };
    const soft = rn.status().softState;
    if (soft.state !== StateType.Leader) return { kind: "rejected", leaderHint: soft.lead };
    const id = requestId(req.clientId, req.seq);
    try {
      if (req.kind === "put") {
        rn.propose(encodeCommand({ clientId: req.clientId, seq: req.seq, key: req.key, value: req.value }));
        this.#pendingWrites.set(id, this.#env.now());
      } else {
        rn.readIndex(encodeRequestId(id));
        this.#pendingReads.set(id, {
          clientId: req.clientId,
          seq: req.seq,
          key: req.key,
          index: -1,
          at: this.#env.now(),
        });
      }
    } catch (err) {
      if (!(err instanceof RaftError && err.code === RaftErrorCode.ProposalDropped))
        this.#libraryError(req.kind, err);
      return { kind: "rejected", leaderHint: 0 };
    }
    this.#touch();
    return { kind: "accepted" };
  }

  #touch(): void {
    if (this.readyAt === undefined) this.readyAt = this.#env.now() + this.#env.diskDelay();
  }

  /** Runs a library call; an unexpected throw is reported and the node crashes (a panic). */
  #guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#libraryError(what, err);
    }
  }

  #libraryError(what: string, err: unknown): void {
    const desc =
      err instanceof RaftError
        ? `${err.code} ${err.message}`
        : err instanceof Error
          ? err.message
          : String(err);
    this.#env.checker.report(ViolationKind.LibraryError, `n${this.id} ${what}: ${desc}`);
    this.#env.trace?.(`t=${this.#env.now()} n${this.id} PANIC in ${what}: ${desc}`);
    this.crash();
  }
}
