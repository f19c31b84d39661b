// Importing haproxy.cfg: every frontend/listen bind becomes a virtual service whose real servers
// come from its backends (content-switched http services get one pool per backend).

import { canonicalIp, type SchedulerName, type ServerSpec } from "../../state/services/index.ts";
import { finalize } from "./finalize.ts";
import { conditionMatches } from "./haproxy-acl.ts";
import type { HaStatement } from "./haproxy-config.ts";
import { type HaProxy, type HaServer, readHaproxy } from "./haproxy-proxies.ts";
import type { CheckDraft, ImportResult, RuleDraft, ServerDraft, ServiceDraft, Unmapped } from "./result.ts";

export interface HaproxyImportOptions {
  /** The VIP for binds on every address (`bind *:80`, `bind :80`). */
  vip?: string;
}

const SCHEDULERS: Record<string, SchedulerName> = {
  roundrobin: "wrr",
  "static-rr": "wrr",
  leastconn: "wlc",
  source: "sh",
  first: "fo",
  random: "twos",
};
const HASHED = /^(uri|url_param|hdr\(.*\)|rdp-cookie(\(.*\))?)$/;

/** The scheduler for a `balance` statement (none = roundrobin) and a note when approximated. */
export function schedulerOf(balance: HaStatement | undefined): { scheduler: SchedulerName; note?: string } {
  const algo = balance?.words[1] ?? "roundrobin";
  const direct = SCHEDULERS[algo];
  if (direct) return { scheduler: direct };
  const random = /^random\((\d+)\)$/.exec(algo);
  if (random)
    return random[1] === "2"
      ? { scheduler: "twos" }
      : { scheduler: "twos", note: `random(${random[1]}) draws ${random[1]} servers; twos always draws 2` };
  if (HASHED.test(algo))
    return {
      scheduler: "mh",
      note: `balance ${algo}: mapped to mh, which hashes the client address (not the ${algo.replace(/\(.*$/, "")}) consistently`,
    };
  return { scheduler: "wrr", note: `unknown balance algorithm ${algo}: roundrobin (wrr) used` };
}

interface Bind {
  vip: string;
  port: number;
}

/** The services' addresses from one bind statement; the rest is reported. */
function bindAddresses(s: HaStatement, vip: string | undefined, unmapped: Unmapped[]): Bind[] {
  const [, addrs = "", ...opts] = s.words;
  const report = (reason: string, text = s.text) => unmapped.push({ line: s.line, text, reason });
  if (opts.includes("ssl")) {
    report("TLS termination (bind ... ssl) is not supported; no service created for this bind");
    return [];
  }
  if (opts.length > 0) report("bind options are not supported; ignored", opts.join(" "));
  const out: Bind[] = [];
  for (const raw of addrs.split(",")) {
    const a = raw.replace(/^(ipv4|ipv6|tcp|tcp4|tcp6)@/, "");
    const m = /^(\[[^\]]*\]|[^[\]]*):(\d+(?:-\d+)?)$/.exec(a);
    if (!m) {
      report(`cannot listen on ${JSON.stringify(raw)}: raftvs services need IP:port`, raw);
      continue;
    }
    const host = m[1]!.replace(/^\[|\]$/g, "");
    if (m[2]!.includes("-")) {
      report("port ranges are not supported; one service per port", raw);
      continue;
    }
    const wildcard = ["", "*", "0.0.0.0", "::"].includes(host);
    if (wildcard && !vip) {
      report(`listens on every address; raftvs services need a VIP: give --vip IP`, raw);
      continue;
    }
    const ip = canonicalIp(wildcard ? vip! : host);
    if (!ip) {
      report(`${JSON.stringify(host)} is not an IP address`, raw);
      continue;
    }
    out.push({ vip: ip.ip, port: Number(m[2]) });
  }
  return out;
}

function serverDraft(p: HaProxy, s: HaServer, pool: string): ServerDraft {
  const spec: ServerSpec = { address: s.address };
  if (s.port !== undefined) spec.port = s.port;
  const weight = s.params.backup || s.params.disabled ? 0 : s.params.weight;
  if (weight !== undefined && weight !== 1) spec.weight = weight;
  if (s.params.maxConn) spec.maxConn = s.params.maxConn;
  if (pool) spec.pool = pool;
  const checks: CheckDraft[] = [];
  if (s.params.check) {
    const c: CheckDraft = {
      line: s.line,
      kind: p.httpchk ? (s.params.checkSsl ? "https" : "http") : "tcp",
      intervalMs: s.params.interMs ?? 2000,
      rise: s.params.rise ?? 2,
      fall: s.params.fall ?? 3,
    };
    if (p.timeoutCheckMs !== undefined) c.timeoutMs = p.timeoutCheckMs;
    if (s.params.checkPort !== undefined) c.port = s.params.checkPort;
    if (p.httpchk) Object.assign(c, p.httpchk);
    if (p.httpchk && p.expectStatus) c.expectStatus = [...p.expectStatus];
    checks.push(c);
  }
  return { line: s.line, text: s.text, spec, checks };
}

/** A backend's name as a pool name ([A-Za-z0-9._-], up to 64 characters). */
const poolName = (backend: string) => backend.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64);

/** The pools of a frontend/listen: its default pool and content rules, with their servers. */
function pools(
  p: HaProxy,
  byName: Map<string, HaProxy>,
  http: boolean,
  used: Set<HaProxy>,
  unmapped: Unmapped[],
) {
  const servers: ServerDraft[] = [];
  const rules: RuleDraft[] = [];
  const members: HaProxy[] = [];
  const add = (b: HaProxy, pool: string) => {
    if (!members.includes(b)) {
      members.push(b);
      used.add(b);
      servers.push(...b.servers.map((s) => serverDraft(b, s, pool)));
    }
  };
  const def = p.defaultBackend ? byName.get(p.defaultBackend.words[1]!) : undefined;
  if (p.defaultBackend && !def)
    unmapped.push({ line: p.defaultBackend.line, text: p.defaultBackend.text, reason: "no such backend" });
  if (p.kind === "listen" && p.servers.length > 0) add(p, "");
  else if (def) add(def, "");
  for (const s of p.useBackends) {
    const report = (reason: string) => unmapped.push({ line: s.line, text: s.text, reason });
    const [, name = "", how, ...cond] = s.words;
    const target = byName.get(name);
    if (!target || target.kind === "frontend") report(`no backend ${JSON.stringify(name)}`);
    else if (!http) report("content switching needs mode http; only the default backend is used");
    else if (how !== "if")
      report(
        how === "unless"
          ? "negated conditions (unless) cannot be content rules"
          : "use_backend without a condition is not supported",
      );
    else {
      const found = conditionMatches(cond, p.acls);
      if ("error" in found) report(found.error);
      else {
        const pool = target === def || target === p ? "" : poolName(target.name);
        add(target, pool);
        for (const note of found.notes) report(note);
        for (const match of found.matches)
          rules.push({ line: s.line, text: s.text, rule: { ...match, pool } });
      }
    }
  }
  const aclsUsed = new Set(p.useBackends.flatMap((s) => s.words));
  for (const a of p.aclLines)
    if (!aclsUsed.has(a.words[1]!))
      unmapped.push({ line: a.line, text: a.text, reason: "ACL used by no use_backend rule; ignored" });
  return { servers, rules, members };
}

/** Reports the balance of pools whose algorithm the service (one scheduler) cannot follow. */
function schedulerFor(members: HaProxy[], unmapped: Unmapped[]): SchedulerName {
  const chosen = schedulerOf(members[0]?.balance);
  const first = members[0]?.balance;
  if (first && chosen.note) unmapped.push({ line: first.line, text: first.text, reason: chosen.note });
  for (const b of members.slice(1)) {
    const other = schedulerOf(b.balance);
    if (other.scheduler !== chosen.scheduler) {
      const at = b.balance ?? b;
      unmapped.push({
        line: at.line,
        text: at.text,
        reason: `backend ${b.name} balances with ${other.scheduler}, but a service has one scheduler: ${chosen.scheduler} (from ${members[0]!.name})`,
      });
    }
  }
  return chosen.scheduler;
}

/** Imports an haproxy.cfg text. */
export function importHaproxy(text: string, opts: HaproxyImportOptions = {}): ImportResult {
  const { proxies, unmapped } = readHaproxy(text);
  const byName = new Map(proxies.map((p) => [p.name, p]));
  const used = new Set<HaProxy>();
  const drafts: ServiceDraft[] = [];
  for (const p of proxies) {
    if (p.kind === "backend") continue;
    const binds = p.binds.flatMap((b) => bindAddresses(b, opts.vip, unmapped).map((a) => ({ ...a, s: b })));
    const http = p.mode === "http";
    const reached = new Set<HaProxy>();
    const { servers, rules, members } = pools(p, byName, http, reached, unmapped);
    if (binds.length > 0) for (const b of reached) used.add(b);
    if (members.length === 0 || servers.length === 0) {
      unmapped.push({
        line: p.line,
        text: p.text,
        reason: `${p.kind} ${p.name} has no servers to balance; not imported`,
      });
      continue;
    }
    const scheduler = schedulerFor(members, unmapped);
    for (const b of binds)
      drafts.push({
        line: b.s.line,
        text: b.s.text,
        spec: {
          protocol: "tcp",
          vip: b.vip,
          port: b.port,
          scheduler,
          mode: http ? "http" : "l4",
          ...(p.maxConn ? { maxConn: p.maxConn } : {}),
        },
        servers,
        rules,
      });
  }
  for (const p of proxies)
    if (p.kind === "backend" && !used.has(p))
      unmapped.push({
        line: p.line,
        text: p.text,
        reason: `backend ${p.name} is used by no imported frontend`,
      });
  return finalize(drafts, unmapped);
}
