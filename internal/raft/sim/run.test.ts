// Tests for whole runs: a seed replays exactly, runs exercise every kind of fault, and the
// options are checked.

import test from "ava";
import { ReadOnlyOption } from "../config.ts";
import { runSeed } from "./run.ts";
import { FaultProfile } from "./scenario.ts";

function traced(seed: number, opts: Parameters<typeof runSeed>[1] = {}) {
  const lines: string[] = [];
  const result = runSeed(seed, { ...opts, trace: (l) => lines.push(l) });
  return { result, lines };
}

test("the same seed replays exactly: same result and the same trace, event for event", (t) => {
  for (const seed of [1, 42, 777]) {
    const a = traced(seed);
    const b = traced(seed);
    t.deepEqual(b.result, a.result);
    t.is(b.lines.length, a.lines.length);
    t.deepEqual(b.lines, a.lines);
    t.true(a.lines.length > 100, "the trace records the run's events");
  }
});

test("tracing does not change the run", (t) => {
  t.deepEqual(runSeed(9), traced(9).result);
});

test("different seeds give different runs", (t) => {
  t.notDeepEqual(runSeed(1).stats, runSeed(2).stats);
});

test("a correct run recovers after healing and its history is linearizable", (t) => {
  const r = runSeed(3);
  t.deepEqual(r.violations, []);
  t.true(r.stats.recoveryTicks > 0);
  t.is(r.stats.linearizability, "ok");
  t.true(r.stats.historyLength >= 20 && r.stats.historyLength <= 400, `history ${r.stats.historyLength}`);
});

test("across seeds, runs exercise every fault and feature", (t) => {
  const total = {
    crashes: 0,
    pauses: 0,
    partitions: 0,
    stalls: 0,
    churns: 0,
    transfers: 0,
    confChangesApplied: 0,
    snapshotsInstalled: 0,
    messagesDuplicated: 0,
    writesUnknown: 0,
    readsOk: 0,
  };
  const readModes = new Set<string>();
  const sizes = new Set<number>();
  const profiles = new Set<string>();
  for (let seed = 100; seed < 130; seed++) {
    const r = runSeed(seed);
    t.deepEqual(r.violations, [], `seed ${seed}`);
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r.stats[k];
    readModes.add(r.stats.readOnlyOption);
    sizes.add(r.stats.nodes);
    profiles.add(r.stats.profile);
  }
  for (const [k, v] of Object.entries(total)) t.true(v > 0, `${k} never happened`);
  t.deepEqual([...readModes].sort(), [ReadOnlyOption.LeaseBased, ReadOnlyOption.Safe]);
  t.deepEqual([...sizes].sort(), [3, 4, 5, 6, 7]);
  t.deepEqual([...profiles].sort(), [FaultProfile.Churn, FaultProfile.Mixed]);
});

test("options fix the cluster size, read mode, profile and length", (t) => {
  const r = runSeed(5, {
    nodes: 4,
    readOnlyOption: ReadOnlyOption.LeaseBased,
    profile: FaultProfile.Churn,
    faultTicks: 100,
  });
  t.is(r.stats.nodes, 4);
  t.is(r.stats.readOnlyOption, ReadOnlyOption.LeaseBased);
  t.is(r.stats.profile, FaultProfile.Churn);
  t.true(r.stats.ticks >= 100 && r.stats.ticks <= 100 + 300);
  t.deepEqual(r.violations, []);
});

test("bad options are refused", (t) => {
  t.throws(() => runSeed(1.5), { instanceOf: RangeError });
  t.throws(() => runSeed(1, { nodes: 2 }), { instanceOf: RangeError, message: /nodes/ });
  t.throws(() => runSeed(1, { nodes: 8 }), { instanceOf: RangeError, message: /nodes/ });
  t.throws(() => runSeed(1, { faultTicks: -1 }), { instanceOf: RangeError, message: /faultTicks/ });
});
