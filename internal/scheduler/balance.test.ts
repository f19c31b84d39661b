// chb bounded loads, twos determinism and spread, lblc/lblcr locality and caller-driven expiry.

import test from "ava";
import { LocalityLeastConnection } from "./lblc.ts";
import { LocalityLeastConnectionReplicated } from "./lblcr.ts";
import { createScheduler } from "./registry.ts";
import { view } from "./test-helpers.ts";
import type { ServerView } from "./types.ts";

test("chb: no server gets more than ceil((1+ε)·average) keys (ε = 0.25, 10 servers, 10,000 keys)", (t) => {
  const eps = 0.25;
  const servers = view(new Array<number>(10).fill(1));
  const s = createScheduler("chb", servers, { flags: [], seed: 1, chbEpsilon: eps });
  const keys = 10_000;
  for (let k = 0; k < keys; k++) {
    const i = s.pick({ clientIp: "", key: `k${k}` });
    if (i === undefined) return t.fail("no server");
    (servers[i] as ServerView).activeConns++;
  }
  const max = Math.max(...servers.map((x) => x.activeConns));
  const bound = Math.ceil((1 + eps) * (keys / servers.length));
  t.log(`chb max load ${max}, bound ${bound}, min ${Math.min(...servers.map((x) => x.activeConns))}`);
  t.true(max <= bound);
});

test("chb: with loads below the bound a key stays on its ring owner", (t) => {
  const servers = view([1, 1, 1, 1]);
  const s = createScheduler("chb", servers, { flags: [], seed: 1 });
  const i = s.pick({ clientIp: "", key: "sticky" }) as number;
  for (const [j, x] of servers.entries()) if (j !== i) x.activeConns = 5;
  (servers[i] as ServerView).activeConns = 4;
  t.is(s.pick({ clientIp: "", key: "sticky" }), i);
});

test("twos: equal seeds replay equal picks; different seeds differ", (t) => {
  const run = (seed: number) => {
    const v = view([1, 2, 3, 4, 5]);
    const s = createScheduler("twos", v, { flags: [], seed });
    const out: (number | undefined)[] = [];
    for (let k = 0; k < 500; k++) {
      const i = s.pick({ clientIp: "1.1.1.1" });
      out.push(i);
      if (i !== undefined) (v[i] as ServerView).activeConns++;
      if (k % 3 === 0) for (const x of v) x.activeConns = Math.max(0, x.activeConns - 1);
    }
    return out;
  };
  t.deepEqual(run(42), run(42));
  t.notDeepEqual(run(42), run(43));
});

test("twos: with connections held, load tracks weight (within 5% of share)", (t) => {
  const weights = [1, 2, 3, 4];
  const v = view(weights);
  const s = createScheduler("twos", v, { flags: [], seed: 5 });
  for (let k = 0; k < 10_000; k++) (v[s.pick({ clientIp: "" }) as number] as ServerView).activeConns++;
  v.forEach((x, i) => {
    t.true(Math.abs(x.activeConns / 10_000 - (weights[i] as number) / 10) < 0.05);
  });
});

test("lblc: a destination sticks to its server until lblc-overloaded, and expires by nowMs", (t) => {
  const v = view([10, 10, 10]);
  const s = new LocalityLeastConnection(v, { flags: [], seed: 1, lblcExpirationMs: 1000 });
  const first = s.pick({ clientIp: "c", destIp: "d1", nowMs: 0 }) as number;
  (v[first] as ServerView).activeConns = 5;
  t.is(s.pick({ clientIp: "c", destIp: "d1", nowMs: 10 }), first, "sticks while active ≤ weight");
  (v[first] as ServerView).activeConns = 11;
  const next = s.pick({ clientIp: "c", destIp: "d1", nowMs: 20 });
  t.not(next, first, "moves once active > weight and another server is below half its weight");
  t.is(s.size, 1);
  s.expire(5000);
  t.is(s.size, 0);
});

test("lblcr: a busy destination grows its replica set, and shrinks it after the expiration", (t) => {
  const v = view([4, 4, 4]);
  const s = new LocalityLeastConnectionReplicated(v, { flags: [], seed: 1, lblcExpirationMs: 1000 });
  const a = s.pick({ clientIp: "c", destIp: "d", nowMs: 0 }) as number;
  t.is(s.members("d").length, 1);
  (v[a] as ServerView).activeConns = 5; // > weight 4, others idle (< 2)
  const b = s.pick({ clientIp: "c", destIp: "d", nowMs: 1 }) as number;
  t.not(b, a);
  t.is(s.members("d").length, 2);
  (v[a] as ServerView).activeConns = 0;
  (v[b] as ServerView).activeConns = 3;
  t.is(s.pick({ clientIp: "c", destIp: "d", nowMs: 2 }), a, "least loaded member");
  s.pick({ clientIp: "c", destIp: "d", nowMs: 2000 });
  t.is(s.members("d").length, 1, "the most loaded member left after the set stayed unchanged");
  s.expire(10_000);
  t.is(s.size, 0);
});
