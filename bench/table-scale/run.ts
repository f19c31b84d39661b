// The two phases, driven the same way against any 3-member system (raftvs, or etcd as the peer):
// load the table in transactions with several in flight, then single changes one at a time, each
// timed until every member's watch has reported it.

import { SeenOnAll } from "./seen.ts";
import { cpuMeter, type Summary, summarize } from "./stats.ts";
import { addOps, batches, type TableOp, weightChange } from "./workload.ts";

/** A replicated table the bench can drive: transactions of table ops, and a watch per member. */
export interface TableSystem {
  readonly name: string;
  /** Member process ids, member 1 first (CPU accounting). */
  pids(): number[];
  /** Which member leads (1-based); transactions are sent to it. */
  readonly leader: number;
  /** Opens one watch per member from its current revision, reporting to `seen` (member i at i-1). */
  watch(seen: SeenOnAll): Promise<void>;
  /** Turns ops into whatever `apply` sends, outside the timed part. */
  prepare(ops: TableOp[]): unknown;
  /** Applies one prepared transaction on the leader; resolves with its revision when acknowledged. */
  apply(prepared: unknown): Promise<number>;
  /** Ops that add one service outside the workload's addresses, then ops that delete it. */
  warmupOps(): [TableOp[], TableOp[]];
  /** The highest Raft term any member reports (each election raises it). */
  term(): Promise<number>;
  /** Finds the leader again (after an election); later transactions go to it. */
  refreshLeader(): Promise<number>;
  /** Transactions sent again after an election so far. */
  readonly retries: number;
}

export interface Workload {
  services: number;
  serversPerService: number;
  txnSize: number;
  inflight: number;
  changes: number;
}

export interface LoadResult {
  transactions: number;
  /** From the first Apply call to the last revision reported by every member. */
  totalMs: number;
  servicesPerSecond: number;
  realServersPerSecond: number;
  lastRevision: number;
  /** Per transaction: call to acknowledgement. */
  ackMs: Summary;
  /** Per transaction: call to reported by every member. */
  seenAllMs: Summary;
  /** CPU seconds the members used during the phase, member 1 first. */
  cpuSeconds: number[];
  /** CPU seconds this process (the client and the three watches) used during the phase. */
  clientCpuSeconds: number;
}

export interface ChangeResult {
  /** Call to reported by every member (the target's figure). */
  seenAllMs: Summary;
  /** Call to acknowledgement. */
  ackMs: Summary;
  /** Call to reported by the first member. */
  seenFirstMs: Summary;
  /** Acknowledgement to reported by every member (negative when the watches were faster). */
  ackToAllMs: Summary;
  cpuSeconds: number[];
  clientCpuSeconds: number;
}

export interface SystemResult {
  system: string;
  leader: number;
  load: LoadResult;
  changes: ChangeResult;
  /** Elections (Raft term increases) during each phase. */
  elections: { load: number; changes: number };
  /** Transactions sent again because an election lost or refused them, per phase. */
  retries: { load: number; changes: number };
  /** Each phase's span on the monotonic clock in microseconds (what V8's CPU profiles stamp). */
  windowsUs: { load: [number, number]; changes: [number, number] };
}

const cpuOf = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1e6;

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

const WAIT_LOAD_MS = 300_000;
const WAIT_CHANGE_MS = 30_000;

async function warmup(sys: TableSystem, seen: SeenOnAll): Promise<void> {
  for (const ops of sys.warmupOps()) {
    const rev = await sys.apply(sys.prepare(ops));
    await seen.waitAll(rev, WAIT_CHANGE_MS);
  }
}

async function load(sys: TableSystem, seen: SeenOnAll, w: Workload): Promise<LoadResult> {
  const prepared = batches(w.services, w.txnSize).map(([from, to]) =>
    sys.prepare(addOps(from, to, w.serversPerService)),
  );
  const txns: Array<{ start: number; ack: number; revision: number }> = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < prepared.length) {
      const p = prepared[next++]!;
      const start = performance.now();
      const revision = await sys.apply(p);
      txns.push({ start, ack: performance.now(), revision });
    }
  };
  const cpu = cpuMeter(sys.pids());
  const clientCpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(w.inflight, prepared.length) }, worker));
  const lastRevision = Math.max(...txns.map((t) => t.revision));
  const tAll = await seen.waitAll(lastRevision, WAIT_LOAD_MS);
  const cpuSeconds = cpu();
  const clientCpuSeconds = cpuOf(process.cpuUsage(clientCpu));
  const totalMs = tAll - t0;
  return {
    transactions: txns.length,
    totalMs,
    servicesPerSecond: w.services / (totalMs / 1000),
    realServersPerSecond: (w.services * w.serversPerService) / (totalMs / 1000),
    lastRevision,
    ackMs: summarize(txns.map((t) => t.ack - t.start)),
    seenAllMs: summarize(txns.map((t) => seen.timeOnAll(t.revision)! - t.start)),
    cpuSeconds,
    clientCpuSeconds,
  };
}

async function changes(sys: TableSystem, seen: SeenOnAll, w: Workload): Promise<ChangeResult> {
  const all: number[] = [];
  const ack: number[] = [];
  const first: number[] = [];
  const ackToAll: number[] = [];
  const cpu = cpuMeter(sys.pids());
  const clientCpu = process.cpuUsage();
  for (let n = 0; n < w.changes; n++) {
    const p = sys.prepare([weightChange(n, w.services, w.serversPerService)]);
    const start = performance.now();
    const revision = await sys.apply(p);
    const acked = performance.now();
    const onAll = await seen.waitAll(revision, WAIT_CHANGE_MS);
    const firstAt = Math.min(...seen.timesOf(revision).map((t) => t ?? Number.POSITIVE_INFINITY));
    all.push(onAll - start);
    ack.push(acked - start);
    first.push(firstAt - start);
    ackToAll.push(onAll - acked);
  }
  return {
    seenAllMs: summarize(all),
    ackMs: summarize(ack),
    seenFirstMs: summarize(first),
    ackToAllMs: summarize(ackToAll),
    cpuSeconds: cpu(),
    clientCpuSeconds: cpuOf(process.cpuUsage(clientCpu)),
  };
}

/** Warm-up (one service added and deleted), then the load phase, then the single changes. */
export async function runPhases(
  sys: TableSystem,
  w: Workload,
  progress: (line: string) => void,
): Promise<SystemResult> {
  const seen = new SeenOnAll(3);
  await sys.watch(seen);
  await warmup(sys, seen);
  progress(`${sys.name}: loading ${w.services.toLocaleString("en-US")} services`);
  const term0 = await sys.term();
  const retries0 = sys.retries;
  const loadStart = monotonicUs();
  const l = await load(sys, seen, w);
  const loadEnd = monotonicUs();
  const term1 = await sys.term();
  const retries1 = sys.retries;
  if (term1 !== term0) await sys.refreshLeader();
  progress(`${sys.name}: ${w.changes.toLocaleString("en-US")} single changes`);
  const changesStart = monotonicUs();
  const c = w.changes > 0 ? await changes(sys, seen, w) : emptyChanges();
  const changesEnd = monotonicUs();
  const term2 = await sys.term();
  return {
    system: sys.name,
    leader: sys.leader,
    load: l,
    changes: c,
    elections: { load: term1 - term0, changes: term2 - term1 },
    retries: { load: retries1 - retries0, changes: sys.retries - retries1 },
    windowsUs: { load: [loadStart, loadEnd], changes: [changesStart, changesEnd] },
  };
}

function emptyChanges(): ChangeResult {
  const none = summarize([]);
  return {
    seenAllMs: none,
    ackMs: none,
    seenFirstMs: none,
    ackToAllMs: none,
    cpuSeconds: [],
    clientCpuSeconds: 0,
  };
}
