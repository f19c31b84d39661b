// The virtual-service table: canonical rows, validation naming the field, atomic transactions,
// history for watch and look-back, and equal hashes for equal histories.

import test from "ava";
import { ReplicatedState } from "../replicated-state.ts";
import { TableError } from "./specs.ts";
import { ServiceTable } from "./table.ts";

const web = { protocol: "tcp", vip: "198.18.0.10", port: 80, scheduler: "wrr" };

test("a service and its real servers are stored canonically (keys, IPv6 text, sorted servers, defaults)", (t) => {
  const table = new ServiceTable();
  table.apply(
    [
      {
        op: "service.add",
        service: {
          ...web,
          realServers: [{ address: "198.18.1.2" }, { address: "198.18.1.1:8080", weight: 3 }],
        },
      },
      {
        op: "service.add",
        service: { protocol: "udp", vip: "2001:DB8:0::1", port: 53, persistence: { prefixLen: 64 } },
      },
      { op: "service.add", service: { fwmark: 7, scheduler: "mh", schedFlags: ["mh-port", "mh-fallback"] } },
    ],
    1,
  );
  t.deepEqual(
    table.list().map((s) => s.key),
    ["fwm/7", "tcp/198.18.0.10:80", "udp/[2001:db8::1]:53"],
  );
  const svc = table.get("tcp/198.18.0.10:80")!;
  t.deepEqual(
    svc.realServers.map((r) => [r.address, r.port, r.weight, r.forward]),
    [
      ["198.18.1.1", 8080, 3, "proxy"],
      ["198.18.1.2", 80, 1, "proxy"],
    ],
  );
  t.is(table.get("udp/[2001:db8::1]:53")!.persistence?.timeoutSec, 300);
  t.deepEqual(table.get("fwm/7")!.schedFlags, ["mh-fallback", "mh-port"]);
});

test("every invalid change is refused with an error naming the field", (t) => {
  const table = new ServiceTable();
  table.apply([{ op: "service.add", service: web }], 1);
  const cases: Array<[unknown, RegExp]> = [
    [
      { op: "service.add", service: { ...web, scheduler: "fastest" } },
      /ops\[0\]\.service\.scheduler: must be one of rr, wrr/,
    ],
    [
      { op: "service.add", service: { ...web, vip: "300.1.1.1" } },
      /ops\[0\]\.service\.vip: is not an IPv4 or IPv6 address/,
    ],
    [
      { op: "service.add", service: { ...web, port: 70000 } },
      /ops\[0\]\.service\.port: must be an integer in 1\.\.65535/,
    ],
    [{ op: "service.add", service: web }, /already exists/],
    [
      { op: "service.add", service: { ...web, port: 81, persistence: { netmask: "255.0.255.0" } } },
      /persistence\.netmask/,
    ],
    [
      { op: "service.add", service: { ...web, port: 82, realServers: [{ address: "2001:db8::5" }] } },
      /is IPv6 but the service is IPv4/,
    ],
    [
      {
        op: "service.add",
        service: { ...web, port: 83, realServers: [{ address: "198.18.1.1" }, { address: "198.18.1.1" }] },
      },
      /duplicate real server/,
    ],
    [
      { op: "server.add", service: "tcp/198.18.0.10:80", server: { address: "198.18.1.9", weight: -1 } },
      /ops\[0\]\.server\.weight/,
    ],
    [
      {
        op: "server.add",
        service: "tcp/198.18.0.10:80",
        server: { address: "198.18.1.9", upperThreshold: 5, lowerThreshold: 9 },
      },
      /lowerThreshold/,
    ],
    [
      { op: "server.edit", service: "tcp/198.18.0.10:80", server: { address: "198.18.1.99", weight: 2 } },
      /no real server/,
    ],
    [{ op: "service.delete", key: "tcp/198.18.0.99:80" }, /no service tcp\/198\.18\.0\.99:80/],
    [
      {
        op: "service.add",
        service: { ...web, port: 84, mode: "http", http: { rules: [{ pathPrefix: "/api", pool: "api" }] } },
      },
      /no real server is in pool "api"/,
    ],
    [
      {
        op: "service.add",
        service: {
          ...web,
          port: 85,
          mode: "http",
          realServers: [{ address: "198.18.1.1", pool: "a" }],
          http: { rules: [{ pathRegex: "(", pool: "a" }] },
        },
      },
      /pathRegex: is not a valid regular expression/,
    ],
    [{ op: "service.add", service: { ...web, port: 86, color: "red" } }, /service\.color: unknown field/],
    [{ op: "explode" }, /unknown change "explode"/],
  ];
  for (const [op, pattern] of cases) {
    const err = t.throws(() => table.apply([op], 2), { instanceOf: TableError });
    t.regex(err?.message ?? "", pattern, JSON.stringify(op));
  }
  t.is(table.size, 1);
});

test("a transaction applies whole or not at all", (t) => {
  const table = new ServiceTable();
  table.apply([{ op: "service.add", service: web }], 1);
  t.throws(() =>
    table.apply(
      [
        { op: "server.add", service: "tcp/198.18.0.10:80", server: { address: "198.18.1.1" } },
        { op: "service.add", service: { ...web, port: 8080 } },
        { op: "server.add", service: "tcp/198.18.0.10:80", server: { address: "bogus" } },
      ],
      2,
    ),
  );
  t.is(table.size, 1);
  t.is(table.get("tcp/198.18.0.10:80")!.realServers.length, 0);
  t.deepEqual(table.changesSince(1), []);
});

test("later ops in a transaction see the earlier ones; weight 0 drains and edits keep other fields", (t) => {
  const table = new ServiceTable();
  table.apply(
    [
      { op: "service.add", service: web },
      {
        op: "server.add",
        service: "tcp/198.18.0.10:80",
        server: { address: "198.18.1.1", weight: 5, maxConn: 100 },
      },
      { op: "server.edit", service: "tcp/198.18.0.10:80", server: { address: "198.18.1.1", weight: 0 } },
    ],
    1,
  );
  const rs = table.get("tcp/198.18.0.10:80")!.realServers[0]!;
  t.deepEqual([rs.weight, rs.maxConn], [0, 100]);
});

test("history: changes since a revision, the table as it was at a revision, and compaction on restore", (t) => {
  const table = new ServiceTable();
  table.apply([{ op: "service.add", service: web }], 1);
  table.apply([{ op: "server.add", service: "tcp/198.18.0.10:80", server: { address: "198.18.1.1" } }], 2);
  table.apply([{ op: "clear" }], 3);
  t.deepEqual(
    table.changesSince(1)!.map((c) => [c.revision, c.key, Boolean(c.prev), Boolean(c.next)]),
    [
      [2, "tcp/198.18.0.10:80", true, true],
      [3, "tcp/198.18.0.10:80", true, false],
    ],
  );
  t.is(table.at(2)![0]!.realServers.length, 1);
  t.deepEqual(table.at(0), []);
  t.is(table.size, 0);
  table.load([], 3);
  t.is(table.changesSince(2), undefined, "history before a restore is gone");
  t.deepEqual(table.changesSince(3), []);
});

test("two states that applied the same transactions have the same hash; the snapshot carries the table", (t) => {
  const a = new ReplicatedState();
  const b = new ReplicatedState();
  for (const s of [a, b]) {
    s.apply(2, 1000, {
      op: "txn",
      ops: [{ op: "service.add", service: { ...web, realServers: [{ address: "198.18.1.1" }] } }],
    });
    s.apply(3, 1001, {
      op: "txn",
      ops: [
        { op: "server.edit", service: "tcp/198.18.0.10:80", server: { address: "198.18.1.1", weight: 4 } },
      ],
    });
  }
  t.is(a.hash(), b.hash());
  const c = new ReplicatedState();
  c.restore(a.snapshot());
  t.is(c.hash(), a.hash());
  t.is(c.services.get("tcp/198.18.0.10:80")!.realServers[0]!.weight, 4);
  t.throws(() => a.apply(4, 1002, { op: "txn", ops: [{ op: "service.delete", key: "tcp/1.1.1.1:1" }] }), {
    instanceOf: TableError,
  });
  t.is(a.revision, 2, "a refused transaction does not move the revision");
});
