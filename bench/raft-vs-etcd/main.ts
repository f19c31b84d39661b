// `npm run bench:raft-vs-etcd`: a 3-node raftvs cluster against a 3-member etcd 3.4 cluster, both on
// loopback with fsync on, driven by the same client shape: writes/s and latency at 1, 16 and 64
// concurrent writers, leader failover time over repeated kill -9, and the ratios raftvs/etcd.

import { type ChildProcess, fork } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { numberFlag, UsageError } from "../flags.ts";
import { makePutter, type SystemName } from "./clients.ts";
import {
  type BenchCluster,
  checkPortFree,
  EtcdCluster,
  findEtcd,
  RaftvsCluster,
  sleep,
  waitFor,
} from "./clusters.ts";
import { type KillResult, measureFailover } from "./failover.ts";
import { FsyncCounter, perfAvailable } from "./fsync-count.ts";
import { Histogram, medianOf, percentileOf } from "./histogram.ts";
import type { LoadResult } from "./load.ts";
import { CpuSample } from "./proc-stats.ts";
import { formatSummary, readProfile, summarize } from "./profile-summary.ts";
import type { WorkerReply, WorkerRequest } from "./worker.ts";

const USAGE = `usage: npm run bench:raft-vs-etcd -- [options]

A 3-node raftvs cluster against a 3-member etcd 3.4 cluster (Debian's etcd-server), both on
loopback with fsync on, one system at a time, driven by the same client: N concurrent writer
loops, each awaiting one put at a time, random keys, fixed-size values, fixed duration; then
leader failover (kill -9 the leader, time to the first successful put) over repeated kills.

  --seconds S        measured seconds per writer count (default 10)
  --warmup S         unmeasured seconds before each measurement (default 1)
  --writers LIST     concurrent writers, comma-separated (default 1,16,64)
  --kills N          leader kills per system for failover (default 10; 0 skips failover)
  --systems LIST     raftvs,etcd (default both)
  --workers N        load-generator processes the writers are split over (default 2)
  --keys N           key space (default 1000)
  --value-bytes N    value size (default 256)
  --attempt-ms MS    deadline of one failover probe attempt (default 100)
  --endpoints WHICH  all (default): clients spread over the three members; leader: clients talk
                     to the leader only (a diagnostic: no follower-to-leader forwarding)
  --port-base P      ports P..P+32 on 127.0.0.1 (default 24000)
  --data-root DIR    where the temp data dirs go (default the OS temp dir)
  --etcd-bin PATH    etcd binary (default: etcd on PATH)
  --fsyncs           count fsync/fdatasync calls per member with perf (needs perf and root)
  --profile DIR      raftvs only: CPU-profile each raftvsd over each measured window into DIR
                     and record its event-loop utilization and delay once a second (through a
                     preloaded probe; the failover phase is skipped)
  --keep-data        keep the data dirs and server logs
  --json             also print the results as one JSON line
  -h, --help         show this help
`;

const ETCD_MISSING = `This bench runs Debian's etcd 3.4 as the peer; install it with
  apt-get update && apt-get install -y etcd-server
or pass --etcd-bin PATH, or run raftvs alone with --systems raftvs.
`;

interface Options {
  seconds: number;
  warmup: number;
  writers: number[];
  kills: number;
  systems: SystemName[];
  workers: number;
  keys: number;
  valueBytes: number;
  attemptMs: number;
  portBase: number;
  endpoints: "all" | "leader";
  dataRoot: string;
  etcdBin: string | undefined;
  fsyncs: boolean;
  profile: string | undefined;
  keepData: boolean;
  json: boolean;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      seconds: { type: "string", default: "10" },
      warmup: { type: "string", default: "1" },
      writers: { type: "string", default: "1,16,64" },
      kills: { type: "string", default: "10" },
      systems: { type: "string", default: "raftvs,etcd" },
      workers: { type: "string", default: "2" },
      keys: { type: "string", default: "1000" },
      "value-bytes": { type: "string", default: "256" },
      "attempt-ms": { type: "string", default: "100" },
      "port-base": { type: "string", default: "24000" },
      endpoints: { type: "string", default: "all" },
      "data-root": { type: "string", default: os.tmpdir() },
      "etcd-bin": { type: "string" },
      fsyncs: { type: "boolean", default: false },
      profile: { type: "string" },
      "keep-data": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return undefined;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const systems = values.systems.split(",").map((s) => s.trim());
  for (const s of systems)
    if (s !== "raftvs" && s !== "etcd")
      throw new UsageError(`--systems: unknown system "${s}" (raftvs, etcd)`);
  if (values.endpoints !== "all" && values.endpoints !== "leader")
    throw new UsageError(`--endpoints must be all or leader (got "${values.endpoints}")`);
  if (values.profile !== undefined && !systems.includes("raftvs"))
    throw new UsageError("--profile profiles raftvs: include it in --systems");
  return {
    seconds: numberFlag("seconds", values.seconds, 0.5, 3600, false),
    warmup: numberFlag("warmup", values.warmup, 0, 60, false),
    writers: values.writers.split(",").map((w) => numberFlag("writers", w, 1, 10_000)),
    kills: numberFlag("kills", values.kills, 0, 1000),
    systems: [...new Set(systems)] as SystemName[],
    workers: numberFlag("workers", values.workers, 1, 16),
    keys: numberFlag("keys", values.keys, 1, 10_000_000),
    valueBytes: numberFlag("value-bytes", values["value-bytes"], 1, 1_000_000),
    attemptMs: numberFlag("attempt-ms", values["attempt-ms"], 10, 60_000),
    portBase: numberFlag("port-base", values["port-base"], 1024, 65_000),
    endpoints: values.endpoints as "all" | "leader",
    dataRoot: resolve(values["data-root"]),
    etcdBin: values["etcd-bin"],
    fsyncs: values.fsyncs,
    profile: values.profile === undefined ? undefined : resolve(values.profile),
    keepData: values["keep-data"],
    json: values.json,
  };
}

// ---- load-generator processes ----

class Workers {
  readonly #procs: ChildProcess[] = [];
  readonly #pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  #seq = 0;
  #closing = false;

  static async start(n: number): Promise<Workers> {
    const w = new Workers();
    const file = fileURLToPath(new URL("./worker.ts", import.meta.url));
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    await Promise.all(
      Array.from({ length: n }, () => {
        const child = fork(file, [], {
          execArgv: ["--import", "tsx"],
          env,
          stdio: ["ignore", "inherit", "inherit", "ipc"],
        });
        w.#procs.push(child);
        return new Promise<void>((ready, fail) => {
          child.once("exit", (code, signal) => {
            const err = new Error(`a load worker exited (${code ?? signal})`);
            fail(err);
            if (w.#closing) return;
            for (const p of w.#pending.values()) p.reject(err);
            w.#pending.clear();
          });
          child.on("message", (m: WorkerReply) => {
            if ("ready" in m) return ready();
            const p = w.#pending.get(m.id);
            if (!p) return;
            w.#pending.delete(m.id);
            if (m.ok) p.resolve(m.result);
            else p.reject(new Error(`load worker: ${m.error}`));
          });
        });
      }),
    );
    return w;
  }

  get count(): number {
    return this.#procs.length;
  }

  run(i: number, req: Omit<WorkerRequest, "id">): Promise<LoadResult> {
    const id = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#procs[i]!.send({ ...req, id } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(
      this.#procs.map(
        (p) =>
          new Promise<void>((r) => {
            if (p.exitCode !== null || p.signalCode !== null) return r();
            p.once("exit", () => r());
            p.send({ close: true });
            setTimeout(() => p.kill("SIGKILL"), 5000).unref();
          }),
      ),
    );
  }
}

// ---- one throughput run ----

interface RunResult {
  writers: number;
  writesPerS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  errors: number;
  firstError: string | undefined;
  /** Raft term changes during the run (each one an election, won or not). */
  elections: number;
  /** CPU cores used by the three servers together (CPU-s per s). */
  serverCores: number;
  perMemberCores: Record<string, number>;
  writesPerServerCpuS: number;
  machineBusy: number;
  /** Of the busiest load-generator process: cores, and its event-loop delay p99. */
  clientCores: number;
  /** All load-generator processes together. */
  clientTotalCores: number;
  /** Machine CPU in use by anything else (other jobs on the machine), in cores. */
  otherCores: number;
  clientLoopDelayP99Ms: number;
  fsyncsPerS?: number;
  perMemberFsyncsPerS?: Record<string, number>;
  leader?: number;
  /** --profile: per member, mean event-loop utilization and worst per-second p99 delay. */
  loop?: Record<string, { elu: number; eldP99Ms: number; cores: number }>;
  windowMs: [number, number];
  /** --profile: the CPU profile of each member over the window (member id → file). */
  profiles?: Record<string, string>;
}

const profileSeq = new Map<number, number>();

/** Waits for the profiles the probe writes on the second SIGUSR2 and names them by run and member. */
async function collectProfiles(
  dir: string,
  pids: Map<number, number>,
  writers: number,
  leader: number | undefined,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [id, pid] of pids) {
    const n = (profileSeq.get(pid) ?? 0) + 1;
    profileSeq.set(pid, n);
    const written = join(dir, `cpu-${pid}-${n}.cpuprofile`);
    await waitFor(`CPU profile of member ${id}`, 30_000, async () => existsSync(written));
    await sleep(200); // written with one writeFileSync; let it finish
    const named = join(dir, `raftvs-${writers}w-member${id}${id === leader ? "-leader" : ""}.cpuprofile`);
    renameSync(written, named);
    out[String(id)] = named;
  }
  return out;
}

async function throughputRun(
  o: Options,
  cluster: BenchCluster,
  workers: Workers,
  writers: number,
): Promise<RunResult> {
  const leader = await cluster.leader();
  const termBefore = await cluster.term();
  const endpoints =
    o.endpoints === "leader" && leader !== undefined ? [cluster.endpoints[leader - 1]!] : cluster.endpoints;
  const startAt = Date.now() + 300;
  const warmupMs = o.warmup * 1000;
  const measureMs = o.seconds * 1000;
  const shares = Array.from(
    { length: workers.count },
    (_, i) => Math.floor(writers / workers.count) + (i < writers % workers.count ? 1 : 0),
  );
  const runs = shares.flatMap((n, i) =>
    n === 0
      ? []
      : [
          workers.run(i, {
            client: { system: cluster.system, endpoints, mode: "default" },
            load: {
              writers: n,
              startAtMs: startAt,
              warmupMs,
              measureMs,
              keys: o.keys,
              valueBytes: o.valueBytes,
              seed: i + 1,
            },
          }),
        ],
  );
  await sleep(startAt + warmupMs - Date.now());
  const windowStart = Date.now();
  const pids = cluster.pids();
  const cpu = new CpuSample(pids);
  const fsyncs = o.fsyncs ? new FsyncCounter(pids) : undefined;
  if (o.profile !== undefined) for (const pid of pids.values()) process.kill(pid, "SIGUSR2");
  await sleep(windowStart + measureMs - Date.now());
  if (o.profile !== undefined) for (const pid of pids.values()) process.kill(pid, "SIGUSR2");
  const used = cpu.since();
  const windowEnd = Date.now();
  const fsyncCounts = await fsyncs?.stop();
  const results = await Promise.all(runs);
  const elections = (await cluster.term()) - termBefore;

  const hist = new Histogram();
  let errors = 0;
  let firstError: string | undefined;
  for (const r of results) {
    hist.merge(r.latency);
    errors += r.errors;
    firstError ??= r.firstError;
  }
  const seconds = measureMs / 1000;
  const writesPerS = hist.count / seconds;
  const out: RunResult = {
    writers,
    writesPerS,
    p50Ms: hist.percentileMs(50),
    p99Ms: hist.percentileMs(99),
    maxMs: hist.percentileMs(100),
    meanMs: hist.meanMs(),
    errors,
    firstError,
    elections,
    serverCores: used.serversS / seconds,
    perMemberCores: Object.fromEntries([...used.perMember].map(([id, s]) => [String(id), s / seconds])),
    writesPerServerCpuS: used.serversS > 0 ? hist.count / used.serversS : 0,
    machineBusy: used.machineBusyFraction,
    clientCores: Math.max(...results.map((r) => r.clientCpuS)) / seconds,
    clientTotalCores: results.reduce((a, r) => a + r.clientCpuS, 0) / seconds,
    otherCores: Math.max(
      0,
      used.machineBusyFraction * os.cpus().length -
        used.serversS / seconds -
        results.reduce((a, r) => a + r.clientCpuS, 0) / seconds,
    ),
    clientLoopDelayP99Ms: Math.max(...results.map((r) => r.loopDelayP99Ms)),
    windowMs: [windowStart, windowEnd],
    ...(leader === undefined ? {} : { leader }),
  };
  if (o.profile !== undefined) out.profiles = await collectProfiles(o.profile, pids, writers, leader);
  if (fsyncCounts) {
    let total = 0;
    for (const n of fsyncCounts.values()) total += n;
    out.fsyncsPerS = total / seconds;
    out.perMemberFsyncsPerS = Object.fromEntries(
      [...fsyncCounts].map(([id, n]) => [String(id), n / seconds]),
    );
  }
  return out;
}

// ---- one system ----

interface SystemResult {
  system: SystemName;
  runs: RunResult[];
  failover: KillResult[];
}

async function benchSystem(
  o: Options,
  cluster: BenchCluster,
  workers: Workers,
  log: (s: string) => void,
): Promise<SystemResult> {
  const result: SystemResult = { system: cluster.system, runs: [], failover: [] };
  log(`${cluster.system}: starting 3 members`);
  await cluster.start();
  const raw = makePutter({ system: cluster.system, endpoints: cluster.endpoints, mode: "raw" });
  try {
    // Writable through every endpoint before anything is measured.
    for (const ep of cluster.endpoints)
      await waitFor(`${cluster.system}: a put through ${ep}`, 30_000, () =>
        raw.putAt(ep, "bench/ready", "1", 1000).then(
          () => true,
          () => false,
        ),
      );
    for (const n of o.writers) {
      const r = await throughputRun(o, cluster, workers, n);
      result.runs.push(r);
      log(
        `${cluster.system}: ${n} writers: ${fmtInt(r.writesPerS)} writes/s, p50 ${fmtMs(r.p50Ms)} ms, ` +
          `p99 ${fmtMs(r.p99Ms)} ms, ${r.elections} elections, servers ${r.serverCores.toFixed(2)} cores, client ${r.clientTotalCores.toFixed(2)} cores, ` +
          `other processes ${r.otherCores.toFixed(2)} cores` +
          (r.errors > 0 ? `, ${r.errors} errors (${r.firstError})` : ""),
      );
    }
    if (o.kills > 0 && o.profile === undefined) {
      log(`${cluster.system}: failover, ${o.kills} leader kills`);
      result.failover = await measureFailover(cluster, raw, {
        kills: o.kills,
        attemptMs: o.attemptMs,
        retryPauseMs: 5,
        steadyMs: 300,
        settleMs: 500,
        keys: o.keys,
        valueBytes: o.valueBytes,
        onKill: (k, i) =>
          log(
            `${cluster.system}: kill ${i}: member ${k.killed} → leader ${k.newLeader ?? "?"}, ` +
              `first put after ${fmtMs(k.failoverMs)} ms (${k.attempts} attempts, ${k.failed} failed, ` +
              `${k.timedOut} timed out); rejoined in ${fmtInt(k.rejoinMs)} ms`,
          ),
      });
    }
  } finally {
    raw.close();
    await cluster.stop();
  }
  return result;
}

// ---- profile: event-loop probe files ----

const PROBE = fileURLToPath(new URL("./loop-probe.mjs", import.meta.url));

interface ProbeLine {
  t: number;
  argv: string;
  elu: number;
  cpuS: number;
  eldP99Ms: number;
}

function attachLoopStats(dir: string, runs: RunResult[]): void {
  const byId = new Map<string, ProbeLine[]>();
  for (const f of readdirSync(dir)) {
    if (!f.startsWith("loop-") || !f.endsWith(".jsonl")) continue;
    for (const text of readFileSync(join(dir, f), "utf8").split("\n")) {
      if (!text) continue;
      const line = JSON.parse(text) as ProbeLine;
      const id = /--id (\d+)/.exec(line.argv)?.[1] ?? "?";
      byId.set(id, [...(byId.get(id) ?? []), line]);
    }
  }
  for (const r of runs) {
    const loop: NonNullable<RunResult["loop"]> = {};
    for (const [id, lines] of byId) {
      // Each line covers the second before its stamp: keep those wholly inside the window.
      const inside = lines.filter((l) => l.t - 1000 >= r.windowMs[0] && l.t <= r.windowMs[1]);
      if (inside.length === 0) continue;
      loop[id] = {
        elu: inside.reduce((a, l) => a + l.elu, 0) / inside.length,
        eldP99Ms: Math.max(...inside.map((l) => l.eldP99Ms)),
        cores: inside.reduce((a, l) => a + l.cpuS, 0) / inside.length,
      };
    }
    r.loop = loop;
  }
}

// ---- output ----

const fmtInt = (n: number): string => Math.round(n).toLocaleString("en-US");
const fmtMs = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const fmtX = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "–");

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function failoverSummary(kills: KillResult[]) {
  const ms = kills.map((k) => k.failoverMs);
  return {
    kills: ms.length,
    medianMs: medianOf(ms),
    p90Ms: percentileOf(ms, 90),
    maxMs: Math.max(...ms),
    minMs: Math.min(...ms),
  };
}

function report(o: Options, results: SystemResult[]): string {
  const out: string[] = [];
  for (const s of results) {
    out.push(
      "",
      `${s.system}: ${o.seconds} s per writer count after ${o.warmup} s warm-up, ${o.valueBytes}-byte values, ${o.keys} keys`,
    );
    const header = [
      "writers",
      "writes/s",
      "p50 ms",
      "p99 ms",
      "max ms",
      "errors",
      "elections",
      "server cores",
      "writes/server CPU-s",
      "machine busy",
      "client cores",
      "client loop p99",
      "other cores",
    ];
    if (o.fsyncs) header.push("fsyncs/s", "writes/leader fsync");
    const rows = s.runs.map((r) => {
      const row = [
        String(r.writers),
        fmtInt(r.writesPerS),
        fmtMs(r.p50Ms),
        fmtMs(r.p99Ms),
        fmtMs(r.maxMs),
        String(r.errors),
        String(r.elections),
        r.serverCores.toFixed(2),
        fmtInt(r.writesPerServerCpuS),
        `${(r.machineBusy * 100).toFixed(0)}%`,
        r.clientTotalCores.toFixed(2),
        `${fmtMs(r.clientLoopDelayP99Ms)} ms`,
        r.otherCores.toFixed(2),
      ];
      if (o.fsyncs) {
        const leaderFsyncs = r.leader === undefined ? undefined : r.perMemberFsyncsPerS?.[String(r.leader)];
        row.push(fmtInt(r.fsyncsPerS ?? 0), leaderFsyncs ? (r.writesPerS / leaderFsyncs).toFixed(1) : "–");
      }
      return row;
    });
    out.push(table(header, rows));
    if (s.runs.some((r) => r.loop)) {
      out.push("", `${s.system} event loops (--profile): per member, leader marked *`);
      const rows2 = s.runs.map((r) => [
        String(r.writers),
        ...["1", "2", "3"].map((id) => {
          const l = r.loop?.[id];
          const mark = String(r.leader) === id ? "*" : " ";
          return l
            ? `${mark}ELU ${(l.elu * 100).toFixed(0)}% cpu ${l.cores.toFixed(2)} delay p99 ${fmtMs(l.eldP99Ms)} ms`
            : "–";
        }),
      ]);
      out.push(table(["writers", "member 1", "member 2", "member 3"], rows2));
    }
    if (s.failover.length > 0) {
      const f = failoverSummary(s.failover);
      out.push(
        `${s.system} leader failover (kill -9 → first successful put), ${f.kills} kills: median ${fmtMs(f.medianMs)} ms, ` +
          `p90 ${fmtMs(f.p90Ms)} ms, max ${fmtMs(f.maxMs)} ms (min ${fmtMs(f.minMs)} ms)`,
      );
    }
  }
  const raftvs = results.find((r) => r.system === "raftvs");
  const etcd = results.find((r) => r.system === "etcd");
  if (raftvs && etcd) {
    out.push(
      "",
      "ratios raftvs/etcd (targets: 64 writers ≥ 2× writes/s with p99 ≤ 1×; 1 writer ≥ 1×; failover median < 300 ms)",
    );
    const rows = raftvs.runs.flatMap((r) => {
      const e = etcd.runs.find((x) => x.writers === r.writers);
      if (!e) return [];
      const ratio = r.writesPerS / e.writesPerS;
      const p99 = r.p99Ms / e.p99Ms;
      let verdict = "";
      if (r.writers === 64) verdict = ratio >= 2 && p99 <= 1 ? "meets" : "misses";
      if (r.writers === 1) verdict = ratio >= 1 ? "meets" : "misses";
      return [
        [
          String(r.writers),
          fmtInt(r.writesPerS),
          fmtInt(e.writesPerS),
          fmtX(ratio),
          fmtX(r.p50Ms / e.p50Ms),
          fmtX(p99),
          fmtX(r.writesPerServerCpuS / e.writesPerServerCpuS),
          verdict,
        ],
      ];
    });
    out.push(
      table(["writers", "raftvs w/s", "etcd w/s", "writes/s", "p50", "p99", "writes/CPU-s", "target"], rows),
    );
    if (raftvs.failover.length > 0 && etcd.failover.length > 0) {
      const a = failoverSummary(raftvs.failover);
      const b = failoverSummary(etcd.failover);
      out.push(
        `failover median: raftvs ${fmtMs(a.medianMs)} ms, etcd ${fmtMs(b.medianMs)} ms, ratio ${fmtX(a.medianMs / b.medianMs)} ` +
          `(target < 300 ms: ${a.medianMs < 300 ? "meets" : "misses"})`,
      );
    }
  }
  return out.join("\n");
}

// ---- main ----

async function run(o: Options): Promise<number> {
  let etcdBin: string | undefined;
  if (o.systems.includes("etcd")) {
    etcdBin = findEtcd(o.etcdBin);
    if (!etcdBin) {
      const where = o.etcdBin === undefined ? "no etcd on PATH" : `no etcd binary at ${o.etcdBin}`;
      process.stderr.write(`bench:raft-vs-etcd: ${where}. ${ETCD_MISSING}`);
      return 3;
    }
  }
  for (let p = o.portBase; p <= o.portBase + 32; p++) await checkPortFree(p);
  if (o.fsyncs && !perfAvailable()) {
    process.stderr.write(
      "--fsyncs needs `perf` with syscall tracepoints (apt-get install linux-perf; run as root)\n",
    );
    return 3;
  }
  const log = (s: string): void => {
    process.stderr.write(`${s}\n`);
  };
  const cpus = os.cpus();
  console.log(
    `raft-vs-etcd: 3 raftvsd vs 3 etcd members on loopback, fsync on; ${os.cpus().length} CPU(s) ${cpus[0]?.model ?? ""}, ` +
      `node ${process.version}, load over ${o.workers} process(es)`,
  );
  mkdirSync(o.dataRoot, { recursive: true });
  const root = mkdtempSync(join(o.dataRoot, "raftvs-vs-etcd-"));
  const workers = await Workers.start(o.workers);
  const results: SystemResult[] = [];
  let current: BenchCluster | undefined;
  // Interrupted: take the servers down with us (they are our children, killed by PID).
  const interrupted = (signal: NodeJS.Signals): void => {
    for (const pid of current?.pids().values() ?? []) process.kill(pid, "SIGKILL");
    if (!o.keepData) rmSync(root, { recursive: true, force: true });
    process.stderr.write(`bench:raft-vs-etcd: ${signal}; servers killed\n`);
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    for (const system of o.systems) {
      const dir = join(root, system);
      let cluster: BenchCluster;
      if (system === "raftvs") {
        cluster = new RaftvsCluster(dir, o.portBase);
        if (o.profile !== undefined) {
          mkdirSync(o.profile, { recursive: true });
          process.env.RAFTVS_BENCH_PROBE_DIR = o.profile;
          process.env.NODE_OPTIONS = `--import=${PROBE}`;
        }
      } else {
        cluster = new EtcdCluster(etcdBin!, dir, o.portBase);
      }
      current = cluster;
      try {
        results.push(await benchSystem(o, cluster, workers, log));
      } finally {
        delete process.env.NODE_OPTIONS;
        delete process.env.RAFTVS_BENCH_PROBE_DIR;
      }
      if (system === "raftvs" && o.profile !== undefined) attachLoopStats(o.profile, results.at(-1)!.runs);
    }
  } finally {
    await workers.close();
    if (o.keepData) log(`data and server logs kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
  console.log(report(o, results));
  if (o.profile !== undefined) {
    for (const r of results.find((x) => x.system === "raftvs")?.runs ?? []) {
      const file = r.leader === undefined ? undefined : r.profiles?.[String(r.leader)];
      if (!file) continue;
      console.log(`\nraftvs leader (member ${r.leader}) CPU profile, ${r.writers} writers: ${file}`);
      console.log(formatSummary(summarize(readProfile(file)), 12));
    }
    console.log(`\nCPU profiles of every member (.cpuprofile) and loop-*.jsonl in ${o.profile}`);
  }
  if (o.json)
    console.log(
      JSON.stringify({ bench: "raft-vs-etcd", date: new Date().toISOString(), options: o, results }),
    );
  return 0;
}

async function main(): Promise<void> {
  let o: Options | undefined;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench:raft-vs-etcd: ${(err as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (o === undefined) {
    process.stdout.write(USAGE);
    return;
  }
  try {
    process.exitCode = await run(o);
  } catch (err) {
    process.stderr.write(`bench:raft-vs-etcd: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
}

if (!existsSync("/proc/self/stat")) process.stderr.write("note: no /proc here; CPU figures will read 0\n");
await main();
