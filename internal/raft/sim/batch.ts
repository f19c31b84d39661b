// Runs a range of seeds with the same options and words the results for people: one line per
// failing seed with the command that replays it, progress lines, and a summary.

import type { UnsafeTestingFaults } from "../config.ts";
import { type RunOptions, type RunResult, runSeed } from "./run.ts";

/** The options a batch passes to every run, as the CLI names them. */
export interface BatchOptions {
  /** First seed. */
  from: number;
  /** Number of seeds. */
  seeds: number;
  nodes?: number | undefined;
  bugs?: readonly (keyof UnsafeTestingFaults)[] | undefined;
  faultTicks?: number | undefined;
  profile?: RunOptions["profile"] | undefined;
  readOnlyOption?: RunOptions["readOnlyOption"] | undefined;
  trace?: ((line: string) => void) | undefined;
  traceMessages?: boolean | undefined;
  /** Called after each run, in seed order. */
  onResult?: ((result: RunResult, done: number) => void) | undefined;
}

export interface BatchSummary {
  runs: number;
  violations: number;
  failingSeeds: number[];
  elapsedMs: number;
}

export function runOptionsOf(o: BatchOptions): RunOptions {
  const run: RunOptions = {};
  if (o.nodes !== undefined) run.nodes = o.nodes;
  if (o.bugs !== undefined && o.bugs.length > 0)
    run.faults = Object.fromEntries(o.bugs.map((b) => [b, true]));
  if (o.faultTicks !== undefined) run.faultTicks = o.faultTicks;
  if (o.profile !== undefined) run.profile = o.profile;
  if (o.readOnlyOption !== undefined) run.readOnlyOption = o.readOnlyOption;
  if (o.trace !== undefined) run.trace = o.trace;
  if (o.traceMessages) run.traceMessages = true;
  return run;
}

export function runBatch(o: BatchOptions): BatchSummary {
  const run = runOptionsOf(o);
  const started = performance.now();
  const failingSeeds: number[] = [];
  let violations = 0;
  for (let i = 0; i < o.seeds; i++) {
    const result = runSeed(o.from + i, run);
    if (result.violations.length > 0) {
      failingSeeds.push(result.seed);
      violations += result.violations.length;
    }
    o.onResult?.(result, i + 1);
  }
  return { runs: o.seeds, violations, failingSeeds, elapsedMs: performance.now() - started };
}

/** The command that replays one seed with the same options. */
export function reproduceCommand(seed: number, o: Omit<BatchOptions, "from" | "seeds">): string {
  const parts = ["npm run sim -- --seeds 1", `--from ${seed}`];
  if (o.nodes !== undefined) parts.push(`--nodes ${o.nodes}`);
  for (const b of o.bugs ?? []) parts.push(`--bug ${b}`);
  if (o.faultTicks !== undefined) parts.push(`--ticks ${o.faultTicks}`);
  if (o.profile !== undefined) parts.push(`--profile ${o.profile}`);
  if (o.readOnlyOption !== undefined) parts.push(`--read-only ${o.readOnlyOption}`);
  return parts.join(" ");
}

/** One line for a failing run: its seed, its violations, and how to replay it. */
export function describeFailure(result: RunResult, o: Omit<BatchOptions, "from" | "seeds">): string {
  return (
    `seed ${result.seed} (${result.stats.nodes} nodes, ${result.stats.profile}, ${result.stats.readOnlyOption}): ` +
    `${result.violations.join(" | ")}; reproduce with: ${reproduceCommand(result.seed, o)} --trace`
  );
}

export function describeSummary(s: BatchSummary): string {
  const shown = s.failingSeeds.slice(0, 30).join(", ");
  const more = s.failingSeeds.length > 30 ? `, ... (${s.failingSeeds.length - 30} more)` : "";
  return (
    `runs: ${s.runs}, violations: ${s.violations}, failing seeds: ${s.failingSeeds.length}` +
    (s.failingSeeds.length > 0 ? ` [${shown}${more}]` : "") +
    `, time: ${(s.elapsedMs / 1000).toFixed(1)}s`
  );
}
