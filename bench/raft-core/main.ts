// `npm run bench:raft-core`: argument parsing and the printed table for the raft-core bench
// (proposals committed per second through a 3-node in-memory cluster; measurement in core.ts).

import os from "node:os";
import { parseArgs } from "node:util";
import { numberFlag, UsageError } from "../flags.ts";
import { measureHarnessThroughput, measureLatency, measureThroughput } from "./core.ts";

const USAGE = `usage: npm run bench:raft-core -- [options]

Proposals committed per second through a 3-node in-memory Raft cluster (no I/O).

  --seconds S     measured seconds per run (default 3; 0.1 to 3600)
  --warmup S      unmeasured seconds before each run, for the JIT (default 0.5; 0 to 60)
  --inflight N    most entries appended but not yet committed (default 1024; 64 to 1000000,
                  and at least the largest batch)
  --batches LIST  comma-separated batch sizes (default 1,64; each 1 to 100000)
  --json          also print the results as one JSON line
  -h, --help      show this help
`;

interface Options {
  seconds: number;
  warmup: number;
  inflight: number;
  batches: number[];
  json: boolean;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      seconds: { type: "string", default: "3" },
      warmup: { type: "string", default: "0.5" },
      inflight: { type: "string", default: "1024" },
      batches: { type: "string", default: "1,64" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return undefined;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const seconds = numberFlag("seconds", values.seconds, 0.1, 3600, false);
  const warmup = numberFlag("warmup", values.warmup, 0, 60, false);
  const inflight = numberFlag("inflight", values.inflight, 64, 1_000_000, true);
  const batches = values.batches.split(",").map((b) => numberFlag("batches", b, 1, 100_000, true));
  for (const b of batches)
    if (b > inflight) throw new UsageError(`--batches: batch ${b} is larger than --inflight ${inflight}`);
  return { seconds, warmup, inflight, batches, json: values.json };
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString("en-US");
const fmtMs = (n: number): string => n.toFixed(3);

function run(o: Options): void {
  const cpus = os.cpus();
  console.log(
    `raft-core: 3-node in-memory Raft cluster (RawNode + MemoryStorage, no I/O), 256-byte values, ` +
      `up to ${o.inflight} entries uncommitted, ${o.seconds} s per run`,
  );
  console.log(
    `node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPU(s) ${cpus[0]?.model ?? ""}`,
  );
  console.log("");
  const header = ["batch", "proposals/s committed", "proposals/Ready", "peer: MemoryCluster", "ratio"];
  const widths = [6, 22, 16, 20, 6];
  const row = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  console.log(row(header));
  const results = [];
  for (const batch of o.batches) {
    if (o.warmup > 0) {
      measureThroughput(batch, o.inflight, o.warmup);
      measureHarnessThroughput(batch, o.inflight, o.warmup);
    }
    const r = measureThroughput(batch, o.inflight, o.seconds);
    const peer = measureHarnessThroughput(batch, o.inflight, o.seconds);
    results.push({ ...r, peerPerSecond: peer });
    console.log(
      row([
        String(batch),
        fmtInt(r.perSecond),
        r.proposalsPerReady.toFixed(1),
        fmtInt(peer),
        (r.perSecond / peer).toFixed(2),
      ]),
    );
  }
  if (o.warmup > 0) measureLatency(o.warmup);
  const lat = measureLatency(o.seconds);
  console.log("");
  console.log(
    `one proposal in flight (batch 1): ${fmtInt(lat.perSecond)} commits/s; commit latency ` +
      `p50 ${fmtMs(lat.p50Ms)} ms, p99 ${fmtMs(lat.p99Ms)} ms, max ${fmtMs(lat.maxMs)} ms (${fmtInt(lat.samples)} samples)`,
  );
  if (o.json) console.log(JSON.stringify({ bench: "raft-core", throughput: results, latency: lat }));
}

function main(): void {
  let o: Options | undefined;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`bench:raft-core: ${msg}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (o === undefined) {
    process.stdout.write(USAGE);
    return;
  }
  run(o);
}

main();
