// Why an HAProxy statement has no raftvs equivalent: one reason per family of keywords.

const TIMEOUT_ERA: Record<string, string> = {
  contimeout: "timeout connect",
  clitimeout: "timeout client",
  srvtimeout: "timeout server",
};

const FAMILIES: Array<[RegExp, string]> = [
  [/^timeout /, "timeouts are not in the table yet"],
  [
    /^(log|log-format|log-tag|capture|option (httplog|tcplog|dontlognull|dontlog-normal|log-health-checks|logasap))( |$)/,
    "logging is configured on raftvsd, not per service",
  ],
  [
    /^option (httpclose|http-server-close|forceclose|http-keep-alive|http-pretend-keepalive|http-tunnel|http-no-delay|http-use-htx|nolinger)$/,
    "connection handling is not configurable; the http dataplane manages client and server connections itself",
  ],
  [
    /^(option redispatch|redispatch|retries|retry-on|option abortonclose)( |$)/,
    "retries and redispatch are not configurable",
  ],
  [/^stats /, "the statistics page is replaced by the raftvs web monitor"],
  [
    /^(cookie|appsession|stick-table|stick|stick on|stick match|stick store-request|persist)( |$)/,
    "cookie and stick-table persistence are not supported; raftvs persists by client address (persistence)",
  ],
  [
    /^(http-request|http-response|http-after-response|tcp-request|tcp-response|reqadd|reqrep|reqirep|reqdel|reqidel|reqallow|reqiallow|reqdeny|reqideny|reqtarpit|rspadd|rsprep|rspirep|rspdel|rspidel|rspdeny|rspideny|redirect|block|use-server|force-persist|ignore-persist)( |$)/,
    "request and response rules are not supported",
  ],
  [
    /^(errorfile|errorfiles|errorloc|errorloc302|errorloc303|http-error)( |$)/,
    "custom error pages are not supported",
  ],
  [
    /^(option (mysql-check|pgsql-check|redis-check|smtpchk|ldap-check|ssl-hello-chk|tcp-check|external-check|spop-check)|tcp-check|external-check)( |$)/,
    "this protocol health check is not supported",
  ],
  [/^option (tcpka|clitcpka|srvtcpka)$/, "TCP keep-alive settings are not supported"],
  [/^hash-type /, "hash-type: raftvs' mh scheduler always hashes consistently (Maglev)"],
  [/^(compression|filter)( |$)/, "compression and filters are not supported"],
  [
    /^(monitor-uri|monitor|monitor-net)( |$)/,
    "monitor URIs are not supported; raftvsd has its own health endpoints",
  ],
  [
    /^(fullconn|rate-limit|unique-id-format|unique-id-header|description|id|disabled|enabled|bind-process|balance url_param)( |$)/,
    "no raftvs equivalent; ignored",
  ],
];

/** The reason an unsupported statement (in a section of `kind`) is reported as unmapped. */
export function haproxyReason(words: readonly string[], kind: string): string {
  const text = words.join(" ");
  if (kind === "global")
    return words[0] === "maxconn"
      ? "process-wide connection limit; raftvs limits connections per service (maxConn)"
      : "global process setting; raftvsd has its own configuration";
  const era = TIMEOUT_ERA[words[0]!];
  if (era) return `1.4-era keyword for "${era}"; timeouts are not in the table yet`;
  for (const [re, reason] of FAMILIES) if (re.test(text)) return reason;
  return "no raftvs equivalent; ignored";
}
