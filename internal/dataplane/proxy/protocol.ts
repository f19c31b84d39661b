// The main ↔ proxy-worker messages and the relay options, with the validators each side runs on
// what it receives (structured clone carries any shape; nothing is trusted unchecked).

import { SCHED_FLAGS, SCHEDULERS, type VirtualService } from "../../state/services/model.ts";
import type { DataplaneStats } from "../dataplane.ts";

export interface RelayOptions {
  /** Per attempt to reach a real server (default 3 s). */
  connectTimeoutMs: number;
  /** No traffic either way for this long closes both sides (default 60 s). */
  idleTimeoutMs: number;
  /** Further real servers tried after a failed connect (redispatch; default 2). */
  retries: number;
  /** How long a closed connection counts as inactive (default 60 s). */
  inactiveWindowMs: number;
  /** close(): how long open connections may drain before they are cut (default 2 s). */
  closeGraceMs: number;
  /** Seed for randomised schedulers. */
  seed: number;
}

export const RELAY_DEFAULTS: RelayOptions = {
  connectTimeoutMs: 3000,
  idleTimeoutMs: 60_000,
  retries: 2,
  inactiveWindowMs: 60_000,
  closeGraceMs: 2000,
  seed: 1,
};

export type Request =
  | { type: "reconcile"; id: number; services: VirtualService[] }
  | { type: "stats"; id: number }
  | { type: "close"; id: number };

export type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isPort = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;

export function parseOptions(v: unknown): RelayOptions {
  if (!isObj(v)) throw new TypeError("relay options: not an object");
  const out = { ...RELAY_DEFAULTS };
  for (const k of Object.keys(RELAY_DEFAULTS) as (keyof RelayOptions)[]) {
    const x = v[k];
    if (x === undefined) continue;
    if (!isCount(x)) throw new TypeError(`relay options: ${k} must be a non-negative integer`);
    out[k] = x;
  }
  return out;
}

function checkService(v: unknown, i: number): VirtualService {
  const at = `services[${i}]`;
  if (!isObj(v) || typeof v.key !== "string") throw new TypeError(`${at}: no key`);
  if (!(SCHEDULERS as readonly unknown[]).includes(v.scheduler)) throw new TypeError(`${at}: bad scheduler`);
  const flags = v.schedFlags;
  if (!Array.isArray(flags) || !flags.every((f) => (SCHED_FLAGS as readonly unknown[]).includes(f)))
    throw new TypeError(`${at}: bad schedFlags`);
  if (!isCount(v.maxConn)) throw new TypeError(`${at}: bad maxConn`);
  if (v.vip !== undefined && typeof v.vip !== "string") throw new TypeError(`${at}: bad vip`);
  if (v.port !== undefined && !isPort(v.port)) throw new TypeError(`${at}: bad port`);
  if (!Array.isArray(v.realServers)) throw new TypeError(`${at}: no realServers`);
  v.realServers.forEach((rs: unknown, j) => {
    const ok =
      isObj(rs) &&
      typeof rs.address === "string" &&
      isPort(rs.port) &&
      isCount(rs.weight) &&
      typeof rs.forward === "string" &&
      isCount(rs.upperThreshold) &&
      isCount(rs.lowerThreshold) &&
      isCount(rs.maxConn);
    if (!ok) throw new TypeError(`${at}.realServers[${j}]: malformed`);
  });
  return v as unknown as VirtualService;
}

export function parseRequest(v: unknown): Request {
  if (!isObj(v) || !isCount(v.id)) throw new TypeError("request: no id");
  const id = v.id;
  switch (v.type) {
    case "reconcile":
      if (!Array.isArray(v.services)) throw new TypeError("reconcile: services must be an array");
      return { type: "reconcile", id, services: v.services.map(checkService) };
    case "stats":
    case "close":
      return { type: v.type, id };
    default:
      throw new TypeError(`request: unknown type ${String(v.type)}`);
  }
}

export function parseReply(v: unknown): Reply {
  if (!isObj(v) || !isCount(v.id) || typeof v.ok !== "boolean") throw new TypeError("reply: malformed");
  if (v.ok) return { id: v.id, ok: true, value: v.value };
  return { id: v.id, ok: false, error: typeof v.error === "string" ? v.error : "unknown error" };
}

export function parseStats(v: unknown): DataplaneStats {
  if (!isObj(v) || !Array.isArray(v.services)) throw new TypeError("stats: malformed");
  for (const s of v.services) {
    if (!isObj(s) || typeof s.key !== "string" || !isCount(s.totalConns) || !Array.isArray(s.realServers))
      throw new TypeError("stats: malformed service entry");
  }
  return v as unknown as DataplaneStats;
}
