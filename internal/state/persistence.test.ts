// Persistence records in the replicated state: clients grouped by netmask / IPv6 prefix, expiry
// by leader-stamped entry time, sweeps, pruning with the table, and determinism across nodes.

import test from "ava";
import { clientGroup } from "./persistence.ts";
import { ReplicatedState } from "./replicated-state.ts";

const SVC = "tcp/198.18.0.10:80";
const V6 = "tcp/[2001:db8::10]:443";

function stateWithServices(): { s: ReplicatedState; next: () => number } {
  const s = new ReplicatedState();
  let index = 1;
  const next = () => ++index;
  s.apply(next(), 1_000, {
    op: "txn",
    ops: [
      {
        op: "service.add",
        service: {
          protocol: "tcp",
          vip: "198.18.0.10",
          port: 80,
          persistence: { timeoutSec: 60, netmask: "255.255.255.0" },
          realServers: [{ address: "198.18.1.1" }, { address: "198.18.1.2" }],
        },
      },
      {
        op: "service.add",
        service: {
          protocol: "tcp",
          vip: "2001:db8::10",
          port: 443,
          persistence: { timeoutSec: 30, prefixLen: 64 },
          realServers: [{ address: "2001:db8::1:1" }],
        },
      },
      {
        op: "service.add",
        service: { protocol: "tcp", vip: "198.18.0.11", port: 80, realServers: [{ address: "198.18.1.3" }] },
      },
    ],
  });
  return { s, next };
}

test("clients are grouped by the service's netmask (IPv4) or prefix (IPv6)", (t) => {
  const { s } = stateWithServices();
  const v4 = s.services.get(SVC)!;
  t.is(clientGroup(v4, "198.18.5.7"), "198.18.5.0");
  t.is(clientGroup(v4, "198.18.5.200"), "198.18.5.0");
  const v6 = s.services.get(V6)!;
  t.is(clientGroup(v6, "2001:db8:0:7:abcd::1"), "2001:db8:0:7::");
  t.is(clientGroup(v4, "2001:db8::1"), undefined, "a client of the other family has no group");
  t.is(clientGroup(v4, "not-an-ip"), undefined);
});

test("a record expires by entry time, is refreshed by a newer batch, and a sweep removes it", (t) => {
  const { s, next } = stateWithServices();
  s.apply(next(), 10_000, {
    op: "persist",
    records: [{ service: SVC, client: "198.18.5.7", server: "198.18.1.2|80" }],
  });
  const r = s.persistence.lookup(SVC, "198.18.5.0", 10_000);
  t.is(r?.server, "198.18.1.2|80");
  t.is(r?.expiresAtMs, 70_000, "entry time 10 s + 60 s timeout");
  t.truthy(s.persistence.lookup(SVC, "198.18.5.0", 69_999));
  t.falsy(s.persistence.lookup(SVC, "198.18.5.0", 70_000));
  s.apply(next(), 50_000, {
    op: "persist",
    records: [{ service: SVC, client: "198.18.5.99", server: "198.18.1.2|80" }],
  });
  t.is(
    s.persistence.lookup(SVC, "198.18.5.0", 100_000)?.expiresAtMs,
    110_000,
    "the same group was refreshed",
  );
  s.apply(next(), 200_000, { op: "persist.sweep" });
  t.is(s.persistence.size, 0);
});

test("records for unknown services or servers, or services without persistence, are ignored", (t) => {
  const { s, next } = stateWithServices();
  s.apply(next(), 1_000, {
    op: "persist",
    records: [
      { service: "tcp/198.18.0.99:80", client: "198.18.5.7", server: "198.18.1.1|80" },
      { service: SVC, client: "198.18.5.7", server: "198.18.9.9|80" },
      { service: "tcp/198.18.0.11:80", client: "198.18.5.7", server: "198.18.1.3|80" },
      { service: SVC, client: "garbage", server: "198.18.1.1|80" },
    ],
  });
  t.is(s.persistence.size, 0);
});

test("removing a real server or its service drops its records; persistence never moves the revision", (t) => {
  const { s, next } = stateWithServices();
  const rev = s.revision;
  s.apply(next(), 1_000, {
    op: "persist",
    records: [
      { service: SVC, client: "198.18.5.7", server: "198.18.1.1|80" },
      { service: SVC, client: "198.18.6.7", server: "198.18.1.2|80" },
      { service: V6, client: "2001:db8::99", server: "2001:db8::1:1|443" },
    ],
  });
  t.is(s.revision, rev, "if_revision transactions are not invalidated by traffic");
  s.apply(next(), 2_000, { op: "txn", ops: [{ op: "server.delete", service: SVC, address: "198.18.1.1" }] });
  t.deepEqual(
    s.persistence.rows().map((r) => r.server),
    ["198.18.1.2|80", "2001:db8::1:1|443"],
  );
  s.apply(next(), 3_000, { op: "txn", ops: [{ op: "service.delete", key: V6 }] });
  t.deepEqual(
    s.persistence.rows().map((r) => r.server),
    ["198.18.1.2|80"],
  );
});

test("records travel in snapshots and two nodes applying the same log hash the same", (t) => {
  const a = stateWithServices();
  const b = stateWithServices();
  for (const { s, next } of [a, b])
    s.apply(next(), 5_000, {
      op: "persist",
      records: [{ service: SVC, client: "198.18.5.7", server: "198.18.1.1|80" }],
    });
  t.is(a.s.hash(), b.s.hash());
  const c = new ReplicatedState();
  c.restore(a.s.snapshot());
  t.is(c.persistence.lookup(SVC, "198.18.5.0", 5_000)?.server, "198.18.1.1|80");
  t.is(c.hash(), a.s.hash());
});

test("a malformed batch is refused with the field named", (t) => {
  const { s, next } = stateWithServices();
  t.throws(() => s.apply(next(), 1, { op: "persist", records: [{ service: SVC, client: 5, server: "x" }] }), {
    message: /records\[0\]\.client/,
  });
  t.throws(() => s.apply(next(), 1, { op: "persist", records: [] }), { message: /records/ });
});
