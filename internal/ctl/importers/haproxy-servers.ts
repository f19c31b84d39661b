// HAProxy `server` and `default-server` lines: address, weight, maxconn, backup/disabled and the
// health-check parameters (check, inter, rise, fall, port, check-ssl), with what is left over.

import { canonicalIp, splitHostPort } from "../../state/services/index.ts";
import { count, haproxyMs } from "./units.ts";

export interface ServerParams {
  weight?: number;
  maxConn?: number;
  check?: boolean;
  checkSsl?: boolean;
  interMs?: number;
  rise?: number;
  fall?: number;
  checkPort?: number;
  backup?: boolean;
  disabled?: boolean;
}

/** Server keywords that take one argument (the rest are flags). */
const WITH_ARG = new Set(
  (
    "weight maxconn inter fastinter downinter rise fall port addr cookie id maxqueue minconn slowstart " +
    "on-error on-marked-down on-marked-up observe error-limit track redir source usesrc verify ca-file crt " +
    "sni resolvers init-addr resolve-prefer resolve-net proto alpn check-alpn check-proto check-sni agent-send " +
    "agent-port agent-inter agent-addr namespace pool-max-conn pool-purge-delay pool-low-conn max-reuse " +
    "ciphers ciphersuites tcp-ut ws crl-file curves sigalgs client-sigalgs ssl-min-ver ssl-max-ver " +
    "log-proto set-proxy-v2-tlv-fmt socks4 shard guid hash-key"
  ).split(" "),
);
const CHECK_WORDS = new Set([
  "check",
  "inter",
  "fastinter",
  "downinter",
  "rise",
  "fall",
  "port",
  "addr",
  "check-ssl",
]);

const OTHER_REASONS: Array<[RegExp, string]> = [
  [/^cookie /, "cookie persistence is not supported; raftvs persists by client address (persistence)"],
  [
    /^(ssl|verify|ca-file|crt|sni|ciphers|ciphersuites|alpn|no-ssl|ssl-min-ver|ssl-max-ver|crl-file)( |$)/,
    "TLS to real servers is not supported",
  ],
  [/^send-proxy/, "the PROXY protocol is not supported"],
  [/^slowstart /, "slow start is not supported"],
  [/^(agent-|track )/, "agent checks and check tracking are not supported"],
  [
    /^(resolvers|init-addr|resolve-prefer|resolve-net) /,
    "DNS resolution of servers is not supported; give IP addresses",
  ],
];

export interface ParsedParams {
  params: ServerParams;
  /** The health-check words as written ("check inter 2s rise 3"), empty when none. */
  checkText: string;
  /** Other options, each with the reason it is not mapped. */
  others: Array<{ text: string; reason: string }>;
}

/** Reads server options over `base` (the default-server settings). */
export function parseServerParams(words: readonly string[], base: ServerParams): ParsedParams {
  const params: ServerParams = { ...base };
  const checkWords: string[] = [];
  const others: ParsedParams["others"] = [];
  for (let i = 0; i < words.length; i++) {
    const kw = words[i]!;
    const arg = WITH_ARG.has(kw) ? words[++i] : undefined;
    const text = arg === undefined ? kw : `${kw} ${arg}`;
    const bad = (what: string) => others.push({ text, reason: `${what}; ignored` });
    if (CHECK_WORDS.has(kw)) checkWords.push(text);
    switch (kw) {
      case "weight": {
        const n = count(arg);
        if (n === undefined || n > 256) bad("weight must be 0..256");
        else params.weight = n;
        break;
      }
      case "maxconn":
        if (count(arg) === undefined) bad("maxconn must be a number");
        else params.maxConn = count(arg);
        break;
      case "check":
        params.check = true;
        break;
      case "no-check":
        params.check = false;
        break;
      case "check-ssl":
        params.checkSsl = true;
        break;
      case "inter":
        params.interMs = haproxyMs(arg);
        break;
      case "rise":
        params.rise = count(arg);
        break;
      case "fall":
        params.fall = count(arg);
        break;
      case "port":
        params.checkPort = count(arg);
        break;
      case "backup":
        params.backup = true;
        break;
      case "disabled":
        params.disabled = true;
        break;
      case "fastinter":
      case "downinter":
      case "addr":
        break;
      default:
        others.push({
          text,
          reason: OTHER_REASONS.find(([re]) => re.test(text))?.[1] ?? "server option not supported; ignored",
        });
    }
  }
  return { params, checkText: checkWords.join(" "), others };
}

/** An HAProxy server address: IP with an optional port; hostnames and port offsets are refused. */
export function serverAddress(raw: string): { address: string; port?: number } | { error: string } {
  const s = raw.replace(/^(ipv4|ipv6)@/, "");
  if (/:[+-]\d+$/.test(s)) return { error: "port offsets (+N/-N) are not supported" };
  const hp = splitHostPort(s);
  if (!hp) return { error: `cannot read the address ${JSON.stringify(raw)}` };
  if (!canonicalIp(hp.host))
    return {
      error: `${JSON.stringify(hp.host)} is a host name; raftvs needs an IP address (resolve it and use the IP)`,
    };
  return hp.port === undefined ? { address: hp.host } : { address: hp.host, port: hp.port };
}
