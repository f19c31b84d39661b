// Importing keepalived.conf: virtual_server blocks (address or fwmark) become L4 virtual services
// with their real servers; VRRP and everything else without an equivalent is reported.

import type { ForwardMethod, SchedFlag, ServerSpec, ServiceSpec } from "../../state/services/index.ts";
import { canonicalIp, SCHEDULERS } from "../../state/services/index.ts";
import { finalize } from "./finalize.ts";
import { CHECK_REASON, checkDefault, checkerChecks, isChecker } from "./keepalived-checks.ts";
import { type KaNode, parseKeepalivedConfig } from "./keepalived-config.ts";
import type { CheckDraft, ImportResult, ServerDraft, ServiceDraft, Unmapped } from "./result.ts";
import { count } from "./units.ts";

const METHODS: Record<string, ForwardMethod> = { NAT: "nat", DR: "dr", TUN: "tun" };
const FLAGS = ["sh-port", "sh-fallback", "mh-port", "mh-fallback", "flag-1", "flag-2", "flag-3"];

const TOP_REASONS: Record<string, string> = {
  global_defs: "global settings (router_id, notification e-mail, ...) have no raftvs equivalent",
  vrrp_sync_group: "VRRP is replaced by Raft leadership: every VIP moves with the leader",
  vrrp_script: "VRRP track scripts are not supported: failover follows Raft leadership",
  vrrp_track_file: "VRRP track files are not supported: failover follows Raft leadership",
  virtual_server_group: "virtual server groups are not supported; write one virtual_server per address",
  include: "include is not followed; import each file on its own",
  static_ipaddress: "static addresses are the host's configuration, not raftvs'",
  static_routes: "static routes are the host's configuration, not raftvs'",
  static_rules: "static rules are the host's configuration, not raftvs'",
};

const VS_REASONS: Record<string, string> = {
  sorry_server: "sorry servers exist only for http services in raftvs, and this service is L4",
  sorry_server_inhibit: "sorry servers exist only for http services in raftvs",
  sorry_server_lvs_method: "sorry servers exist only for http services in raftvs",
  quorum: "raftvs has no service quorum (up/down by the number of healthy servers)",
  quorum_up: "raftvs has no service quorum, so no quorum scripts",
  quorum_down: "raftvs has no service quorum, so no quorum scripts",
  hysteresis: "raftvs has no service quorum, so no quorum hysteresis",
  alpha: "alpha (servers start down until checked): health checks are not in the table yet",
  omega: "omega (run quorum_down on shutdown) is not supported",
  ha_suspend: "ha_suspend is not needed: every raftvs node checks and the leader decides",
  ops: "one-packet scheduling (ops) is not supported",
  persistence_engine: "persistence engines (e.g. SIP) are not supported",
  nat_mask: "nat_mask (keepalived 1.x) is not needed: raftvs does not program the director's routes",
  smtp_alert: "e-mail alerts are not supported",
  notify_up: "notification scripts are not supported",
  notify_down: "notification scripts are not supported",
  inhibit_on_failure:
    "inhibit_on_failure (weight 0 instead of removal on a failed check): health checks are not in the table yet",
};

/** A count, or the text itself so that validation names what was written. */
function numberOr(raw: string | undefined): number {
  return count(raw) ?? (raw as unknown as number);
}

/** Check settings given around a checker apply where the checker sets none of its own. */
function inherit(check: CheckDraft, defaults: Partial<CheckDraft>): void {
  const c = check as Record<string, unknown>;
  for (const [k, v] of Object.entries(defaults)) if (c[k] === undefined) c[k] = v;
}

/** The spec with its keys in the order the YAML shows them. */
function ordered(spec: ServiceDraft["spec"]): ServiceDraft["spec"] {
  const order = [
    "protocol",
    "vip",
    "port",
    "fwmark",
    "family",
    "scheduler",
    "schedFlags",
    "persistence",
    "forward",
  ];
  const out: Record<string, unknown> = {};
  for (const k of order)
    if (spec[k as keyof typeof spec] !== undefined) out[k] = spec[k as keyof typeof spec];
  return out as ServiceDraft["spec"];
}

class KeepalivedImport {
  readonly unmapped: Unmapped[] = [];
  readonly drafts: ServiceDraft[] = [];

  report(n: KaNode, reason: string): void {
    this.unmapped.push({ line: n.line, text: n.text, reason });
  }

  top(n: KaNode): void {
    if (n.keyword === "virtual_server") this.virtualServer(n);
    else if (n.keyword === "vrrp_instance") {
      const vips = (n.children ?? [])
        .filter((c) => c.keyword === "virtual_ipaddress")
        .flatMap((c) => (c.children ?? []).map((a) => a.keyword));
      const which = vips.length ? ` (this instance's addresses: ${vips.join(", ")})` : "";
      this.report(n, `VRRP is replaced by Raft leadership: the leader holds the services' VIPs${which}`);
    } else this.report(n, TOP_REASONS[n.keyword] ?? "no raftvs equivalent; ignored");
  }

  virtualServer(n: KaNode): void {
    const spec: ServiceDraft["spec"] = { forward: "nat" };
    const [a, b] = n.args;
    if (a === "fwmark") spec.fwmark = numberOr(b);
    else if (a !== "group" && a !== undefined && b !== undefined && n.args.length === 2) {
      spec.vip = a;
      spec.port = numberOr(b);
    } else {
      this.report(
        n,
        a === "group"
          ? "virtual server groups are not supported; write one virtual_server per address"
          : "expected virtual_server IP PORT, virtual_server fwmark N or virtual_server group NAME",
      );
      return;
    }
    const checkDefaults: Partial<CheckDraft> = {};
    const servers: ServerDraft[] = [];
    let granularity: KaNode | undefined;
    let family: 4 | 6 | undefined;
    for (const c of n.children ?? []) {
      const v = c.args[0] ?? "";
      switch (c.keyword) {
        case "lb_algo":
        case "lvs_sched":
          if ((SCHEDULERS as readonly string[]).includes(v)) spec.scheduler = v as ServiceSpec["scheduler"];
          else this.report(c, `unknown scheduler ${JSON.stringify(v)}; wlc used`);
          break;
        case "lb_kind":
        case "lvs_method":
          if (METHODS[v.toUpperCase()]) spec.forward = METHODS[v.toUpperCase()];
          else this.report(c, `unknown forwarding method ${JSON.stringify(v)}; NAT used`);
          break;
        case "protocol":
          if (["TCP", "UDP", "SCTP"].includes(v.toUpperCase()))
            spec.protocol = v.toLowerCase() as ServiceSpec["protocol"];
          else this.report(c, `unknown protocol ${JSON.stringify(v)}; TCP used`);
          break;
        case "persistence_timeout":
          if (count(v) === undefined)
            this.report(c, "persistence_timeout needs a number of seconds; ignored");
          else if (count(v)! > 0) spec.persistence = { ...spec.persistence, timeoutSec: count(v)! };
          break;
        case "persistence_granularity":
          granularity = c;
          break;
        case "ip_family":
          family = v === "inet6" ? 6 : 4;
          break;
        case "real_server":
          servers.push(this.realServer(c));
          break;
        default:
          if (FLAGS.includes(c.keyword))
            spec.schedFlags = [...(spec.schedFlags ?? []), c.keyword as SchedFlag];
          else if (checkDefault(c, checkDefaults)) this.report(c, CHECK_REASON);
          else this.report(c, VS_REASONS[c.keyword] ?? "no raftvs equivalent; ignored");
      }
    }
    if (granularity) {
      const g = granularity.args[0] ?? "";
      if (!spec.persistence)
        this.report(granularity, "persistence_granularity without persistence_timeout; ignored");
      else
        spec.persistence = /^\d+$/.test(g)
          ? { ...spec.persistence, prefixLen: Number(g) }
          : { ...spec.persistence, netmask: g };
    }
    if (spec.fwmark !== undefined) {
      const v6 = servers.length > 0 && servers.every((s) => canonicalIp(s.spec.address)?.family === 6);
      if ((family ?? (v6 ? 6 : 4)) === 6) spec.family = 6;
    }
    for (const s of servers) for (const c of s.checks) inherit(c, checkDefaults);
    this.drafts.push({ line: n.line, text: n.text, spec: ordered(spec), servers, rules: [] });
  }

  realServer(n: KaNode): ServerDraft {
    const spec: ServerSpec = { address: n.args[0] ?? "", port: numberOr(n.args[1]) };
    const checks: CheckDraft[] = [];
    const own: Partial<CheckDraft> = {};
    for (const c of n.children ?? []) {
      const v = c.args[0] ?? "";
      if (c.keyword === "weight") spec.weight = numberOr(v);
      else if (c.keyword === "uthreshold") spec.upperThreshold = numberOr(v);
      else if (c.keyword === "lthreshold") spec.lowerThreshold = numberOr(v);
      else if ((c.keyword === "lvs_method" || c.keyword === "lb_kind") && METHODS[v.toUpperCase()])
        spec.forward = METHODS[v.toUpperCase()];
      else if (isChecker(c.keyword)) checks.push(...checkerChecks(c, this.unmapped));
      else if (checkDefault(c, own)) this.report(c, CHECK_REASON);
      else this.report(c, VS_REASONS[c.keyword] ?? "no raftvs equivalent; ignored");
    }
    for (const c of checks) inherit(c, own);
    return { line: n.line, text: n.text, spec, checks };
  }
}

/** Imports a keepalived.conf text. */
export function importKeepalived(text: string): ImportResult {
  const { nodes, problems } = parseKeepalivedConfig(text);
  const imp = new KeepalivedImport();
  imp.unmapped.push(...problems);
  for (const n of nodes) imp.top(n);
  return finalize(imp.drafts, imp.unmapped);
}
