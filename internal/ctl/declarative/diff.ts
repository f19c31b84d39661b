// The difference between the current table and a desired one: the fewest table ops that turn one
// into the other, and a human-readable diff (+ added, - deleted, ~ changed) line per change.

import {
  type ContentRule,
  hostPort,
  type RealServer,
  type ServerSpec,
  type ServiceSpec,
  serviceOf,
  type VirtualService,
} from "../../state/services/index.ts";
import type { TableOp } from "./ops.ts";

const SERVICE_FIELDS = [
  "scheduler",
  "schedFlags",
  "persistence",
  "forward",
  "mode",
  "maxConn",
  "http",
] as const;
const SERVER_FIELDS = ["weight", "forward", "upperThreshold", "lowerThreshold", "maxConn", "pool"] as const;

/** JSON with sorted keys, so equal values compare equal whatever order their keys came in. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** A service in canonical form; a current row the rules would refuse is compared as it is. */
function canonical(svc: ServiceSpec | VirtualService, field: string, trusted: boolean): VirtualService {
  if (!trusted) return serviceOf(svc, field);
  try {
    return serviceOf(svc, field);
  } catch {
    return svc as VirtualService;
  }
}

function ruleText(r: ContentRule): string {
  const parts: string[] = [];
  if (r.host !== undefined) parts.push(`host ${r.host}`);
  if (r.pathPrefix !== undefined) parts.push(`path ${r.pathPrefix}*`);
  if (r.pathRegex !== undefined) parts.push(`path ~ ${r.pathRegex}`);
  if (r.header)
    parts.push(
      `header ${r.header.name}${r.header.value !== undefined ? ` = ${r.header.value}` : ""}${r.header.regex !== undefined ? ` ~ ${r.header.regex}` : ""}`,
    );
  return `${parts.join(" & ")} => ${r.pool || "(default)"}`;
}

/** A field's value as the diff prints it. */
function show(field: string, v: unknown): string {
  if (v === undefined || v === null) return "none";
  if (field === "pool") return v === "" ? "(default)" : String(v);
  if (field === "schedFlags") return (v as string[]).length ? (v as string[]).join(",") : "none";
  if (field === "persistence") {
    const p = v as NonNullable<VirtualService["persistence"]>;
    return `${p.timeoutSec}s${p.netmask ? ` netmask ${p.netmask}` : ""}${p.prefixLen ? ` /${p.prefixLen}` : ""}`;
  }
  if (field === "http") {
    const h = v as NonNullable<VirtualService["http"]>;
    const rules = h.rules.length ? h.rules.map(ruleText).join("; ") : "no rules";
    return `[${rules}${h.sorryServer ? `; sorry ${h.sorryServer}` : ""}]`;
  }
  return String(v);
}

function changes<T extends object>(a: T, b: T, fields: readonly (keyof T & string)[]): string[] {
  return fields
    .filter((f) => stable(a[f]) !== stable(b[f]))
    .map((f) => `${f} ${show(f, a[f])} -> ${show(f, b[f])}`);
}

function serverDetail(rs: RealServer, svc: VirtualService): string {
  const d = [`weight ${rs.weight}`];
  if (rs.forward !== svc.forward) d.push(`forward ${rs.forward}`);
  if (rs.pool !== "") d.push(`pool ${rs.pool}`);
  if (rs.maxConn) d.push(`maxConn ${rs.maxConn}`);
  if (rs.upperThreshold || rs.lowerThreshold) d.push(`thresholds ${rs.upperThreshold}/${rs.lowerThreshold}`);
  return d.join(", ");
}

function serviceDetail(svc: VirtualService): string {
  const d: string[] = [svc.scheduler, svc.forward];
  if (svc.mode !== "l4") d.push(svc.mode);
  if (svc.persistence) d.push(`persistence ${show("persistence", svc.persistence)}`);
  d.push(`${svc.realServers.length} real server${svc.realServers.length === 1 ? "" : "s"}`);
  return d.join(", ");
}

/** The identity fields of a service, as an edit op addresses it. */
function identity(svc: VirtualService): ServiceSpec {
  return svc.fwmark !== undefined
    ? { fwmark: svc.fwmark, family: svc.family }
    : { protocol: svc.protocol!, vip: svc.vip!, port: svc.port! };
}

function specOf(svc: VirtualService): ServiceSpec {
  const { key: _key, family, ...rest } = svc;
  return svc.fwmark !== undefined ? { ...rest, family } : rest;
}

const serverKey = (rs: RealServer) => hostPort(rs.address, rs.port);

/** Ops and diff lines for one service present on both sides. */
function diffService(cur: VirtualService, want: VirtualService, ops: TableOp[], lines: string[]): void {
  const key = cur.key;
  const svcChanges = changes(cur, want, SERVICE_FIELDS);
  if (svcChanges.length) lines.push(`~ service ${key} ${svcChanges.join(", ")}`);
  const before = new Map(cur.realServers.map((rs) => [serverKey(rs), rs]));
  const after = new Map(want.realServers.map((rs) => [serverKey(rs), rs]));
  const serverOps: TableOp[] = [];
  const all = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => {
    const x = (before.get(a) ?? after.get(a))!;
    const y = (before.get(b) ?? after.get(b))!;
    return x.address < y.address ? -1 : x.address > y.address ? 1 : x.port - y.port;
  });
  for (const hp of all) {
    const a = before.get(hp);
    const b = after.get(hp);
    if (a && !b) {
      ops.push({ op: "server.delete", service: key, address: a.address, port: a.port });
      lines.push(`- server ${key} ${hp}`);
    } else if (!a && b) {
      serverOps.push({ op: "server.add", service: key, server: { ...b } });
      lines.push(`+ server ${key} ${hp} (${serverDetail(b, want)})`);
    } else if (a && b) {
      const diff = SERVER_FIELDS.filter((f) => a[f] !== b[f]);
      if (diff.length === 0) continue;
      const server: ServerSpec = { address: b.address, port: b.port };
      for (const f of diff) (server as unknown as Record<string, unknown>)[f] = b[f];
      serverOps.push({ op: "server.edit", service: key, server });
      lines.push(
        `~ server ${key} ${hp} ${diff.map((f) => `${f} ${show(f, a[f])} -> ${show(f, b[f])}`).join(", ")}`,
      );
    }
  }
  // Deletes first, then adds and edits, then the service edit: new content rules are checked
  // against the pools the servers are in by then.
  ops.push(...serverOps);
  if (svcChanges.length) {
    const service: Record<string, unknown> = { ...identity(want) };
    for (const f of SERVICE_FIELDS)
      if (stable(cur[f]) !== stable(want[f])) service[f] = want[f] === undefined ? null : want[f];
    ops.push({ op: "service.edit", service: service as ServiceSpec });
  }
}

/**
 * The ops turning `current` into `desired` (both canonicalized with `serviceOf`, so specs and rows
 * compare alike; throws TableError for an invalid desired service) and a diff line per change.
 */
export function diffTable(
  current: readonly (VirtualService | ServiceSpec)[],
  desired: readonly (VirtualService | ServiceSpec)[],
): { ops: TableOp[]; lines: string[] } {
  const cur = new Map(current.map((s, i) => canonical(s, `current[${i}]`, true)).map((s) => [s.key, s]));
  const want = new Map(desired.map((s, i) => canonical(s, `desired[${i}]`, false)).map((s) => [s.key, s]));
  const ops: TableOp[] = [];
  const lines: string[] = [];
  for (const key of [...new Set([...cur.keys(), ...want.keys()])].sort()) {
    const a = cur.get(key);
    const b = want.get(key);
    if (a && !b) {
      ops.push({ op: "service.delete", key });
      lines.push(`- service ${key} (${serviceDetail(a)})`);
    } else if (!a && b) {
      ops.push({ op: "service.add", service: specOf(b) });
      lines.push(`+ service ${key} (${serviceDetail(b)})`);
      for (const rs of b.realServers) lines.push(`+ server ${key} ${serverKey(rs)} (${serverDetail(rs, b)})`);
    } else if (a && b) diffService(a, b, ops, lines);
  }
  return { ops, lines };
}

/** "3 changes: 1 added, 1 changed, 1 deleted" over the diff lines. */
export function summarizeDiff(lines: readonly string[]): string {
  const count = (c: string) => lines.filter((l) => l.startsWith(c)).length;
  return `${lines.length} change${lines.length === 1 ? "" : "s"}: ${count("+")} added, ${count("~")} changed, ${count("-")} deleted`;
}
