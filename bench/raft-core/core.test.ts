// Smoke test of the raft-core bench: short runs must commit, batch as expected and measure latency.

import test from "ava";
import { measureHarnessThroughput, measureLatency, measureThroughput } from "./core.ts";

test("throughput runs commit proposals at batch sizes 1 and 64 within the window", (t) => {
  for (const batch of [1, 64]) {
    const r = measureThroughput(batch, 1024, 0.1);
    t.true(r.committed > 0);
    t.true(r.proposalsPerReady > 0 && r.proposalsPerReady <= 1024);
  }
  t.true(measureHarnessThroughput(64, 1024, 0.1) > 0);
});

test("the latency run measures one commit at a time", (t) => {
  const r = measureLatency(0.1);
  t.true(r.samples > 0);
  t.true(r.p50Ms <= r.p99Ms && r.p99Ms <= r.maxMs);
});
