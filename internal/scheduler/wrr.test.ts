// rr and wrr: IPVS's exact weighted round robin sequence, and shares within 1% of the weights.

import test from "ava";
import { createScheduler } from "./registry.ts";
import { countPicks, view } from "./test-helpers.ts";

const opts = { flags: [], seed: 1 } as const;

test("wrr follows IPVS's gcd-stepped sequence for weights 4,3,2", (t) => {
  const s = createScheduler("wrr", view([4, 3, 2]), opts);
  const seq = Array.from({ length: 10 }, () => s.pick({ clientIp: "1.1.1.1" }));
  t.deepEqual(seq, [0, 0, 1, 0, 1, 2, 0, 1, 2, 0]);
});

test("wrr shares follow weights within 1% over 10,000 picks", (t) => {
  const weights = [5, 3, 2, 1, 7, 0, 12];
  const total = weights.reduce((a, b) => a + b, 0);
  const s = createScheduler("wrr", view(weights), opts);
  const { counts, none } = countPicks(s, weights.length, 10_000);
  t.is(none, 0);
  let worst = 0;
  weights.forEach((w, i) => {
    const err = Math.abs((counts[i] as number) / 10_000 - w / total);
    worst = Math.max(worst, err);
    t.true(err <= 0.01, `server ${i}: share error ${err}`);
  });
  t.log(`wrr worst share error ${(worst * 100).toFixed(3)}%`);
});

test("wrr with the heaviest server overloaded still serves the others in proportion", (t) => {
  const servers = view([1_000_000, 2, 1]);
  const heavy = servers[0];
  if (heavy === undefined) return t.fail();
  heavy.upperThreshold = 1;
  heavy.activeConns = 1;
  const s = createScheduler("wrr", servers, opts);
  const { counts } = countPicks(s, 3, 3000);
  t.deepEqual(counts, [0, 2000, 1000]);
});

test("rr gives equal shares and skips drained servers", (t) => {
  const s = createScheduler("rr", view([1, 5, 0, 1]), opts);
  const { counts } = countPicks(s, 4, 9000);
  t.deepEqual(counts, [3000, 3000, 0, 3000]);
});
