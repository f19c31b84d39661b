// Public surface of the deterministic simulator: run one seed (or a range of seeds) and get the
// violations found and the run's statistics.

export type { BatchOptions, BatchSummary } from "./batch.ts";
export { describeFailure, describeSummary, reproduceCommand, runBatch, runOptionsOf } from "./batch.ts";
export { ViolationKind } from "./checkers.ts";
export type { RunOptions, RunResult, RunStats } from "./run.ts";
export { runSeed } from "./run.ts";
export { DEFAULT_FAULT_TICKS, FaultProfile } from "./scenario.ts";
