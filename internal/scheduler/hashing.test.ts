// sh, dh, mh, chb: the same key gives the same server on independently built instances (as on
// two nodes), sh's table follows weights, and the sh-fallback / sh-port flags do what IPVS's do.

import test from "ava";
import { hash32 } from "./hash.ts";
import { createScheduler } from "./registry.ts";
import { view } from "./test-helpers.ts";
import type { PickContext } from "./types.ts";

const ctxs: PickContext[] = Array.from({ length: 2000 }, (_, k) => ({
  clientIp: `10.${(k >>> 8) & 255}.${k & 255}.7`,
  clientPort: 2000 + k,
  destIp: `172.20.${k % 251}.${k % 7}`,
}));

for (const name of ["sh", "dh", "mh", "chb"] as const) {
  test(`${name}: two independently built instances agree on every key`, (t) => {
    const a = createScheduler(name, view([3, 1, 2, 5, 1]), { flags: [], seed: 1 });
    const b = createScheduler(name, view([3, 1, 2, 5, 1]), { flags: [], seed: 99 });
    for (const c of ctxs) t.is(a.pick(c), b.pick(c));
  });

  test(`${name}: a key keeps its server across repeated picks with an unchanged view`, (t) => {
    const s = createScheduler(name, view([1, 1, 1, 1]), { flags: [], seed: 1 });
    for (const c of ctxs.slice(0, 200)) t.is(s.pick(c), s.pick(c));
  });
}

test("hash32 is a fixed function (pinned values keep nodes of different builds in agreement)", (t) => {
  t.is(hash32(""), hash32(""));
  t.not(hash32("a"), hash32("b"));
  t.not(hash32("a", 1), hash32("a", 2));
  t.deepEqual(
    [hash32(""), hash32("10.0.0.1"), hash32("10.0.0.1", 1), hash32("ü€")],
    [2872998923, 2931590574, 217813502, 3979377898],
  );
});

test("sh: buckets follow weights (weights 1:2:5 over 256 buckets ≈ 1/8, 2/8, 5/8 of keys)", (t) => {
  const s = createScheduler("sh", view([1, 2, 5]), { flags: [], seed: 1 });
  const counts = [0, 0, 0];
  for (let k = 0; k < 40_000; k++) {
    const i = s.pick({ clientIp: `10.9.${(k >>> 8) & 255}.${k & 255}` });
    if (i !== undefined) counts[i] = (counts[i] as number) + 1;
  }
  const shares = counts.map((c) => c / 40_000);
  t.log(`sh shares ${shares.map((x) => x.toFixed(4)).join(" ")}`);
  [1 / 8, 2 / 8, 5 / 8].forEach((want, i) => {
    t.true(Math.abs((shares[i] as number) - want) < 0.02);
  });
});

test("sh: without sh-fallback a drained bucket gives undefined; with it, another server", (t) => {
  const v = view([1, 1]);
  const plain = createScheduler("sh", v, { flags: [], seed: 1 });
  const fb = createScheduler("sh", v, { flags: ["sh-fallback"], seed: 1 });
  const owner0 = ctxs.find((c) => plain.pick(c) === 0) as PickContext;
  (v[0] as { weight: number }).weight = 0;
  t.is(plain.pick(owner0), undefined);
  t.is(fb.pick(owner0), 1);
});

test("sh: sh-port spreads one client's ports over servers; without it they stay together", (t) => {
  const mk = (flags: "sh-port"[]) => createScheduler("sh", view([1, 1, 1, 1]), { flags, seed: 1 });
  const plain = mk([]);
  const port = mk(["sh-port"]);
  const seenPlain = new Set<number | undefined>();
  const seenPort = new Set<number | undefined>();
  for (let p = 1000; p < 1100; p++) {
    seenPlain.add(plain.pick({ clientIp: "10.0.0.9", clientPort: p }));
    seenPort.add(port.pick({ clientIp: "10.0.0.9", clientPort: p }));
  }
  t.is(seenPlain.size, 1);
  t.is(seenPort.size, 4);
});
