// raftsim: runs the deterministic Raft simulator over a range of seeds and reports violations.
// Usage: npm run sim -- --seeds N [--from S] [--nodes K] [--bug NAME]... [--ticks T] [--profile P] [--read-only R]
//        [--trace | --trace-messages]

import { parseArgs } from "node:util";
import { ReadOnlyOption, type UnsafeTestingFaults } from "../../internal/raft/config.ts";
import {
  type BatchOptions,
  describeFailure,
  describeSummary,
  FaultProfile,
  runBatch,
} from "../../internal/raft/sim/index.ts";

const USAGE = `usage: npm run sim -- --seeds N [options]
  --seeds N        number of seeds to run (1..10000000)
  --from S         first seed (default 1)
  --nodes K        cluster size at start, 3..7 (default: drawn per seed)
  --bug NAME       enable a deliberate library bug on every node (repeatable):
                   ${["countStaleVotes", "commitPreviousTermByCounting", "skipLogUpToDateCheck"].join(", ")}
  --ticks T        ticks of the fault phase (default 2000)
  --profile P      fault profile: mixed or churn (default: drawn per seed)
  --read-only R    read mode of every node: safe or leaseBased (default: drawn per seed)
  --trace          print every run's events (use with --seeds 1 to replay one seed)
  --trace-messages like --trace, and also every message delivered or lost
  --help           show this help`;

const BUGS: readonly (keyof UnsafeTestingFaults)[] = [
  "countStaleVotes",
  "commitPreviousTermByCounting",
  "skipLogUpToDateCheck",
];

class UsageError extends Error {}

function integer(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new UsageError(`--${name} must be an integer in [${min}, ${max}] (got ${JSON.stringify(raw)})`);
  }
  return v;
}

function parse(argv: string[]): (BatchOptions & { help: false }) | { help: true } {
  let values: ReturnType<typeof parseOptions>["values"];
  try {
    ({ values } = parseOptions(argv));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return { help: true };
  if (values.seeds === undefined) throw new UsageError("--seeds is required");
  const bugs = (values.bug ?? []).flatMap((b) => b.split(",")).filter((b) => b !== "");
  for (const b of bugs) {
    if (!(BUGS as readonly string[]).includes(b)) {
      throw new UsageError(`--bug ${JSON.stringify(b)} is not one of: ${BUGS.join(", ")}`);
    }
  }
  const profiles: readonly string[] = Object.values(FaultProfile);
  if (values.profile !== undefined && !profiles.includes(values.profile)) {
    throw new UsageError(
      `--profile must be one of: ${profiles.join(", ")} (got ${JSON.stringify(values.profile)})`,
    );
  }
  const readModes: readonly string[] = Object.values(ReadOnlyOption);
  const readOnly = values["read-only"];
  if (readOnly !== undefined && !readModes.includes(readOnly)) {
    throw new UsageError(
      `--read-only must be one of: ${readModes.join(", ")} (got ${JSON.stringify(readOnly)})`,
    );
  }
  return {
    help: false,
    seeds: integer("seeds", values.seeds, 1, 10_000_000)!,
    from: integer("from", values.from, 0, Number.MAX_SAFE_INTEGER - 10_000_000) ?? 1,
    nodes: integer("nodes", values.nodes, 3, 7),
    bugs: bugs as (keyof UnsafeTestingFaults)[],
    faultTicks: integer("ticks", values.ticks, 1, 1_000_000),
    profile: values.profile as FaultProfile | undefined,
    readOnlyOption: readOnly as ReadOnlyOption | undefined,
    trace:
      values.trace || values["trace-messages"]
        ? (line: string) => process.stdout.write(`  ${line}\n`)
        : undefined,
    traceMessages: values["trace-messages"] === true,
  };
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      seeds: { type: "string" },
      from: { type: "string" },
      nodes: { type: "string" },
      bug: { type: "string", multiple: true },
      ticks: { type: "string" },
      profile: { type: "string" },
      "read-only": { type: "string" },
      trace: { type: "boolean" },
      "trace-messages": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function main(): number {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`raftsim: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const every = Math.max(1, Math.floor(opts.seeds / 10));
  const started = performance.now();
  let failing = 0;
  const summary = runBatch({
    ...opts,
    onResult: (result, done) => {
      if (result.violations.length > 0) {
        failing++;
        process.stdout.write(`FAIL ${describeFailure(result, opts)}\n`);
      }
      if (done % every === 0 || done === opts.seeds) {
        const secs = ((performance.now() - started) / 1000).toFixed(1);
        process.stderr.write(`progress: ${done}/${opts.seeds} seeds, ${failing} failing, ${secs}s\n`);
      }
    },
  });
  process.stdout.write(`${describeSummary(summary)}\n`);
  return summary.failingSeeds.length > 0 ? 1 : 0;
}

process.exitCode = main();
