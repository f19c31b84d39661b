// Test fixture for the ipvsadm mode: a real ServiceTable behind the IpvsadmDeps client, a table
// covering every layout case (tcp/udp/sctp/fwmark, IPv6, persistence, methods, thresholds,
// flags, numeric-vs-text sort traps), counters of every magnitude, and golden-file comparison.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExecutionContext } from "ava";
import { ServiceTable } from "../../../state/services/index.ts";
import { type Counters, serverStatsKey, type TableStats } from "../format.ts";
import { type IpvsadmDeps, runIpvsadmMode } from "../run.ts";
import type { TableOp } from "../to-ops.ts";

const web = "tcp/198.18.0.10:80";

/** Built with table ops directly (not through the parser), using only what ipvsadm can express. */
export const FIXTURE_OPS: TableOp[] = [
  {
    op: "service.add",
    service: {
      protocol: "tcp",
      vip: "198.18.0.10",
      port: 80,
      scheduler: "wrr",
      persistence: { timeoutSec: 300, netmask: "255.255.255.0" },
      realServers: [
        { address: "198.18.1.9", port: 8080, forward: "nat", upperThreshold: 100, lowerThreshold: 50 },
        { address: "198.18.1.10", port: 80, forward: "dr", weight: 3 },
        { address: "198.18.1.11", port: 80, forward: "tun" },
        { address: "198.18.1.12", port: 9000, forward: "proxy", weight: 0 },
      ],
    },
  },
  {
    op: "service.add",
    service: {
      protocol: "tcp",
      vip: "198.18.0.10",
      port: 443,
      scheduler: "wlc",
      realServers: [{ address: "198.18.1.10", port: 443, forward: "dr" }],
    },
  },
  // 198.18.0.9 sorts before 198.18.0.10 numerically (ipvsadm) but after it as text (the table's keys).
  {
    op: "service.add",
    service: { protocol: "tcp", vip: "198.18.0.9", port: 80, scheduler: "rr", schedFlags: ["flag-2"] },
  },
  {
    op: "service.add",
    service: {
      protocol: "udp",
      vip: "198.18.0.10",
      port: 53,
      scheduler: "rr",
      persistence: { timeoutSec: 60 },
      realServers: [{ address: "198.18.1.20", port: 53, forward: "nat", weight: 2 }],
    },
  },
  { op: "service.add", service: { protocol: "sctp", vip: "198.18.0.11", port: 3868, scheduler: "lc" } },
  {
    op: "service.add",
    service: {
      protocol: "udp",
      vip: "2001:db8::1",
      port: 53,
      scheduler: "sh",
      schedFlags: ["sh-fallback", "sh-port"],
      persistence: { timeoutSec: 600, prefixLen: 64 },
      // ::b sorts before ::10 numerically, after it as text.
      realServers: [
        { address: "2001:db8::10", port: 53, forward: "nat" },
        { address: "2001:db8::b", port: 5353, forward: "proxy", weight: 5 },
      ],
    },
  },
  {
    op: "service.add",
    service: {
      protocol: "tcp",
      vip: "2001:db8::1",
      port: 443,
      scheduler: "wrr",
      realServers: [{ address: "2001:db8::10", port: 443, forward: "dr", upperThreshold: 1000 }],
    },
  },
  {
    op: "service.add",
    service: {
      fwmark: 5,
      scheduler: "mh",
      schedFlags: ["mh-fallback"],
      realServers: [
        { address: "198.18.1.6", port: 80, forward: "dr", weight: 2 },
        { address: "198.18.1.5", port: 80, forward: "dr", weight: 2 },
      ],
    },
  },
  { op: "service.add", service: { fwmark: 1, scheduler: "wlc" } },
  {
    op: "service.add",
    service: {
      fwmark: 6,
      family: 6,
      scheduler: "rr",
      persistence: { timeoutSec: 120, prefixLen: 48 },
      realServers: [{ address: "2001:db8::5", port: 80, forward: "tun" }],
    },
  },
  { op: "service.add", service: { fwmark: 6, scheduler: "rr" } },
];

/** A fresh table holding the fixture. */
export function fixtureTable(): ServiceTable {
  const table = new ServiceTable();
  table.apply(FIXTURE_OPS, 1);
  return table;
}

const c = (v: Partial<Counters>): Partial<Counters> => v;

/** Counters on most rows, across every print_largenum range (and one service with none). */
export const FIXTURE_STATS: TableStats = {
  services: new Map([
    [
      web,
      c({
        conns: 123_456_789,
        inPkts: 99_999_999,
        outPkts: 100_000_000,
        inBytes: 99_999_999_999,
        outBytes: 100_000_000_000,
        cps: 42,
        inPps: 1_000,
        outPps: 999,
        inBps: 1_000_000_000,
        outBps: 123_456_789_012_345,
      }),
    ],
    [
      "udp/[2001:db8::1]:53",
      c({
        conns: 1,
        inPkts: 2,
        outPkts: 0,
        inBytes: 18_446_744_073_709_551_615n,
        outBytes: 100_000_000_000_000n,
        cps: 0,
        inPps: 7,
        outPps: 7,
        inBps: 980,
        outBps: 1_960,
      }),
    ],
    ["fwm/5", c({ conns: 5_000, inPkts: 60_000, outPkts: 58_000, inBytes: 7_800_000, outBytes: 90_000_000 })],
  ]),
  servers: new Map([
    [
      serverStatsKey(web, "198.18.1.10", 80),
      c({
        conns: 1_000_000_000,
        inPkts: 5,
        outPkts: 6,
        inBytes: 999_999_999,
        outBytes: 7,
        cps: 123_456_789,
        inPps: 12,
        outPps: 13,
        inBps: 100_000_000,
        outBps: 14,
        activeConns: 17,
        inactConns: 230,
      }),
    ],
    [
      serverStatsKey(web, "198.18.1.9", 8080),
      c({ activeConns: 3, inactConns: 1_234_567_890, persistConns: 9 }),
    ],
    [serverStatsKey("fwm/5", "198.18.1.5", 80), c({ conns: 2_500, activeConns: 1 })],
  ]),
};

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** IpvsadmDeps over a real ServiceTable: list() reads it, apply() applies one transaction. */
export function tableClient(
  table: ServiceTable,
  opts: { stdin?: string; stats?: TableStats } = {},
): IpvsadmDeps & { output: Run; applied: TableOp[][] } {
  let revision = 1;
  const output: Run = { code: 0, out: "", err: "" };
  const applied: TableOp[][] = [];
  return {
    output,
    applied,
    list: async () => ({ services: table.list(), revision }),
    apply: async (ops) => {
      applied.push(ops);
      table.apply(ops, ++revision);
      return { revision };
    },
    stdin: async () => opts.stdin ?? "",
    ...(opts.stats ? { stats: async () => opts.stats } : {}),
    out: (text) => {
      output.out += `${text}\n`;
    },
    err: (text) => {
      output.err += `${text}\n`;
    },
  };
}

/** Runs one ipvsadm-mode command line against the table. */
export async function ipvsadm(
  table: ServiceTable,
  args: string | string[],
  opts: { stdin?: string; stats?: TableStats } = {},
): Promise<Run> {
  const client = tableClient(table, opts);
  const argv = typeof args === "string" ? args.split(" ").filter((a) => a !== "") : args;
  client.output.code = await runIpvsadmMode(argv, client);
  return client.output;
}

const TESTDATA = fileURLToPath(new URL(".", import.meta.url));

/** Compares text with testdata/NAME, or rewrites the file when UPDATE_GOLDEN=1. */
export function golden(t: ExecutionContext, name: string, actual: string): void {
  const path = join(TESTDATA, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    writeFileSync(path, actual);
    t.pass(`rewrote ${name}`);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(path, "utf8");
  } catch {
    t.fail(`missing ${path}; run with UPDATE_GOLDEN=1 to create it`);
    return;
  }
  t.is(actual, expected, `${name} differs (UPDATE_GOLDEN=1 rewrites it after a deliberate change)`);
}
