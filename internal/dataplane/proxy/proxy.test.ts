// Behaviour tests of the proxy dataplane over real loopback sockets: spreading by weight, drain,
// redispatch, half-close, reconcile diffs, stats and limits.

import test from "ava";
import { ProxyDataplane } from "./proxy-dataplane.ts";
import {
  type Backend,
  backend,
  echo,
  eventually,
  freePort,
  openClient,
  realServer,
  roundTrip,
  service,
} from "./test-helpers.ts";

async function setup(t: { teardown(fn: () => Promise<void>): void }, n: number) {
  const dp = new ProxyDataplane({ connectTimeoutMs: 1000 });
  const backends: Backend[] = [];
  for (let i = 0; i < n; i++) backends.push(await echo());
  t.teardown(async () => {
    await dp.close();
    await Promise.all(backends.map((b) => b.close()));
  });
  return { dp, backends, port: await freePort() };
}

test("wrr spreads 400 connections by weights 1/1/2 and every one round-trips", async (t) => {
  const { dp, backends, port } = await setup(t, 3);
  const [a, b, c] = backends as [Backend, Backend, Backend];
  await dp.reconcile([service(port, [realServer(a.port, 1), realServer(b.port, 1), realServer(c.port, 2)])]);
  for (let batch = 0; batch < 20; batch++) {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => roundTrip(port, `msg-${batch}-${i}`).then((r) => [r, i] as const)),
    );
    for (const [r, i] of replies) t.is(r, `msg-${batch}-${i}`);
  }
  const within = (got: number, want: number) => Math.abs(got - want) <= 400 * 0.05;
  t.true(within(a.accepted, 100), `a=${a.accepted}`);
  t.true(within(b.accepted, 100), `b=${b.accepted}`);
  t.true(within(c.accepted, 200), `c=${c.accepted}`);
});

test("weight 0 drains: no new connections, the open one keeps working", async (t) => {
  const { dp, backends, port } = await setup(t, 2);
  const [a, b] = backends as [Backend, Backend];
  const table = (wa: number) => [service(port, [realServer(a.port, wa), realServer(b.port, 1)])];
  await dp.reconcile(table(1));
  const held = await openClient(port);
  t.is(await held.ask("one"), "one");
  const first = a.accepted === 1 ? a : b;
  const other = first === a ? b : a;
  await dp.reconcile([
    service(port, [realServer(a.port, first === a ? 0 : 1), realServer(b.port, first === b ? 0 : 1)]),
  ]);
  for (let i = 0; i < 10; i++) t.is(await roundTrip(port, `n${i}`), `n${i}`);
  t.is(first.accepted, 1);
  t.is(other.accepted, 10);
  t.is(await held.ask("still"), "still");
  held.close();
});

test("a dead real server is skipped by redispatch", async (t) => {
  const { dp, backends, port } = await setup(t, 1);
  const dead = await freePort();
  await dp.reconcile([
    service(port, [realServer(dead), realServer((backends[0] as Backend).port)], { scheduler: "rr" }),
  ]);
  for (let i = 0; i < 6; i++) t.is(await roundTrip(port, `x${i}`), `x${i}`);
  t.is((backends[0] as Backend).accepted, 6);
  const s = (await dp.stats()).services[0];
  t.true((s?.realServers.find((r) => r.port === dead)?.connectFailures ?? 0) >= 1);
});

test("half-close: the client ends its side and still receives the reply", async (t) => {
  const dp = new ProxyDataplane();
  const b = await backend((s) => {
    let n = 0;
    s.on("data", (d: Buffer) => {
      n += d.length;
    });
    s.on("end", () => s.end(`got ${n} bytes`));
  });
  t.teardown(async () => {
    await dp.close();
    await b.close();
  });
  const port = await freePort();
  await dp.reconcile([service(port, [realServer(b.port)])]);
  t.is(await roundTrip(port, "hello world"), "got 11 bytes");
});

test("reconcile removes a service's listener; the same table twice changes nothing", async (t) => {
  const { dp, backends, port } = await setup(t, 1);
  const port2 = await freePort();
  const rs = [realServer((backends[0] as Backend).port)];
  const both = [service(port, rs), service(port2, rs)];
  await dp.reconcile(both);
  const held = await openClient(port);
  t.is(await held.ask("a"), "a");
  await dp.reconcile(structuredClone(both));
  t.is(await held.ask("b"), "b");
  const s = await dp.stats();
  t.is(s.services.length, 2);
  t.is(s.services.find((x) => x.key === both[0]?.key)?.totalConns, 1);
  held.close();
  await dp.reconcile([both[1] as (typeof both)[number]]);
  await t.throwsAsync(roundTrip(port, "gone"), { code: "ECONNREFUSED" });
  t.is(await roundTrip(port2, "ok"), "ok");
  t.deepEqual(
    (await dp.stats()).services.map((x) => x.key),
    [both[1]?.key],
  );
});

test("stats count connections and bytes per service and real server", async (t) => {
  const { dp, backends, port } = await setup(t, 1);
  await dp.reconcile([service(port, [realServer((backends[0] as Backend).port)])]);
  const held = await openClient(port);
  await held.ask("12345");
  let s = (await dp.stats()).services[0];
  t.is(s?.activeConns, 1);
  for (let i = 0; i < 3; i++) await roundTrip(port, "x".repeat(100));
  held.close();
  t.true(await eventually(async () => (await dp.stats()).services[0]?.activeConns === 0));
  s = (await dp.stats()).services[0];
  t.like(s, { totalConns: 4, inactiveConns: 4, bytesIn: 305, bytesOut: 305, refusedConns: 0 });
  t.like(s?.realServers[0], { totalConns: 4, inactiveConns: 4, activeConns: 0, bytesIn: 305, bytesOut: 305 });
});

test("service maxConn refuses connections beyond the limit", async (t) => {
  const { dp, backends, port } = await setup(t, 1);
  await dp.reconcile([service(port, [realServer((backends[0] as Backend).port)], { maxConn: 1 })]);
  const held = await openClient(port);
  t.is(await held.ask("in"), "in");
  // Refused with a reset: the client sees an error, or at worst an empty, closed stream.
  t.is(await roundTrip(port, "over").catch(() => ""), "");
  t.is((await dp.stats()).services[0]?.refusedConns, 1);
  held.close();
});

test("per-server maxConn sends the overflow to another server", async (t) => {
  const { dp, backends, port } = await setup(t, 2);
  const [a, b] = backends as [Backend, Backend];
  await dp.reconcile([service(port, [realServer(a.port, 10, { maxConn: 1 }), realServer(b.port, 1)])]);
  const held = await openClient(port);
  t.is(await held.ask("hold"), "hold");
  t.is(a.accepted, 1);
  for (let i = 0; i < 3; i++) t.is(await roundTrip(port, `y${i}`), `y${i}`);
  t.is(b.accepted, 3);
  held.close();
});

test("close is idempotent and stops the listeners", async (t) => {
  const { dp, backends, port } = await setup(t, 1);
  await dp.reconcile([service(port, [realServer((backends[0] as Backend).port)])]);
  await Promise.all([dp.close(), dp.close()]);
  await t.throwsAsync(roundTrip(port, "closed"), { code: "ECONNREFUSED" });
  await t.throwsAsync(dp.stats());
});
