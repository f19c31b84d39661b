// mh (Maglev): minimal disruption when one of N servers goes, shares ∝ weight, prime table sizes.

import test from "ava";
import { MaglevHashing } from "./mh.ts";
import { createScheduler } from "./registry.ts";
import { view } from "./test-helpers.ts";
import type { ServerView } from "./types.ts";

const KEYS = 100_000;
const N = 10;

function assign(servers: ServerView[]): (string | undefined)[] {
  const s = createScheduler("mh", servers, { flags: [], seed: 1 });
  const out: (string | undefined)[] = [];
  for (let k = 0; k < KEYS; k++) {
    const i = s.pick({ clientIp: "", key: `key-${k}` });
    out.push(i === undefined ? undefined : servers[i]?.id);
  }
  return out;
}

test("mh: removing 1 of 10 servers moves ≤ 1/N + 0.03 of 100,000 keys; survivors' keys mostly stay", (t) => {
  const all = view(new Array<number>(N).fill(1));
  const before = assign(all);
  const removed = all[3]?.id;
  const after = assign(all.filter((s) => s.id !== removed));
  let moved = 0;
  let survivorKeys = 0;
  let survivorMoved = 0;
  for (let k = 0; k < KEYS; k++) {
    if (before[k] !== after[k]) moved++;
    if (before[k] !== removed) {
      survivorKeys++;
      if (before[k] !== after[k]) survivorMoved++;
    }
  }
  const frac = moved / KEYS;
  const survFrac = survivorMoved / survivorKeys;
  t.log(
    `moved ${(frac * 100).toFixed(2)}% of keys (bound ${((1 / N + 0.03) * 100).toFixed(0)}%); keys on survivors moved ${(survFrac * 100).toFixed(2)}%`,
  );
  t.true(frac <= 1 / N + 0.03);
  t.true(survFrac <= 0.03);
  t.true(after.every((id) => id !== removed && id !== undefined));
});

test("mh: draining a server (weight 0) moves only its keys' share, like removing it", (t) => {
  const all = view(new Array<number>(N).fill(1));
  const before = assign(all);
  (all[5] as ServerView).weight = 0;
  const after = assign(all);
  const moved = before.filter((id, k) => id !== after[k]).length / KEYS;
  t.true(moved <= 1 / N + 0.03);
  t.false(after.includes(all[5]?.id));
});

test("mh: shares follow weights within 1.5% (weights 1,2,3,4)", (t) => {
  const servers = view([1, 2, 3, 4]);
  const ids = assign(servers);
  const shares = servers.map((s) => ids.filter((id) => id === s.id).length / KEYS);
  t.log(`mh shares ${shares.map((x) => x.toFixed(4)).join(" ")}`);
  shares.forEach((sh, i) => {
    t.true(Math.abs(sh - (i + 1) / 10) < 0.015, `server ${i}: ${sh}`);
  });
});

test("mh: the table size is a prime ≥ 100·N, default 65537; a non-prime size is refused", (t) => {
  const small = new MaglevHashing(view([1, 1, 1]), { flags: [], seed: 1, mhTableSize: 251 });
  small.pick({ clientIp: "1.1.1.1" });
  t.is(small.tableSize, 307, "251 < 100·3, so the next prime ≥ 300");
  const dflt = new MaglevHashing(view([1]), { flags: [], seed: 1 });
  dflt.pick({ clientIp: "1.1.1.1" });
  t.is(dflt.tableSize, 65537);
  t.throws(() => new MaglevHashing(view([1]), { flags: [], seed: 1, mhTableSize: 1000 }), {
    instanceOf: RangeError,
  });
});

test("mh: without mh-fallback an overloaded owner gives undefined; with it, another server", (t) => {
  const v = view([1, 1, 1]);
  const plain = createScheduler("mh", v, { flags: [], seed: 1 });
  const fb = createScheduler("mh", v, { flags: ["mh-fallback"], seed: 1 });
  const c = { clientIp: "10.3.3.3" };
  const owner = plain.pick(c) as number;
  const s = v[owner] as ServerView;
  s.upperThreshold = 1;
  s.activeConns = 1;
  t.is(plain.pick(c), undefined);
  const alt = fb.pick(c);
  t.not(alt, undefined);
  t.not(alt, owner);
});
