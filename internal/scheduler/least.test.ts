// lc, wlc, sed, nq, fo, ovf, ewma: each picks per its formula on hand-crafted views.

import test from "ava";
import { createScheduler } from "./registry.ts";
import { view } from "./test-helpers.ts";
import type { ServerView } from "./types.ts";

const opts = { flags: [], seed: 1 } as const;
const ctx = { clientIp: "10.1.1.1" };

function withConns(weights: number[], conns: [number, number][]): ServerView[] {
  const v = view(weights);
  v.forEach((s, i) => {
    const [a, b] = conns[i] as [number, number];
    s.activeConns = a;
    s.inactiveConns = b;
  });
  return v;
}

test("lc: least active·256 + inactive, ignoring weight", (t) => {
  // overheads: 2·256=512, 1·256+300=556, 0·256+511=511
  const v = withConns(
    [1, 100, 1],
    [
      [2, 0],
      [1, 300],
      [0, 511],
    ],
  );
  t.is(createScheduler("lc", v, opts).pick(ctx), 2);
  v[2] = { ...(v[2] as ServerView), inactiveConns: 512 };
  t.is(createScheduler("lc", v, opts).pick(ctx), 0, "ties go to the first");
});

test("wlc: least (active·256 + inactive)/weight by cross multiplication", (t) => {
  // 10·256/4 = 640, 3·256/1 = 768, 20·256/10 = 512
  const v = withConns(
    [4, 1, 10],
    [
      [10, 0],
      [3, 0],
      [20, 0],
    ],
  );
  t.is(createScheduler("wlc", v, opts).pick(ctx), 2);
  // products beyond 2^53 (exact via BigInt): ratio 1 vs (2^31 - 3)/(2^31 - 2)
  const big = withConns(
    [2_147_483_647, 2_147_483_646],
    [
      [8_388_607, 255],
      [8_388_607, 253],
    ],
  );
  t.is(createScheduler("wlc", big, opts).pick(ctx), 1);
});

test("sed: least (active + 1)/weight, inactive ignored", (t) => {
  // (1+1)/1 = 2, (5+1)/4 = 1.5, (2+1)/2 = 1.5 → first of the tie
  const v = withConns(
    [1, 4, 2],
    [
      [1, 0],
      [5, 1000],
      [2, 0],
    ],
  );
  t.is(createScheduler("sed", v, opts).pick(ctx), 1);
});

test("nq: an idle server first even if sed would prefer another; else sed", (t) => {
  const v = withConns(
    [100, 1, 1],
    [
      [1, 0],
      [3, 0],
      [0, 50],
    ],
  );
  t.is(createScheduler("nq", v, opts).pick(ctx), 2);
  const busy = withConns(
    [100, 1],
    [
      [1, 0],
      [3, 0],
    ],
  );
  t.is(createScheduler("nq", busy, opts).pick(ctx), 0);
});

test("fo: the usable server with the highest weight", (t) => {
  const v = withConns(
    [3, 9, 9, 5],
    [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ],
  );
  t.is(createScheduler("fo", v, opts).pick(ctx), 1);
  (v[1] as ServerView).weight = 0;
  t.is(createScheduler("fo", v, opts).pick(ctx), 2);
});

test("ovf: the highest weight with active < weight, overflowing to the next", (t) => {
  const v = withConns(
    [3, 2],
    [
      [0, 0],
      [0, 0],
    ],
  );
  const s = createScheduler("ovf", v, opts);
  const seq: (number | undefined)[] = [];
  for (let k = 0; k < 6; k++) {
    const i = s.pick(ctx);
    seq.push(i);
    if (i !== undefined) (v[i] as ServerView).activeConns++;
  }
  t.deepEqual(seq, [0, 0, 0, 1, 1, undefined]);
});

test("ewma: prefers the lower latency, scaled by queue and weight", (t) => {
  const v = view([1, 1, 1]);
  [50, 10, 30].forEach((ms, i) => {
    (v[i] as ServerView).latencyEwmaMs = ms;
  });
  const s = createScheduler("ewma", v, opts);
  t.is(s.pick(ctx), 1);
  (v[1] as ServerView).activeConns = 3; // 10·4 = 40 > 30·1
  t.is(s.pick(ctx), 2);
  (v[2] as ServerView).weight = 0;
  t.is(s.pick(ctx), 1, "40 < 50");
});
