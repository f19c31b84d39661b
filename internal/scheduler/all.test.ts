// Properties every scheduler shares: weight-0 servers are never picked, an empty or all-drained
// view gives undefined, and the IPVS overload thresholds (with hysteresis) are honoured.

import test from "ava";
import { SCHEDULERS } from "../state/services/model.ts";
import { refreshOverload } from "./common.ts";
import { createScheduler } from "./registry.ts";
import { countPicks, view } from "./test-helpers.ts";

const opts = { flags: [], seed: 7 } as const;

for (const name of SCHEDULERS) {
  test(`${name}: weight-0 servers never get a new connection`, (t) => {
    const servers = view([1, 0, 3, 0, 2]);
    const s = createScheduler(name, servers, opts);
    const { counts } = countPicks(s, servers.length, 2000);
    t.is(counts[1], 0);
    t.is(counts[3], 0);
  });

  test(`${name}: an empty view and an all-drained view give undefined`, (t) => {
    t.is(createScheduler(name, [], opts).pick({ clientIp: "1.2.3.4" }), undefined);
    const drained = createScheduler(name, view([0, 0, 0]), opts);
    for (let k = 0; k < 50; k++)
      t.is(drained.pick({ clientIp: `1.2.3.${k}`, destIp: `9.9.9.${k}` }), undefined);
  });

  test(`${name}: a server at its upper threshold is skipped`, (t) => {
    const servers = view([1, 1]);
    const first = servers[0];
    if (first === undefined) return t.fail();
    first.upperThreshold = 10;
    first.inactiveConns = 10;
    const s = createScheduler(name, servers, { ...opts, flags: ["sh-fallback", "mh-fallback"] });
    const { counts } = countPicks(s, 2, 500);
    t.is(counts[0], 0);
  });
}

test("overload hysteresis: set at upper, cleared only below lower (or 3/4 of upper without one)", (t) => {
  const [s, u] = view([1, 1], { upperThreshold: 8, lowerThreshold: 4 });
  if (s === undefined || u === undefined) return t.fail();
  s.activeConns = 8;
  t.true(refreshOverload(s));
  s.activeConns = 5;
  t.true(refreshOverload(s), "still overloaded between lower and upper");
  s.activeConns = 3;
  t.false(refreshOverload(s));
  u.lowerThreshold = 0;
  u.activeConns = 8;
  t.true(refreshOverload(u));
  u.activeConns = 6;
  t.true(refreshOverload(u), "6·4 = 24 is not below 8·3");
  u.activeConns = 5;
  t.false(refreshOverload(u));
});
