// diffTable: the fewest ops from the current table to the desired one, a readable diff line per
// change, and ops that ServiceTable accepts as one transaction and that land exactly on the goal.

import test from "ava";
import { type ServiceSpec, ServiceTable, serviceOf } from "../../state/services/index.ts";
import { diffTable, summarizeDiff } from "./diff.ts";
import { RICH, richTable } from "./fixtures.ts";

function converge(t: import("ava").ExecutionContext, table: ServiceTable, desired: ServiceSpec[]) {
  const { ops, lines } = diffTable(table.list(), desired);
  if (ops.length) table.apply(ops, 2);
  t.deepEqual(
    table.list(),
    desired.map((s, i) => serviceOf(s, `d${i}`)).sort((a, b) => (a.key < b.key ? -1 : 1)),
  );
  t.deepEqual(diffTable(table.list(), desired).ops, [], "a second diff finds nothing");
  return { ops, lines };
}

test("equal tables need no ops, whatever the spelling of the desired side", (t) => {
  const table = richTable();
  t.deepEqual(diffTable(table.list(), RICH), { ops: [], lines: [] });
  const respelled = RICH.map((s) => ({ ...s, realServers: [...(s.realServers ?? [])].reverse() }));
  respelled[1] = { ...respelled[1]!, vip: "2001:0db8:0000::53", schedFlags: ["sh-fallback", "sh-port"] };
  t.deepEqual(diffTable(table.list(), respelled).ops, []);
});

test("adds, deletes and edits of services and servers become minimal ops and diff lines", (t) => {
  const table = new ServiceTable();
  table.apply(
    [
      {
        op: "service.add",
        service: {
          vip: "198.18.0.10",
          port: 80,
          scheduler: "wlc",
          persistence: { timeoutSec: 600 },
          realServers: [{ address: "198.18.1.1" }, { address: "198.18.1.2" }, { address: "198.18.1.3" }],
        },
      },
      { op: "service.add", service: { fwmark: 3, realServers: [{ address: "198.18.2.1:443" }] } },
    ],
    1,
  );
  const desired: ServiceSpec[] = [
    {
      vip: "198.18.0.10",
      port: 80,
      scheduler: "wrr",
      realServers: [
        { address: "198.18.1.1", weight: 5 },
        { address: "198.18.1.3" },
        { address: "198.18.1.4", forward: "dr", pool: "b" },
      ],
    },
    {
      protocol: "udp",
      vip: "198.18.0.53",
      port: 53,
      scheduler: "rr",
      realServers: [{ address: "198.18.3.1" }],
    },
  ];
  const { ops, lines } = converge(t, table, desired);
  t.deepEqual(lines, [
    "- service fwm/3 (wlc, proxy, 1 real server)",
    "~ service tcp/198.18.0.10:80 scheduler wlc -> wrr, persistence 600s -> none",
    "~ server tcp/198.18.0.10:80 198.18.1.1:80 weight 1 -> 5",
    "- server tcp/198.18.0.10:80 198.18.1.2:80",
    "+ server tcp/198.18.0.10:80 198.18.1.4:80 (weight 1, forward dr, pool b)",
    "+ service udp/198.18.0.53:53 (rr, proxy, 1 real server)",
    "+ server udp/198.18.0.53:53 198.18.3.1:53 (weight 1)",
  ]);
  t.is(summarizeDiff(lines), "7 changes: 3 added, 2 changed, 2 deleted");
  t.deepEqual(ops, [
    { op: "service.delete", key: "fwm/3" },
    { op: "server.delete", service: "tcp/198.18.0.10:80", address: "198.18.1.2", port: 80 },
    {
      op: "server.edit",
      service: "tcp/198.18.0.10:80",
      server: { address: "198.18.1.1", port: 80, weight: 5 },
    },
    {
      op: "server.add",
      service: "tcp/198.18.0.10:80",
      server: {
        address: "198.18.1.4",
        port: 80,
        weight: 1,
        forward: "dr",
        upperThreshold: 0,
        lowerThreshold: 0,
        maxConn: 0,
        pool: "b",
      },
    },
    {
      op: "service.edit",
      service: { protocol: "tcp", vip: "198.18.0.10", port: 80, scheduler: "wrr", persistence: null },
    },
    {
      op: "service.add",
      service: {
        protocol: "udp",
        vip: "198.18.0.53",
        port: 53,
        scheduler: "rr",
        schedFlags: [],
        forward: "proxy",
        mode: "l4",
        maxConn: 0,
        realServers: [
          {
            address: "198.18.3.1",
            port: 53,
            weight: 1,
            forward: "proxy",
            upperThreshold: 0,
            lowerThreshold: 0,
            maxConn: 0,
            pool: "",
          },
        ],
      },
    },
  ]);
});

test("turning a service into http with rules over new pools orders server ops before the edit", (t) => {
  const table = new ServiceTable();
  table.apply(
    [
      {
        op: "service.add",
        service: { vip: "198.18.0.10", port: 80, realServers: [{ address: "198.18.1.1" }] },
      },
    ],
    1,
  );
  const desired: ServiceSpec[] = [
    {
      vip: "198.18.0.10",
      port: 80,
      mode: "http",
      http: { rules: [{ pathPrefix: "/api/", pool: "api" }], sorryServer: "198.18.9.9:80" },
      realServers: [{ address: "198.18.1.1" }, { address: "198.18.1.2", pool: "api" }],
    },
  ];
  const { ops, lines } = converge(t, table, desired);
  t.deepEqual(
    ops.map((o) => o.op),
    ["server.add", "service.edit"],
  );
  t.deepEqual(lines, [
    "~ service tcp/198.18.0.10:80 mode l4 -> http, http none -> [path /api/* => api; sorry 198.18.9.9:80]",
    "+ server tcp/198.18.0.10:80 198.18.1.2:80 (weight 1, pool api)",
  ]);
  // and back: the pool and rules go away together
  const back = converge(t, table, [
    { vip: "198.18.0.10", port: 80, realServers: [{ address: "198.18.1.1" }] },
  ]);
  t.deepEqual(back.lines, [
    "~ service tcp/198.18.0.10:80 mode http -> l4, http [path /api/* => api; sorry 198.18.9.9:80] -> none",
    "- server tcp/198.18.0.10:80 198.18.1.2:80",
  ]);
});

test("the rich table converges from empty and back to empty", (t) => {
  const table = new ServiceTable();
  const up = converge(t, table, RICH);
  t.is(up.ops.length, RICH.length);
  t.true(up.ops.every((o) => o.op === "service.add"));
  const down = converge(t, table, []);
  t.is(down.ops.length, RICH.length);
  t.true(down.ops.every((o) => o.op === "service.delete"));
  t.is(table.size, 0);
});

test("an invalid desired service is refused with the field named", (t) => {
  t.throws(() => diffTable([], [{ vip: "198.18.0.1", port: 80, scheduler: "fast" as "rr" }]), {
    message: /^desired\[0\]\.scheduler: must be one of/,
  });
});
