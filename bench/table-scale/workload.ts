// The table-scale workload, generated deterministically: N virtual services on VIPs from
// 198.18.0.0/15 with S real servers each from 10.0.0.0/8, cut into transactions, then single
// real-server weight changes spread over the table.

import type { opToChange } from "../../internal/ctl/table-client.ts";
import type { services } from "../../internal/state/index.ts";

/** A table change as Services.Apply takes it (before conversion to protobuf). */
export type TableOp = Parameters<typeof opToChange>[0];

/** Service ports cycled through, so keys differ in port as well as in address. */
const PORTS = [80, 443, 8080, 8443, 25, 3306, 6379, 5432] as const;
/** Schedulers cycled through (all take weights and no flags). */
const SCHEDULERS = ["wrr", "wlc", "rr", "lc", "sed", "nq"] as const;

/** Addresses usable in 198.18.0.0/15 (network and broadcast addresses left out). */
export const MAX_SERVICES = 2 ** 17 - 2;
/** Real-server addresses usable in 10.0.0.0/8. */
export const MAX_REAL_SERVERS = 2 ** 24 - 2;

function ipv4(base: number, offset: number): string {
  const n = base + offset;
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const NET_198_18 = (198 << 24) | (18 << 16);
const NET_10 = 10 << 24;

/** The VIP of service `i` (0-based): 198.18.0.1, 198.18.0.2, ... 198.19.255.254. */
export function vipOf(i: number): string {
  return ipv4(NET_198_18 >>> 0, i + 1);
}

export function portOf(i: number): number {
  return PORTS[i % PORTS.length]!;
}

/** The table's key of service `i`. */
export function keyOf(i: number): string {
  return `tcp/${vipOf(i)}:${portOf(i)}`;
}

/** Real server `j` of service `i`: a distinct address in 10.0.0.0/8, port 8080. */
export function realServerOf(i: number, j: number, perService: number): services.ServerSpec {
  return { address: ipv4(NET_10, i * perService + j + 1), port: 8080, weight: 1 + ((i * 7 + j * 13) % 100) };
}

export function serviceAt(i: number, perService: number): services.ServiceSpec {
  return {
    protocol: "tcp",
    vip: vipOf(i),
    port: portOf(i),
    scheduler: SCHEDULERS[i % SCHEDULERS.length]!,
    realServers: Array.from({ length: perService }, (_, j) => realServerOf(i, j, perService)),
  };
}

/** The `service.add` ops of services [from, to). */
export function addOps(from: number, to: number, perService: number): TableOp[] {
  const ops: TableOp[] = [];
  for (let i = from; i < to; i++) ops.push({ op: "service.add", service: serviceAt(i, perService) });
  return ops;
}

/** Transaction boundaries: [from, to) ranges of at most `txnSize` services covering [0, total). */
export function batches(total: number, txnSize: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let from = 0; from < total; from += txnSize) out.push([from, Math.min(total, from + txnSize)]);
  return out;
}

/**
 * Change `n` (0-based) of the second phase: one real server's weight set to 101 + n, a value no
 * earlier phase used, so every change really changes the table. The server is picked by a fixed
 * multiplicative hash, so changes are spread over the table without a random seed.
 */
export function weightChange(n: number, total: number, perService: number): TableOp {
  const h = Math.imul(n + 1, 0x9e3779b1) >>> 0;
  const i = h % total;
  const j = (h >>> 8) % perService;
  const rs = realServerOf(i, j, perService);
  return {
    op: "server.edit",
    service: keyOf(i),
    server: { address: rs.address, port: rs.port!, weight: 101 + n },
  };
}
