// CI seeds 501..1000 of the deterministic Raft simulator (the four sim-seeds files together
// run 2,000 seeds, in parallel): every run must end without a violation.

import test from "ava";
import { describeFailure, runBatch } from "../internal/raft/sim/index.ts";

const FIRST_SEED = 501;
const SEEDS = 500;

test(`simulator seeds ${FIRST_SEED}..${FIRST_SEED + SEEDS - 1} have no violations`, (t) => {
  const failures: string[] = [];
  const summary = runBatch({
    from: FIRST_SEED,
    seeds: SEEDS,
    onResult: (r) => {
      if (r.violations.length > 0) failures.push(describeFailure(r, {}));
    },
  });
  t.log(`${summary.runs} runs in ${(summary.elapsedMs / 1000).toFixed(1)}s`);
  t.deepEqual(failures, []);
});
