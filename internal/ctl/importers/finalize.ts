// Validating drafted services with the table's own rules: a bad server, rule or service becomes
// an unmapped entry with the reason (never an exception), and checks get canonical addresses.

import {
  type ContentRule,
  hostPort,
  type RealServer,
  type ServiceSpec,
  serviceOf,
  TableError,
  type VirtualService,
} from "../../state/services/index.ts";
import { httpOf, realServerOf } from "../../state/services/specs.ts";
import type { ImportedCheck, ImportResult, ServiceDraft, Unmapped } from "./result.ts";

/** TableError's message without the synthetic field path the validation was called with. */
function reasonOf(err: unknown, prefix: string): string {
  if (err instanceof TableError) {
    const field = err.field.startsWith(prefix)
      ? err.field.slice(prefix.length).replace(/^\./, "")
      : err.field;
    const detail = err.message.slice(err.field.length + 2);
    return field ? `${field} ${detail}` : detail;
  }
  return (err as Error).message;
}

function validServers(d: ServiceDraft, svc: VirtualService, unmapped: Unmapped[]) {
  const kept: Array<{ draft: ServiceDraft["servers"][number]; rs: RealServer }> = [];
  const seen = new Map<string, number>();
  for (const s of d.servers) {
    let rs: RealServer;
    try {
      rs = realServerOf(s.spec, "server", svc);
    } catch (err) {
      unmapped.push({
        line: s.line,
        text: s.text,
        reason: `real server not imported: ${reasonOf(err, "server")}`,
      });
      continue;
    }
    const hp = hostPort(rs.address, rs.port);
    const first = seen.get(hp);
    if (first !== undefined) {
      unmapped.push({
        line: s.line,
        text: s.text,
        reason: `real server ${hp} is already in ${svc.key} (line ${first}); a server can be in one pool only`,
      });
      continue;
    }
    seen.set(hp, s.line);
    kept.push({ draft: s, rs });
  }
  return kept;
}

function validRules(d: ServiceDraft, svc: VirtualService, unmapped: Unmapped[]): ContentRule[] {
  const rules: ContentRule[] = [];
  for (const r of d.rules) {
    if (!svc.realServers.some((rs) => rs.pool === r.rule.pool)) {
      unmapped.push({
        line: r.line,
        text: r.text,
        reason: `rule not imported: no real server was imported into pool ${JSON.stringify(r.rule.pool)}`,
      });
      continue;
    }
    try {
      rules.push(httpOf({ rules: [r.rule] }, "rule", svc).rules[0]!);
    } catch (err) {
      unmapped.push({
        line: r.line,
        text: r.text,
        reason: `rule not imported: ${reasonOf(err, "rule.rules[0]")}`,
      });
    }
  }
  return rules;
}

/** Validates every draft; the result's unmapped list is `unmapped` plus the refusals, by line. */
export function finalize(drafts: ServiceDraft[], unmapped: Unmapped[]): ImportResult {
  const services: ServiceSpec[] = [];
  const checks: ImportedCheck[] = [];
  const keys = new Map<string, number>();
  for (const d of drafts) {
    let svc: VirtualService;
    try {
      svc = serviceOf({ ...d.spec, http: null }, "service");
    } catch (err) {
      unmapped.push({
        line: d.line,
        text: d.text,
        reason: `service not imported: ${reasonOf(err, "service")}`,
      });
      continue;
    }
    const first = keys.get(svc.key);
    if (first !== undefined) {
      unmapped.push({
        line: d.line,
        text: d.text,
        reason: `service ${svc.key} is already defined (line ${first})`,
      });
      continue;
    }
    const problems: Unmapped[] = [];
    const kept = validServers(d, svc, problems);
    if (d.servers.length > 0 && kept.length === 0) {
      const first = problems[0]!.reason.replace(/^real server not imported: /, "");
      unmapped.push({
        line: d.line,
        text: d.text,
        reason: `service ${svc.key} not imported: none of its real servers could be (line ${problems[0]!.line}: ${first})`,
      });
      continue;
    }
    unmapped.push(...problems);
    const withServers: VirtualService = { ...svc, realServers: kept.map((k) => k.rs) };
    const spec: ServiceSpec = { ...d.spec, realServers: kept.map((k) => k.draft.spec) };
    if (d.spec.mode === "http") {
      const rules = validRules(d, withServers, unmapped);
      if (rules.length > 0) spec.http = { rules };
    }
    try {
      serviceOf(spec, "service");
    } catch (err) {
      unmapped.push({
        line: d.line,
        text: d.text,
        reason: `service not imported: ${reasonOf(err, "service")}`,
      });
      continue;
    }
    keys.set(svc.key, d.line);
    services.push(spec);
    for (const { draft, rs } of kept)
      for (const c of draft.checks)
        checks.push({ service: svc.key, server: hostPort(rs.address, rs.port), ...c });
  }
  const seen = new Set<string>();
  const unique = unmapped.filter((u) => {
    const k = JSON.stringify([u.line, u.text, u.reason]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort((a, b) => a.line - b.line);
  return { services, unmapped: unique, checks };
}
