// keepalived real-server checkers (TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK, PING_CHECK) as
// imported health checks, with the keys they cannot carry reported.

import type { KaNode } from "./keepalived-config.ts";
import type { CheckDraft, CheckKind, Unmapped } from "./result.ts";
import { count, secondsMs } from "./units.ts";

export const CHECK_REASON = "health checks are not in the table yet; kept in the import's checks";

const KINDS: Record<string, CheckKind> = {
  TCP_CHECK: "tcp",
  HTTP_GET: "http",
  SSL_GET: "https",
  MISC_CHECK: "script",
  PING_CHECK: "icmp",
  ICMP_CHECK: "icmp",
};
export const UNSUPPORTED_CHECKS = ["SMTP_CHECK", "DNS_CHECK", "BFD_CHECK", "FILE_CHECK", "UDP_CHECK"];

export function isChecker(keyword: string): boolean {
  return keyword in KINDS || UNSUPPORTED_CHECKS.includes(keyword);
}

const KEY_REASONS: Record<string, string> = {
  connect_ip: "checking another address than the server's is not supported",
  bindto: "choosing the checker's source address is not supported",
  bind_port: "choosing the checker's source port is not supported",
  bind_if: "choosing the checker's interface is not supported",
  fwmark: "marking check packets is not supported",
  warmup: "randomized check start (warmup) is not supported",
  digest: "checking a page's MD5 digest is not supported",
  misc_dynamic: "weights set by the script's exit code are not supported",
  user: "running the check script as another user is not supported",
  regex: "matching the page against a regex is not supported",
};

/** Check settings a virtual_server or real_server sets for the checkers below it. */
export function checkDefault(node: KaNode, into: Partial<CheckDraft>): boolean {
  const v = node.args[0];
  switch (node.keyword) {
    case "delay_loop":
      into.intervalMs = secondsMs(v);
      return true;
    case "connect_timeout":
      into.timeoutMs = secondsMs(v);
      return true;
    case "retry":
    case "nb_get_retry":
      into.retries = count(v);
      return true;
    case "delay_before_retry":
      into.retryDelayMs = secondsMs(v);
      return true;
    case "virtualhost":
      into.host = v;
      return true;
  }
  return false;
}

/** One checker block as checks (an HTTP checker gives one per url), reporting what it drops. */
export function checkerChecks(node: KaNode, unmapped: Unmapped[]): CheckDraft[] {
  const report = (n: KaNode, reason: string) => unmapped.push({ line: n.line, text: n.text, reason });
  const kind = KINDS[node.keyword];
  if (!kind) {
    report(node, `${node.keyword} is not a supported health check`);
    return [];
  }
  report(node, CHECK_REASON);
  const base: CheckDraft = { line: node.line, kind };
  const urls: Array<Partial<CheckDraft>> = [];
  for (const c of node.children ?? []) {
    const v = c.args[0];
    if (checkDefault(c, base)) continue;
    if (c.keyword === "connect_port") base.port = count(v);
    else if (c.keyword === "misc_path") base.command = c.args.join(" ");
    else if (c.keyword === "misc_timeout") base.timeoutMs = secondsMs(v);
    else if (c.keyword === "url" && (kind === "http" || kind === "https")) urls.push(urlOf(c, report));
    else report(c, KEY_REASONS[c.keyword] ?? `${c.keyword} is not a known ${node.keyword} setting; ignored`);
  }
  if (urls.length === 0) return [base];
  return urls.map((u) => ({ ...base, method: "GET", ...u }));
}

function urlOf(node: KaNode, report: (n: KaNode, reason: string) => void): Partial<CheckDraft> {
  const url: Partial<CheckDraft> = {};
  for (const c of node.children ?? []) {
    if (c.keyword === "path") url.path = c.args[0];
    else if (c.keyword === "virtualhost") url.host = c.args[0];
    else if (c.keyword === "status_code") url.expectStatus = statusCodes(c.args);
    else report(c, KEY_REASONS[c.keyword] ?? `${c.keyword} is not a known url setting; ignored`);
  }
  return url;
}

/** "200", "200-204", "200 301" (keepalived 2.x allows lists and ranges). */
function statusCodes(args: readonly string[]): number[] {
  const out: number[] = [];
  for (const a of args) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(a);
    if (!m) continue;
    const hi = Math.min(Number(m[2] ?? m[1]), Number(m[1]) + 99);
    for (let s = Number(m[1]); s <= hi; s++) out.push(s);
  }
  return out;
}
