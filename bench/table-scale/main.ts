// `npm run bench:table-scale`: arguments, the cluster lifecycle (temp dir, cleanup on exit and
// SIGINT), and the printed figures with the issue's targets; the phases are in run.ts.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ServicesService } from "../../internal/admin/index.ts";
import { CONFIG_DEFAULTS } from "../../internal/config/index.ts";
import { opToChange } from "../../internal/ctl/table-client.ts";
import { LIMITS } from "../../internal/state/services/model.ts";
import { numberFlag, UsageError } from "../flags.ts";
import { EtcdSystem, findEtcd } from "./etcd.ts";
import { summarizeProfiles } from "./profile.ts";
import { RaftvsSystem } from "./raftvs.ts";
import { runPhases, type SystemResult, type Workload } from "./run.ts";
import type { Summary } from "./stats.ts";
import { addOps, MAX_REAL_SERVERS, MAX_SERVICES } from "./workload.ts";

const USAGE = `usage: npm run bench:table-scale -- [options]

Loads a virtual-service table into a 3-node raftvsd cluster on loopback in transactions, then makes
single real-server weight changes one at a time, each timed until every node's Services.Watch has
reported it. The same workload runs against a 3-member etcd cluster (the peer) when etcd is found.

  --services N             virtual services to load (default 10000; 1 to ${MAX_SERVICES})
  --servers-per-service N  real servers per service (default 10; 1 to 1000)
  --txn-size N             services per transaction (default 500; the whole transaction must fit
                           in one Raft message, 8 MiB by default)
  --inflight N             transactions in flight (default 4; 1 to 64)
  --changes N              single weight changes (default 1000; 0 to 100000)
  --peer etcd|none         also run the peer (default etcd; skipped with a note if not installed)
  --etcd PATH              the etcd binary (default: etcd on PATH)
  --election-ticks N       pass --election-ticks N to every raftvsd (a diagnostic: the default
                           is raftvsd's own, ${CONFIG_DEFAULTS.raft.electionTicks} ticks of ${CONFIG_DEFAULTS.raft.tickMs} ms; 4 to 1000)
  --cpu-prof DIR           write a V8 CPU profile of each raftvsd into DIR and summarize it
  --keep                   keep the temp dir (data and logs) instead of removing it
  --json                   also print the results as one JSON line
  -h, --help               show this help
`;

/** Targets from the issue. */
const TARGET_LOAD_MS = 5_000;
const TARGET_CHANGE_P99_MS = 50;
/** internal/transport/options.ts: one peer message; a bigger entry is dropped, never replicated. */
const RAFT_MESSAGE_LIMIT_BYTES = 8 * 1024 * 1024;
/** internal/admin/server.ts: the client port's receive limit. */
const CLIENT_MESSAGE_LIMIT_BYTES = 64 * 1024 * 1024;

interface Options extends Workload {
  peer: "etcd" | "none";
  electionTicks: number | undefined;
  etcd: string | undefined;
  cpuProf: string | undefined;
  keep: boolean;
  json: boolean;
}

/** Bytes of the largest transaction as the Apply request and as the Raft entry (JSON envelope). */
function transactionBytes(o: Workload): { request: number; entry: number } {
  const ops = addOps(0, Math.min(o.txnSize, o.services), o.serversPerService);
  const request = ServicesService.service.Apply.requestSerialize({ changes: ops.map(opToChange) }).length;
  const entry = Buffer.byteLength(
    JSON.stringify({ id: "1-xxxxxxxx-1", ts: Date.now(), cmd: { op: "txn", ops } }),
  );
  return { request, entry };
}

function parseOptions(argv: string[]): Options | undefined {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      services: { type: "string", default: "10000" },
      "servers-per-service": { type: "string", default: "10" },
      "txn-size": { type: "string", default: "500" },
      inflight: { type: "string", default: "4" },
      changes: { type: "string", default: "1000" },
      peer: { type: "string", default: "etcd" },
      etcd: { type: "string" },
      "cpu-prof": { type: "string" },
      "election-ticks": { type: "string" },
      keep: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return undefined;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const services = numberFlag("services", values.services, 1, Math.min(MAX_SERVICES, LIMITS.services));
  const serversPerService = numberFlag("servers-per-service", values["servers-per-service"], 1, 1000);
  if (services * serversPerService > MAX_REAL_SERVERS)
    throw new UsageError(`--services × --servers-per-service must be at most ${MAX_REAL_SERVERS}`);
  const txnSize = numberFlag("txn-size", values["txn-size"], 1, LIMITS.opsPerTransaction);
  const inflight = numberFlag("inflight", values.inflight, 1, 64);
  const changes = numberFlag("changes", values.changes, 0, 100_000);
  if (values.peer !== "etcd" && values.peer !== "none")
    throw new UsageError(`--peer must be etcd or none (got "${values.peer}")`);
  if (values["cpu-prof"] !== undefined && values["cpu-prof"].trim() === "")
    throw new UsageError("--cpu-prof needs a directory");
  const o: Options = {
    services,
    serversPerService,
    txnSize,
    inflight,
    changes,
    peer: values.peer,
    electionTicks:
      values["election-ticks"] === undefined
        ? undefined
        : numberFlag("election-ticks", values["election-ticks"], 4, 1000),
    etcd: values.etcd,
    cpuProf: values["cpu-prof"],
    keep: values.keep,
    json: values.json,
  };
  const size = transactionBytes(o);
  if (size.entry > RAFT_MESSAGE_LIMIT_BYTES - 64 * 1024)
    throw new UsageError(
      `--txn-size ${txnSize}: one transaction would be a ${(size.entry / 2 ** 20).toFixed(1)} MiB Raft entry; ` +
        `the peer transport drops messages over 8 MiB, so it could never commit (lower --txn-size)`,
    );
  if (size.request > CLIENT_MESSAGE_LIMIT_BYTES)
    throw new UsageError(
      `--txn-size ${txnSize}: the Apply request would pass the client port's 64 MiB limit`,
    );
  return o;
}

// ---- output ----

const fmtInt = (n: number): string => Math.round(n).toLocaleString("en-US");
const fmtMs = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : "-");
const fmtS = (ms: number): string => (ms / 1000).toFixed(2);

function table(header: string[], rows: string[][], alignLeft = 1): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), ...rows.map(line)];
}

const latencyRow = (what: string, s: Summary): string[] => [
  what,
  fmtMs(s.p50),
  fmtMs(s.p90),
  fmtMs(s.p99),
  fmtMs(s.max),
];

const cpuText = (secs: number[], leader: number, client: number): string =>
  secs.map((s, i) => `${i + 1 === leader ? "L" : "F"}${i + 1} ${s.toFixed(1)}`).join(", ") +
  ` (total ${secs.reduce((a, b) => a + b, 0).toFixed(1)} CPU-s); this client and its watches ${client.toFixed(1)} CPU-s`;

function printSystem(r: SystemResult, o: Options): void {
  const l = r.load;
  console.log(`${r.system} (leader at the end: node ${r.leader}; L/F below)`);
  console.log(
    `  load: ${fmtInt(o.services)} services (${fmtInt(o.services * o.serversPerService)} real servers) ` +
      `in ${l.transactions} transactions of up to ${fmtInt(o.txnSize)}, ${o.inflight} in flight`,
  );
  console.log(
    `    on every node after ${fmtS(l.totalMs)} s: ${fmtInt(l.servicesPerSecond)} services/s, ` +
      `${fmtInt(l.realServersPerSecond)} real servers/s`,
  );
  console.log(
    `    per transaction (ms): acknowledged p50 ${fmtMs(l.ackMs.p50)}, max ${fmtMs(l.ackMs.max)}; ` +
      `on every node p50 ${fmtMs(l.seenAllMs.p50)}, max ${fmtMs(l.seenAllMs.max)}`,
  );
  console.log(`    CPU: ${cpuText(l.cpuSeconds, r.leader, l.clientCpuSeconds)}`);
  if (r.elections.load > 0 || r.elections.changes > 0)
    console.log(
      `  ELECTIONS during the run: ${r.elections.load} while loading, ${r.elections.changes} during the ` +
        `changes; transactions sent again: ${r.retries.load} while loading, ${r.retries.changes} during the changes`,
    );
  if (o.changes === 0) return;
  const c = r.changes;
  console.log(`  ${fmtInt(o.changes)} single weight changes, one in flight (ms from the call):`);
  const rows = [
    latencyRow("on every node", c.seenAllMs),
    latencyRow("acknowledged", c.ackMs),
    latencyRow("on the first node", c.seenFirstMs),
    latencyRow("ack → on every node", c.ackToAllMs),
  ];
  for (const line of table(["", "p50", "p90", "p99", "max"], rows)) console.log(`    ${line}`);
  console.log(`    CPU: ${cpuText(c.cpuSeconds, r.leader, c.clientCpuSeconds)}`);
}

function printTargets(r: SystemResult, peer: SystemResult | undefined, o: Options): void {
  const loadOk = r.load.totalMs < TARGET_LOAD_MS;
  const rows: string[][] = [
    [
      `${fmtInt(o.services)}-service table on every node`,
      "< 5 s",
      `${fmtS(r.load.totalMs)} s`,
      peer ? `${fmtS(peer.load.totalMs)} s` : "-",
      peer ? (r.load.totalMs / peer.load.totalMs).toFixed(2) : "-",
      loadOk ? "PASS" : "MISS",
    ],
  ];
  if (o.changes > 0) {
    const p99 = r.changes.seenAllMs.p99;
    rows.push([
      "single change on every node, p99",
      "< 50 ms",
      `${fmtMs(p99)} ms`,
      peer ? `${fmtMs(peer.changes.seenAllMs.p99)} ms` : "-",
      peer ? (p99 / peer.changes.seenAllMs.p99).toFixed(2) : "-",
      p99 < TARGET_CHANGE_P99_MS ? "PASS" : "MISS",
    ]);
  }
  const notDefault =
    o.services !== 10_000 || o.serversPerService !== 10 || (o.changes !== 1000 && o.changes !== 0);
  console.log(
    `targets${notDefault ? " (set for 10,000 × 10 and 1,000 changes; this run's workload differs)" : ""}` +
      ` — ratio: raftvs ÷ etcd, time (lower is better)`,
  );
  for (const line of table(["target", "goal", "raftvs", "peer: etcd", "ratio", "result"], rows))
    console.log(`  ${line}`);
}

// ---- lifecycle ----

const cleanups: Array<() => Promise<void>> = [];

async function cleanup(): Promise<void> {
  while (cleanups.length > 0) {
    const c = cleanups.pop()!;
    try {
      await c();
    } catch (err) {
      process.stderr.write(`bench:table-scale: cleanup: ${(err as Error).message}\n`);
    }
  }
}

async function run(o: Options): Promise<void> {
  const root = mkdtempSync(join(os.tmpdir(), "raftvs-table-scale-"));
  cleanups.push(async () => {
    if (o.keep) process.stderr.write(`bench:table-scale: kept ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  });
  const progress = (line: string): void => {
    process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  };
  const w: Workload = o;
  const cpus = os.cpus();
  const size = transactionBytes(o);
  console.log(
    `table-scale: ${fmtInt(o.services)} services × ${o.serversPerService} real servers in transactions of ` +
      `${fmtInt(o.txnSize)} (${(size.request / 1024).toFixed(0)} KiB Apply request, ` +
      `${(size.entry / 1024).toFixed(0)} KiB Raft entry), ${o.inflight} in flight; then ${fmtInt(o.changes)} ` +
      `single weight changes`,
  );
  console.log(
    `3 raftvsd processes on loopback (LocalCluster, ${o.electionTicks !== undefined ? `--election-ticks ${o.electionTicks}` : "default flags"}); node ${process.version}, ` +
      `${cpus.length} CPU(s) ${cpus[0]?.model ?? ""}, load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}`,
  );
  console.log("");

  const profDir = o.cpuProf ? resolve(o.cpuProf) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  progress("raftvs: starting 3 raftvsd");
  const raftvs = await RaftvsSystem.start({
    dataRoot: join(root, "raftvs"),
    ...(profDir ? { profileDir: profDir } : {}),
    ...(o.electionTicks !== undefined ? { extraArgs: ["--election-ticks", String(o.electionTicks)] } : {}),
  });
  let stopped = false;
  const stopRaftvs = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await raftvs.stop();
  };
  cleanups.push(stopRaftvs);
  const pids = raftvs.pids();
  const result = await runPhases(raftvs, w, progress);
  if (profDir) await raftvs.collectProfiles(profDir);
  // Nodes may differ for a moment in applied index (a new leader's empty entry); compare the state
  // hashes once every node has applied the same index. Status hashes the whole state: ask rarely.
  let statuses = await raftvs.status();
  for (let i = 0; i < 5 && new Set(statuses.map((x) => x.appliedIndex)).size > 1; i++) {
    await new Promise((r) => setTimeout(r, 500));
    statuses = await raftvs.status();
  }
  const sameIndex = new Set(statuses.map((x) => x.appliedIndex)).size === 1;
  const hashes = new Set(statuses.map((s) => s.stateHash));
  const hashText = !sameIndex
    ? `applied indexes still differ (${statuses.map((x) => x.appliedIndex).join("/")})`
    : hashes.size === 1
      ? `identical state hashes at applied index ${statuses[0]!.appliedIndex}`
      : `STATE HASHES DIFFER at the same applied index ${statuses[0]!.appliedIndex}`;
  let listNote: string;
  try {
    const l = await raftvs.list(raftvs.leader);
    listNote = `Services.List (serializable, AdminClient) on the leader: ${fmtInt(l.services)} services, ${fmtInt(l.realServers)} real servers in ${fmtMs(l.ms)} ms`;
  } catch (err) {
    listNote = `Services.List (serializable, AdminClient) on the leader failed: ${(err as Error).message}`;
  }
  const leaderId = raftvs.leader;
  const events = raftvs.events;
  const watchBytes = raftvs.watchBytes;
  await stopRaftvs();

  let peer: SystemResult | undefined;
  let peerNote: string | undefined;
  if (o.peer === "etcd") {
    const bin = findEtcd(o.etcd);
    if (!bin) peerNote = "peer skipped: no etcd binary found (install etcd, or pass --etcd PATH)";
    else {
      progress("etcd: starting 3 members");
      const etcd = await EtcdSystem.start({ bin, dataRoot: join(root, "etcd"), workload: w });
      cleanups.push(() => etcd.stop());
      peer = await runPhases(etcd, w, progress);
      peerNote = `peer: ${await etcd.version()}, 3 members, flags changed from the defaults: ${etcd.flagNote}`;
      await etcd.stop();
      cleanups.pop();
    }
  }

  console.log("");
  printSystem(result, o);
  console.log(
    `  after the run: every node at revision ${statuses.map((s) => s.revision).join("/")}, ` +
      `${hashText} (Cluster.Status answered in ` +
      `${statuses.map((x) => fmtMs(x.ms)).join("/")} ms); ` +
      `largest watch message ${(watchBytes.max / 1024).toFixed(0)} KiB`,
  );
  console.log(`  ${listNote}`);
  const [from] = result.windowsUs.load;
  const [, to] = result.windowsUs.changes;
  const during = events.filter((e) => e.atUs >= from && e.atUs <= to);
  if (during.length > 0) {
    console.log(`  ${during.length} warning(s) or leader change(s) in the daemons' logs during the phases:`);
    for (const e of during.slice(0, 8))
      console.log(`    +${((e.atUs - from) / 1e6).toFixed(2)} s ${e.text.slice(0, 200)}`);
  }
  if (peer) {
    console.log("");
    printSystem(peer, o);
  }
  if (peerNote) console.log(`  ${peerNote}`);
  console.log("");
  printTargets(result, peer, o);

  if (profDir) {
    console.log("");
    console.log(`CPU profiles of the raftvsd processes in ${profDir}:`);
    for (const line of summarizeProfiles(profDir, pids, leaderId, result.windowsUs, o.electionTicks))
      console.log(`  ${line}`);
  }
  if (o.json)
    console.log(
      JSON.stringify({
        bench: "table-scale",
        workload: {
          services: o.services,
          serversPerService: o.serversPerService,
          txnSize: o.txnSize,
          inflight: o.inflight,
          changes: o.changes,
          electionTicks: o.electionTicks ?? null,
        },
        raftvs: result,
        peer: peer ?? null,
        targets: {
          loadMs: TARGET_LOAD_MS,
          changeP99Ms: TARGET_CHANGE_P99_MS,
          loadPass: result.load.totalMs < TARGET_LOAD_MS,
          changePass: o.changes === 0 || result.changes.seenAllMs.p99 < TARGET_CHANGE_P99_MS,
        },
        hashesEqual: sameIndex && hashes.size === 1,
        watchMaxBytes: watchBytes.max,
      }),
    );
}

async function main(): Promise<void> {
  let o: Options | undefined;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`bench:table-scale: ${msg}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (o === undefined) {
    process.stdout.write(USAGE);
    return;
  }
  let interrupted = false;
  const abort = (why: string, code: number): void => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`bench:table-scale: ${why}; stopping the clusters\n`);
    void cleanup().finally(() => process.exit(code));
  };
  process.once("SIGINT", () => abort("interrupted", 130));
  process.once("SIGTERM", () => abort("terminated", 143));
  // A closed stdout (| head) or a bug must not leave the daemons running.
  process.on("uncaughtException", (err) => abort(`uncaught: ${err.stack ?? err.message}`, 1));
  try {
    await run(o);
  } catch (err) {
    if (!interrupted) {
      process.stderr.write(`bench:table-scale: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  } finally {
    if (!interrupted) await cleanup();
  }
}

await main();
