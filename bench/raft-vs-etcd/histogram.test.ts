// The bench's latency histogram: percentiles within its stated precision, and merging across
// processes (through JSON) gives the same answer as recording everything in one.

import test from "ava";
import { Histogram, medianOf, percentileOf } from "./histogram.ts";

test("percentiles are within 1/128 of the exact values over a wide range", (t) => {
  const h = new Histogram();
  const values: number[] = [];
  let x = 12345;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const ms = 0.01 * Math.exp((x / 2 ** 31) * Math.log(1e5)); // 10 µs .. 1 s, log-uniform
    values.push(ms);
    h.recordMs(ms);
  }
  values.sort((a, b) => a - b);
  for (const p of [1, 10, 50, 90, 99, 99.9]) {
    const exact = values[Math.ceil((p / 100) * values.length) - 1]!;
    const got = h.percentileMs(p);
    t.true(Math.abs(got - exact) <= exact / 128 + 0.001, `p${p}: ${got} vs ${exact}`);
  }
  t.is(h.percentileMs(100), values.at(-1)!);
  t.is(h.percentileMs(0), values[0]!);
  t.is(h.count, 20_000);
});

test("merging through JSON equals recording in one histogram", (t) => {
  const all = new Histogram();
  const a = new Histogram();
  const b = new Histogram();
  for (let i = 1; i <= 1000; i++) {
    all.recordMs(i / 10);
    (i % 2 === 0 ? a : b).recordMs(i / 10);
  }
  const merged = Histogram.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  merged.merge(JSON.parse(JSON.stringify(b.toJSON())));
  for (const p of [50, 90, 99]) t.is(merged.percentileMs(p), all.percentileMs(p));
  t.is(merged.count, all.count);
  t.is(merged.maxUs, all.maxUs);
  t.is(merged.minUs, all.minUs);
  t.is(new Histogram().percentileMs(50), 0);
});

test("list helpers: median and nearest-rank percentile", (t) => {
  t.is(medianOf([3, 1, 2]), 2);
  t.is(medianOf([4, 1, 2, 3]), 2.5);
  t.is(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
  t.is(percentileOf([5], 90), 5);
  t.true(Number.isNaN(medianOf([])));
});
