// Registers one CI range of simulator seeds as an ava test: every run must end without a
// violation (the four test/sim-seeds-*.test.ts files split 2,000 seeds so they run in parallel).

import type { TestFn } from "ava";
import { describeFailure, runBatch } from "../../internal/raft/sim/index.ts";

export function simSeedsTest(test: TestFn, firstSeed: number, seeds: number): void {
  test(`simulator seeds ${firstSeed}..${firstSeed + seeds - 1} have no violations`, (t) => {
    const failures: string[] = [];
    const summary = runBatch({
      from: firstSeed,
      seeds,
      onResult: (r) => {
        if (r.violations.length > 0) failures.push(describeFailure(r, {}));
      },
    });
    t.log(`${summary.runs} runs in ${(summary.elapsedMs / 1000).toFixed(1)}s`);
    t.deepEqual(failures, []);
  });
}
