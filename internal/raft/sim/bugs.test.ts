// The checkers must catch the library's deliberate bugs: for each one, some seed among the first
// 300 reports a violation of the kind that bug causes. (The same seeds pass with the bug off:
// see test/sim-seeds-*.test.ts.)

import test from "ava";
import type { UnsafeTestingFaults } from "../config.ts";
import { ViolationKind } from "./checkers.ts";
import { type RunOptions, runSeed } from "./run.ts";
import { FaultProfile } from "./scenario.ts";

const MAX_SEEDS = 300;

/** Consequences any broken safety property can show as, end to end. */
const LOST_OR_FORKED: readonly ViolationKind[] = [
  ViolationKind.LeaderCompleteness,
  ViolationKind.StateMachineSafety,
  ViolationKind.LogMatching,
  ViolationKind.StateDivergence,
  ViolationKind.Linearizability,
];

interface Hunt {
  /** Seeds whose violations include an expected kind. */
  caught: number[];
  /** How often each kind showed up. */
  kinds: Map<string, number>;
  example: string | undefined;
}

function hunt(
  bug: keyof UnsafeTestingFaults,
  expected: readonly ViolationKind[],
  opts: RunOptions,
  stopAfter: number,
): Hunt {
  const h: Hunt = { caught: [], kinds: new Map(), example: undefined };
  for (let seed = 1; seed <= MAX_SEEDS && h.caught.length < stopAfter; seed++) {
    const r = runSeed(seed, { ...opts, faults: { [bug]: true } });
    let hit = false;
    for (const v of r.violations) {
      const kind = v.slice(0, v.indexOf(":"));
      h.kinds.set(kind, (h.kinds.get(kind) ?? 0) + 1);
      if ((expected as readonly string[]).includes(kind)) {
        hit = true;
        h.example ??= `seed ${seed}: ${v}`;
      }
    }
    if (hit) h.caught.push(seed);
  }
  return h;
}

function report(h: Hunt): string {
  return `caught by seeds ${h.caught.join(", ") || "none"}; kinds seen: ${JSON.stringify([...h.kinds])}; e.g. ${h.example}`;
}

test("skipLogUpToDateCheck: a leader lacking committed entries is caught", (t) => {
  const h = hunt("skipLogUpToDateCheck", LOST_OR_FORKED, { stopOnViolation: true }, 3);
  t.log(report(h));
  t.true(h.caught.length >= 3, report(h));
});

test("countStaleVotes: a leader elected with votes of an older term is caught", (t) => {
  const h = hunt(
    "countStaleVotes",
    [ViolationKind.ElectionQuorum, ViolationKind.ElectionSafety],
    { stopOnViolation: true },
    3,
  );
  t.log(report(h));
  t.true(h.caught.length >= 3, report(h));
});

test("countStaleVotes: its consequences (two leaders in a term, lost entries) show end to end", (t) => {
  const h = hunt("countStaleVotes", [ViolationKind.ElectionSafety, ...LOST_OR_FORKED], {}, 1);
  t.log(report(h));
  t.true(h.caught.length >= 1, report(h));
});

test("commitPreviousTermByCounting: a leader committing an old-term entry by counting is caught", (t) => {
  const h = hunt("commitPreviousTermByCounting", [ViolationKind.CommitRule], { stopOnViolation: true }, 3);
  t.log(report(h));
  t.true(h.caught.length >= 3, report(h));
});

test("commitPreviousTermByCounting: under leader churn, a committed entry is lost (Raft figure 8)", (t) => {
  const h = hunt("commitPreviousTermByCounting", LOST_OR_FORKED, { profile: FaultProfile.Churn }, 1);
  t.log(report(h));
  t.true(h.caught.length >= 1, report(h));
});
