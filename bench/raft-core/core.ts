// The raft-core measurement: a 3-node cluster of RawNodes over MemoryStorage driven round by
// round (every node handles one Ready, then every message is delivered), with no I/O at all.

import { type MemberNode, MemoryCluster } from "../../internal/raft/memory-cluster.ts";
import { RawNode } from "../../internal/raft/rawnode.ts";
import { bootstrapStorage, MemoryStorage } from "../../internal/raft/storage.ts";
import { EntryType, type Message, type NodeId, StateType } from "../../internal/raft/types.ts";

const VALUE_BYTES = 256;
/** Distinct payloads reused round-robin, so the measurement is not of the allocator. */
const VALUE_POOL = 4096;
/** Compact every log once it holds this many entries beyond the slowest node's applied index. */
const COMPACT_SLACK = 8192;

interface BenchNode {
  id: NodeId;
  rn: RawNode;
  storage: MemoryStorage;
  /** Application entries applied (leader no-ops excluded). */
  appliedCount: number;
  appliedIndex: number;
}

export interface ReadyStats {
  /** Leader Readies that carried new entries to persist. */
  readies: number;
  /** Application entries those Readies carried. */
  proposals: number;
}

/**
 * A loss-free in-memory cluster driven one round at a time, unlike MemoryCluster.stabilize(),
 * which runs to quiescence: rounds let proposals stay in flight while earlier ones commit.
 */
export class BenchCluster {
  readonly nodes: BenchNode[] = [];
  readonly stats: ReadyStats = { readies: 0, proposals: 0 };
  #queue: Message[] = [];
  #byId = new Map<NodeId, BenchNode>();

  constructor(ids: readonly NodeId[]) {
    for (const id of ids) {
      const storage = new MemoryStorage();
      bootstrapStorage(storage, ids);
      const n: BenchNode = {
        id,
        rn: new RawNode({ id, storage }),
        storage,
        appliedCount: 0,
        appliedIndex: 1,
      };
      this.nodes.push(n);
      this.#byId.set(id, n);
    }
  }

  leader(): BenchNode | undefined {
    return this.nodes.find((n) => n.rn.raft.state === StateType.Leader);
  }

  /** Ticks until a leader is elected and its first entry is applied everywhere; returns it. */
  elect(maxTicks = 1000): BenchNode {
    for (let t = 0; t < maxTicks; t++) {
      for (const n of this.nodes) n.rn.tick();
      this.settle();
      const l = this.leader();
      if (l && this.nodes.every((n) => n.appliedIndex === l.rn.raft.raftLog.lastIndex())) return l;
    }
    throw new Error(`no leader after ${maxTicks} ticks`);
  }

  /** Every node handles one Ready (persist, queue messages, apply, advance), then all messages are delivered. */
  round(): boolean {
    let moved = false;
    for (const n of this.nodes) {
      if (!n.rn.hasReady()) continue;
      moved = true;
      const rd = n.rn.ready();
      if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
      if (rd.entries.length > 0) {
        n.storage.append(rd.entries);
        if (n.rn.raft.state === StateType.Leader) {
          this.stats.readies++;
          for (const e of rd.entries) if (e.data.byteLength > 0) this.stats.proposals++;
        }
      }
      if (rd.hardState) n.storage.setHardState(rd.hardState);
      for (const m of rd.messages) this.#queue.push(m);
      for (const e of rd.committedEntries) {
        if (e.type === EntryType.Normal && e.data.byteLength > 0) n.appliedCount++;
        n.appliedIndex = e.index;
      }
      n.rn.advance();
    }
    const batch = this.#queue;
    this.#queue = [];
    for (const m of batch) this.#byId.get(m.to)?.rn.step(m);
    if (batch.length > 0) moved = true;
    this.#maybeCompact();
    return moved;
  }

  /** Runs rounds until nothing moves. */
  settle(maxRounds = 100_000): void {
    for (let i = 0; i < maxRounds; i++) if (!this.round()) return;
    throw new Error(`cluster did not settle in ${maxRounds} rounds`);
  }

  /** MemoryStorage.append copies the log, so keep it short: drop what every node has applied. */
  #maybeCompact(): void {
    const first = this.nodes[0]!.storage;
    if (first.lastIndex() - first.firstIndex() < COMPACT_SLACK) return;
    let minApplied = Number.POSITIVE_INFINITY;
    for (const n of this.nodes) minApplied = Math.min(minApplied, n.appliedIndex);
    for (const n of this.nodes) {
      const s = n.storage;
      const upTo = Math.min(minApplied, s.lastIndex());
      if (upTo >= s.firstIndex()) s.compact(upTo);
    }
  }
}

/** Deterministic 256-byte payloads (xorshift), distinct per pool slot. */
export function makeValues(count = VALUE_POOL, bytes = VALUE_BYTES): Uint8Array[] {
  let x = 0x9e3779b9;
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const v = new Uint8Array(bytes);
    for (let j = 0; j < bytes; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      v[j] = x & 0xff;
    }
    out.push(v);
  }
  return out;
}

export interface ThroughputResult {
  batch: number;
  inflight: number;
  seconds: number;
  committed: number;
  perSecond: number;
  /** Mean application entries per leader Ready that carried entries. */
  proposalsPerReady: number;
}

/**
 * Proposes batches of `batch` values (propose() for 1, proposeBatch() otherwise) while keeping
 * at most `inflight` proposals uncommitted, for `seconds`; counts entries applied on the leader.
 */
export function measureThroughput(batch: number, inflight: number, seconds: number): ThroughputResult {
  const c = new BenchCluster([1, 2, 3]);
  const leader = c.elect();
  const values = makeValues();
  const batchBuf: Uint8Array[] = new Array(batch);
  const log = leader.rn.raft.raftLog;
  let next = 0;
  const base = leader.appliedCount;
  c.stats.readies = 0;
  c.stats.proposals = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let now = start;
  while (now < deadline) {
    // Top up the window: entries appended but not yet committed stay at most `inflight`.
    while (log.lastIndex() - log.committed + batch <= inflight) {
      if (batch === 1) {
        leader.rn.propose(values[next]!);
        next = (next + 1) % values.length;
      } else {
        for (let i = 0; i < batch; i++) {
          batchBuf[i] = values[next]!;
          next = (next + 1) % values.length;
        }
        leader.rn.proposeBatch(batchBuf);
      }
    }
    c.round();
    now = performance.now();
  }
  const committed = leader.appliedCount - base;
  const elapsed = (now - start) / 1000;
  if (c.leader() !== leader) throw new Error("leadership changed during the run");
  return {
    batch,
    inflight,
    seconds: elapsed,
    committed,
    perSecond: committed / elapsed,
    proposalsPerReady: c.stats.readies > 0 ? c.stats.proposals / c.stats.readies : 0,
  };
}

export interface LatencyResult {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  perSecond: number;
}

/** One proposal at a time: proposes, runs rounds until the leader applies it, records the time. */
export function measureLatency(seconds: number): LatencyResult {
  const c = new BenchCluster([1, 2, 3]);
  const leader = c.elect();
  const values = makeValues(64);
  const samples: number[] = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let now = start;
  while (now < deadline) {
    const want = leader.appliedCount + 1;
    const t0 = performance.now();
    leader.rn.propose(values[samples.length % values.length]!);
    while (leader.appliedCount < want) {
      if (!c.round()) throw new Error("proposal did not commit");
    }
    now = performance.now();
    samples.push(now - t0);
  }
  samples.sort((a, b) => a - b);
  const pick = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return {
    samples: samples.length,
    p50Ms: pick(0.5),
    p99Ms: pick(0.99),
    maxMs: samples[samples.length - 1]!,
    perSecond: samples.length / ((now - start) / 1000),
  };
}

/**
 * The peer: the same proposals driven through MemoryCluster (the unit-test harness), which
 * runs every exchange to quiescence with stabilize(), so one window is in flight at a time.
 */
export function measureHarnessThroughput(batch: number, inflight: number, seconds: number): number {
  const c = new MemoryCluster([1, 2, 3]);
  let leader: MemberNode | undefined;
  for (let t = 0; t < 1000 && leader === undefined; t++) {
    c.tickAll(1);
    c.stabilize();
    leader = c.leader();
  }
  if (leader === undefined) throw new Error("MemoryCluster elected no leader");
  const lead = leader;
  const values = makeValues();
  let next = 0;
  let committed = 0;
  c.onEvent = (e) => {
    if (e.type === "applied" && e.id === lead.id) committed += e.entries.length;
  };
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let now = start;
  while (now < deadline) {
    for (let k = 0; k + batch <= inflight; k += batch) {
      if (batch === 1) {
        lead.rn.propose(values[next]!);
        next = (next + 1) % values.length;
      } else {
        const b: Uint8Array[] = new Array(batch);
        for (let i = 0; i < batch; i++) {
          b[i] = values[next]!;
          next = (next + 1) % values.length;
        }
        lead.rn.proposeBatch(b);
      }
    }
    c.stabilize();
    // The harness keeps every applied entry and the whole log; trim both as a real node would.
    let minApplied = Number.POSITIVE_INFINITY;
    for (const n of c.nodes.values()) {
      n.applied.length = 0;
      minApplied = Math.min(minApplied, n.rn.raft.raftLog.applied);
    }
    for (const n of c.nodes.values()) {
      const s = n.storage;
      if (s.lastIndex() - s.firstIndex() >= COMPACT_SLACK && minApplied >= s.firstIndex())
        s.compact(minApplied);
    }
    now = performance.now();
  }
  return committed / ((now - start) / 1000);
}
