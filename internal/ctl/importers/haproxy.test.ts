// haproxy.cfg import: the two samples in testdata/ (a 2.x config with frontends, backends and
// ACLs, and a 1.4-era one with listen sections) map to exactly these services and these
// unmapped lines; plus the tokenizer, ACL and balance tables on their own.

import { readFileSync } from "node:fs";
import test from "ava";
import { ServiceTable } from "../../state/services/index.ts";
import { importHaproxy, schedulerOf } from "./haproxy.ts";
import { aclMatches, conditionMatches } from "./haproxy-acl.ts";
import { splitHaproxyLine } from "./haproxy-config.ts";
import type { ImportResult } from "./result.ts";

const sample = (name: string) => readFileSync(new URL(`testdata/${name}`, import.meta.url), "utf8");
const rows = (r: ImportResult) => r.unmapped.map((u) => [u.line, u.text, u.reason]);

const CHECK = "health checks are not in the table yet; kept in the import's checks";
const GLOBAL = "global process setting; raftvsd has its own configuration";
const GLOBAL_MAXCONN = "process-wide connection limit; raftvs limits connections per service (maxConn)";
const LOG = "logging is configured on raftvsd, not per service";
const TIMEOUT = "timeouts are not in the table yet";
const STATS = "the statistics page is replaced by the raftvs web monitor";
const BACKUP =
  "IPVS has no backup servers: imported with weight 0 (drained); for fail-over use the fo scheduler";
const COOKIE = "cookie persistence is not supported; raftvs persists by client address (persistence)";
const era = (kw: string) => `1.4-era keyword for "timeout ${kw}"; timeouts are not in the table yet`;

/** Every service must also be accepted by the real table, all in one transaction. */
function acceptedByTable(t: import("ava").ExecutionContext, r: ImportResult): void {
  const table = new ServiceTable();
  table.apply(
    r.services.map((service) => ({ op: "service.add", service })),
    1,
  );
  t.is(table.size, r.services.length);
}

test("a 2.x config: frontend binds become http services, use_backend + ACLs content rules over backend pools", (t) => {
  const r = importHaproxy(sample("haproxy-modern.cfg"));
  const www = (vip: string) => ({
    protocol: "tcp",
    vip,
    port: 80,
    scheduler: "wrr",
    mode: "http",
    maxConn: 10000,
    realServers: [
      { address: "198.18.1.11", port: 8080, weight: 10, maxConn: 500 },
      { address: "198.18.1.12", port: 8080, weight: 10, maxConn: 500 },
      { address: "198.18.1.13", port: 8080, weight: 0 },
      { address: "198.18.2.21", port: 9000, pool: "api" },
      { address: "198.18.2.22", port: 9000, pool: "api" },
      { address: "198.18.3.31", port: 80, pool: "static" },
      { address: "198.18.3.32", port: 80, pool: "static" },
    ],
    http: {
      rules: [
        { pool: "api", host: "api.shop.example" },
        { pool: "api", host: "api.shop.example.net" },
        { pool: "static", pathPrefix: "/static/" },
        { pool: "static", pathPrefix: "/assets/" },
        { pool: "static", pathRegex: "^/img/.*\\.(png|jpe?g)$" },
        { pool: "api", pathPrefix: "/v2/", header: { name: "x-beta", value: "1" } },
      ],
    },
  });
  t.deepEqual(r.services, [
    www("198.18.0.10"),
    www("198.18.0.11"),
    {
      protocol: "tcp",
      vip: "198.18.0.20",
      port: 3306,
      scheduler: "fo",
      mode: "l4",
      maxConn: 3000,
      realServers: [
        { address: "198.18.6.61", port: 3306, maxConn: 100 },
        { address: "198.18.6.62", port: 3306, weight: 0, maxConn: 100 },
      ],
    },
  ]);
  t.deepEqual(rows(r), [
    [5, "log /dev/log local0", GLOBAL],
    [6, "log /dev/log local1 notice", GLOBAL],
    [7, "maxconn 20000", GLOBAL_MAXCONN],
    [8, "user haproxy", GLOBAL],
    [9, "group haproxy", GLOBAL],
    [10, "daemon", GLOBAL],
    [11, "stats socket /run/haproxy/admin.sock mode 660 level admin expose-fd listeners", GLOBAL],
    [15, "log global", LOG],
    [16, "option httplog", LOG],
    [17, "option dontlognull", LOG],
    [19, "timeout connect 5s", TIMEOUT],
    [20, "timeout client 30s", TIMEOUT],
    [21, "timeout server 30s", TIMEOUT],
    [23, "inter 3s rise 2 fall 3", `health-check defaults: ${CHECK}`],
    [
      28,
      "bind 198.18.0.10:443 ssl crt /etc/haproxy/certs/shop.pem alpn h2,http/1.1",
      "TLS termination (bind ... ssl) is not supported; no service created for this bind",
    ],
    [29, "*:8080", "listens on every address; raftvs services need a VIP: give --vip IP"],
    [
      31,
      "http-request set-header X-Forwarded-Proto https if { ssl_fc }",
      "request and response rules are not supported",
    ],
    [37, "acl is_post method POST", "ACL used by no use_backend rule; ignored"],
    [
      42,
      "use_backend admin if { path_beg /admin } !{ src 10.0.0.0/8 }",
      "negated ACLs (!) cannot be content rules",
    ],
    [47, "option httpchk GET /healthz HTTP/1.1\\r\\nHost:\\ shop.example", CHECK],
    [48, "http-check expect status 200", CHECK],
    [
      49,
      "cookie SERVERID insert indirect nocache",
      "cookie and stick-table persistence are not supported; raftvs persists by client address (persistence)",
    ],
    [50, "check", CHECK],
    [50, "cookie w1", COOKIE],
    [51, "check", CHECK],
    [51, "cookie w2", COOKIE],
    [52, "check", CHECK],
    [52, "backup", BACKUP],
    [
      55,
      "balance leastconn",
      "backend api balances with wlc, but a service has one scheduler: wrr (from web)",
    ],
    [56, "timeout check 2s", CHECK],
    [57, "option httpchk", CHECK],
    [58, "check inter 2s rise 3 fall 2", CHECK],
    [59, "check port 9100", CHECK],
    [
      60,
      "server api3 api3.internal:9000 check",
      'real server not imported: "api3.internal" is a host name; raftvs needs an IP address (resolve it and use the IP)',
    ],
    [63, "balance uri", "backend static balances with mh, but a service has one scheduler: wrr (from web)"],
    [64, "hash-type consistent", "hash-type: raftvs' mh scheduler always hashes consistently (Maglev)"],
    [65, "check", CHECK],
    [66, "check", CHECK],
    [68, "backend admin", "backend admin is used by no imported frontend"],
    [75, "option mysql-check user haproxy", "this protocol health check is not supported"],
    [76, "check", CHECK],
    [77, "check", CHECK],
    [77, "backup", BACKUP],
    [79, "listen stats", "listen stats has no servers to balance; not imported"],
    [81, "stats enable", STATS],
    [82, "stats uri /", STATS],
  ]);
  const onWww = r.checks.filter((c) => c.service === "tcp/198.18.0.10:80");
  t.deepEqual(
    onWww.map(({ service: _, ...c }) => c),
    [
      ...["198.18.1.11:8080", "198.18.1.12:8080", "198.18.1.13:8080"].map((server, i) => ({
        server,
        line: 50 + i,
        kind: "http" as const,
        intervalMs: 3000,
        rise: 2,
        fall: 3,
        method: "GET",
        path: "/healthz",
        host: "shop.example",
        expectStatus: [200],
      })),
      {
        server: "198.18.2.21:9000",
        line: 58,
        kind: "http",
        intervalMs: 2000,
        rise: 3,
        fall: 2,
        timeoutMs: 2000,
        method: "OPTIONS",
        path: "/",
      },
      {
        server: "198.18.2.22:9000",
        line: 59,
        kind: "http",
        intervalMs: 3000,
        rise: 2,
        fall: 3,
        timeoutMs: 2000,
        port: 9100,
        method: "OPTIONS",
        path: "/",
      },
      { server: "198.18.3.31:80", line: 65, kind: "tcp", intervalMs: 3000, rise: 2, fall: 3 },
      { server: "198.18.3.32:80", line: 66, kind: "tcp", intervalMs: 3000, rise: 2, fall: 3 },
    ],
  );
  t.is(r.checks.length, 16); // the same seven for 198.18.0.11, and two on the mysql service
  acceptedByTable(t, r);
});

const LEGACY_UNMAPPED = [
  [4, "log 127.0.0.1 local0", GLOBAL],
  [5, "maxconn 4096", GLOBAL_MAXCONN],
  [6, "chroot /usr/share/haproxy", GLOBAL],
  [7, "uid 99", GLOBAL],
  [8, "gid 99", GLOBAL],
  [9, "daemon", GLOBAL],
  [12, "log global", LOG],
  [14, "option httplog", LOG],
  [15, "option dontlognull", LOG],
  [16, "retries 3", "retries and redispatch are not configurable"],
  [17, "option redispatch", "retries and redispatch are not configurable"],
  [19, "contimeout 5000", era("connect")],
  [20, "clitimeout 50000", era("client")],
  [21, "srvtimeout 50000", era("server")],
  [
    26,
    "option httpclose",
    "connection handling is not configurable; the http dataplane manages client and server connections itself",
  ],
  [28, "option httpchk HEAD /check.txt HTTP/1.0", CHECK],
  [29, "stats enable", STATS],
  [30, "stats uri /haproxy?stats", STATS],
  [31, "stats auth admin:secret", STATS],
  [
    32,
    "cookie JSESSIONID prefix",
    "cookie and stick-table persistence are not supported; raftvs persists by client address (persistence)",
  ],
  [33, "check inter 2000 rise 2 fall 5", CHECK],
  [34, "check inter 2000 rise 2 fall 5", CHECK],
  [35, "check", CHECK],
  [36, "backup", BACKUP],
  [40, "option tcplog", LOG],
  [42, "check", CHECK],
  [43, "check", CHECK],
  [44, "check", CHECK],
  [44, "disabled", "disabled server: imported with weight 0 (drained)"],
  [46, ":2222", "listens on every address; raftvs services need a VIP: give --vip IP"],
  [49, "clitimeout 3600000", era("client")],
  [50, "srvtimeout 3600000", era("server")],
];

test("a 1.4-era config: listen sections with the address on the section line, contimeout & co", (t) => {
  const r = importHaproxy(sample("haproxy-1.4.cfg"));
  t.deepEqual(r.services, [
    {
      protocol: "tcp",
      vip: "198.18.0.30",
      port: 80,
      scheduler: "sh",
      mode: "http",
      maxConn: 2000,
      realServers: [
        { address: "198.18.7.1", port: 80, maxConn: 512 },
        { address: "198.18.7.2", port: 80, maxConn: 512 },
        { address: "198.18.7.3", weight: 2 },
        { address: "198.18.7.99", port: 8080, weight: 0 },
      ],
    },
    {
      protocol: "tcp",
      vip: "198.18.0.31",
      port: 25,
      scheduler: "wrr",
      mode: "l4",
      maxConn: 2000,
      realServers: [
        { address: "198.18.8.1", port: 25 },
        { address: "198.18.8.2", port: 25 },
        { address: "198.18.8.3", port: 25, weight: 0 },
      ],
    },
  ]);
  t.deepEqual(rows(r), LEGACY_UNMAPPED);
  t.deepEqual(r.checks, [
    {
      service: "tcp/198.18.0.30:80",
      server: "198.18.7.1:80",
      line: 33,
      kind: "http",
      intervalMs: 2000,
      rise: 2,
      fall: 5,
      method: "HEAD",
      path: "/check.txt",
    },
    {
      service: "tcp/198.18.0.30:80",
      server: "198.18.7.2:80",
      line: 34,
      kind: "http",
      intervalMs: 2000,
      rise: 2,
      fall: 5,
      method: "HEAD",
      path: "/check.txt",
    },
    {
      service: "tcp/198.18.0.30:80",
      server: "198.18.7.3:80",
      line: 35,
      kind: "http",
      intervalMs: 2000,
      rise: 2,
      fall: 3,
      method: "HEAD",
      path: "/check.txt",
    },
    {
      service: "tcp/198.18.0.31:25",
      server: "198.18.8.1:25",
      line: 42,
      kind: "tcp",
      intervalMs: 2000,
      rise: 2,
      fall: 3,
    },
    {
      service: "tcp/198.18.0.31:25",
      server: "198.18.8.2:25",
      line: 43,
      kind: "tcp",
      intervalMs: 2000,
      rise: 2,
      fall: 3,
    },
    {
      service: "tcp/198.18.0.31:25",
      server: "198.18.8.3:25",
      line: 44,
      kind: "tcp",
      intervalMs: 2000,
      rise: 2,
      fall: 3,
    },
  ]);
  acceptedByTable(t, r);
});

test("--vip gives binds on every address their VIP", (t) => {
  const r = importHaproxy(sample("haproxy-1.4.cfg"), { vip: "198.18.0.32" });
  t.deepEqual(r.services.at(-1), {
    protocol: "tcp",
    vip: "198.18.0.32",
    port: 2222,
    scheduler: "wlc",
    mode: "l4",
    maxConn: 2000,
    realServers: [
      { address: "198.18.8.11", port: 22 },
      { address: "198.18.8.12", port: 22 },
    ],
  });
  t.deepEqual(
    rows(r),
    LEGACY_UNMAPPED.filter((u) => u[0] !== 46),
  );
});

test("the line tokenizer: comments, both quotes, backslash escapes as HAProxy reads them", (t) => {
  const words = (l: string) => splitHaproxyLine(l).words;
  t.deepEqual(words("  server a 1.2.3.4:80   check # trailing"), ["server", "a", "1.2.3.4:80", "check"]);
  t.deepEqual(words(String.raw`x "a b\"c#" 'd\e f' g\#h \\ \ y`), [
    "x",
    'a b"c#',
    "d\\e f",
    "g#h",
    "\\",
    " y",
  ]);
  t.deepEqual(words(String.raw`acl img path_reg ^/img/.*\.png$`), [
    "acl",
    "img",
    "path_reg",
    "^/img/.*\\.png$",
  ]);
  t.deepEqual(words(String.raw`option httpchk GET / HTTP/1.1\r\nHost:\ a`), [
    "option",
    "httpchk",
    "GET",
    "/",
    "HTTP/1.1\r\nHost: a",
  ]);
  t.deepEqual(words(`x ""`), ["x", ""]);
  t.is(words(`x "open`), undefined);
  const r = importHaproxy(`maxconn 10\nlisten a 198.18.0.1:80\n  server s 198.18.1.1:80 "weight\n`);
  t.deepEqual(rows(r), [
    [1, "maxconn 10", "outside any section; ignored"],
    [2, "listen a 198.18.0.1:80", "listen a has no servers to balance; not imported"],
    [3, 'server s 198.18.1.1:80 "weight', "unterminated quote; line skipped"],
  ]);
});

test("balance algorithms map to schedulers, approximations with a note", (t) => {
  const of = (algo?: string) =>
    schedulerOf(
      algo === undefined ? undefined : { line: 1, text: `balance ${algo}`, words: ["balance", algo] },
    );
  t.deepEqual(
    [undefined, "roundrobin", "static-rr", "leastconn", "source", "first", "random", "random(2)"].map(
      (a) => of(a).scheduler,
    ),
    ["wrr", "wrr", "wrr", "wlc", "sh", "fo", "twos", "twos"],
  );
  t.deepEqual(of("uri"), {
    scheduler: "mh",
    note: "balance uri: mapped to mh, which hashes the client address (not the uri) consistently",
  });
  t.deepEqual(of("hdr(User-Agent)"), {
    scheduler: "mh",
    note: "balance hdr(User-Agent): mapped to mh, which hashes the client address (not the hdr) consistently",
  });
  t.deepEqual(of("random(3)"), { scheduler: "twos", note: "random(3) draws 3 servers; twos always draws 2" });
  t.deepEqual(of("sticky"), {
    scheduler: "wrr",
    note: "unknown balance algorithm sticky: roundrobin (wrr) used",
  });
});

test("ACL criteria become host, path and header matches; others are refused with the reason", (t) => {
  const m = (l: string) => aclMatches(l.split(" "));
  t.deepEqual(m("hdr(host) -i A.example b.example"), {
    matches: [{ host: "a.example" }, { host: "b.example" }],
    notes: [],
  });
  t.deepEqual(m("hdr_end(host) -i .example.org"), { matches: [{ host: "*.example.org" }], notes: [] });
  t.deepEqual(m("hdr_dom(host) example.org"), {
    matches: [{ header: { name: "host", regex: "(^|\\.)example\\.org(\\.|:|$)" } }],
    notes: [],
  });
  t.deepEqual(m("path_beg /api/"), { matches: [{ pathPrefix: "/api/" }], notes: [] });
  t.deepEqual(m("path -m beg /api/"), { matches: [{ pathPrefix: "/api/" }], notes: [] });
  t.deepEqual(m("url_beg /api/"), { matches: [{ pathPrefix: "/api/" }], notes: [] });
  t.deepEqual(m("path /exact.html"), { matches: [{ pathRegex: "^/exact\\.html$" }], notes: [] });
  t.deepEqual(m("path_end .php"), { matches: [{ pathRegex: "\\.php$" }], notes: [] });
  t.deepEqual(m("path_reg ^/v[12]/"), { matches: [{ pathRegex: "^/v[12]/" }], notes: [] });
  t.deepEqual(m("path_beg -i /API"), {
    matches: [{ pathPrefix: "/API" }],
    notes: ["path_beg -i: the rule matches case-sensitively"],
  });
  t.deepEqual(m("hdr(X-Env) staging"), {
    matches: [{ header: { name: "x-env", value: "staging" } }],
    notes: [],
  });
  t.deepEqual(m("req.hdr(x-env) -m reg ^stag"), {
    matches: [{ header: { name: "x-env", regex: "^stag" } }],
    notes: [],
  });
  t.deepEqual(m("hdr_beg(x-env) stag"), {
    matches: [{ header: { name: "x-env", regex: "^stag" } }],
    notes: [],
  });
  t.deepEqual(m("hdr(x-debug) -m found"), { matches: [{ header: { name: "x-debug" } }], notes: [] });
  t.deepEqual(m("src 10.0.0.0/8"), {
    error: 'ACL criterion "src" cannot be a content rule (only host, path and header tests can)',
  });
  t.deepEqual(m("url_sub foo"), { error: "url_sub also matches the query string" });
  t.deepEqual(m("path_beg -f /etc/haproxy/paths.lst"), {
    error: "ACL patterns read from a file (-f) are not supported",
  });
  t.deepEqual(m("path_len 3"), { error: "match method len cannot be a path rule" });
  t.deepEqual(m("path_beg"), { error: "ACL path_beg has no pattern to match" });
});

test("conditions: or gives alternatives, AND merges, negation and clashes are refused", (t) => {
  const acls = new Map([
    ["api", [["hdr(host)", "api.example"]]],
    [
      "v2",
      [
        ["path_beg", "/v2/"],
        ["path_beg", "/v3/"],
      ],
    ],
    ["static", [["path_beg", "/static/"]]],
  ]);
  const c = (s: string) => conditionMatches(s.split(" "), acls);
  t.deepEqual(c("api v2"), {
    matches: [
      { host: "api.example", pathPrefix: "/v2/" },
      { host: "api.example", pathPrefix: "/v3/" },
    ],
    notes: [],
  });
  t.deepEqual(c("api || static"), {
    matches: [{ host: "api.example" }, { pathPrefix: "/static/" }],
    notes: [],
  });
  t.deepEqual(c("api { hdr(x-beta) 1 }"), {
    matches: [{ host: "api.example", header: { name: "x-beta", value: "1" } }],
    notes: [],
  });
  t.deepEqual(c("v2 static"), {
    error: "ANDed ACLs test the same part twice; a content rule holds one test of each",
  });
  t.deepEqual(c("!api"), { error: "negated ACLs (!) cannot be content rules" });
  t.deepEqual(c("HTTP"), { error: "ACL HTTP is not defined (predefined ACLs are not supported)" });
  t.deepEqual(c("api or"), { error: "empty term in the condition" });
  t.deepEqual(c("{ path_beg /x"), { error: "unclosed { in the condition" });
});

test("binds, servers and backends that cannot be mapped are reported, the rest imported", (t) => {
  const r = importHaproxy(`frontend f
  mode http
  bind [2001:db8::10]:80,198.18.0.1:8000-8010 transparent
  bind unix@/run/f.sock
  bind 198.18.0.1:80
  acl a path_beg /a
  use_backend b1 if a
  use_backend nowhere if a
  use_backend b2 unless a
  default_backend b0
backend b0
  server s0 198.18.1.1:80 weight 300
  server s1 198.18.1.2:+1
backend b1
  server s2 198.18.1.1:80
  server s3 198.18.1.3:80 send-proxy-v2 slowstart 10s
backend b2
  server s4 198.18.1.4:80
`);
  t.deepEqual(r.services, [
    {
      protocol: "tcp",
      vip: "198.18.0.1",
      port: 80,
      scheduler: "wrr",
      mode: "http",
      realServers: [
        { address: "198.18.1.1", port: 80 },
        { address: "198.18.1.3", port: 80, pool: "b1" },
      ],
      http: { rules: [{ pool: "b1", pathPrefix: "/a" }] },
    },
  ]);
  t.deepEqual(rows(r), [
    [3, "transparent", "bind options are not supported; ignored"],
    [3, "198.18.0.1:8000-8010", "port ranges are not supported; one service per port"],
    [
      3,
      "bind [2001:db8::10]:80,198.18.0.1:8000-8010 transparent",
      "service tcp/[2001:db8::10]:80 not imported: none of its real servers could be (line 12: address is IPv4 but the service is IPv6)",
    ],
    [4, "unix@/run/f.sock", 'cannot listen on "unix@/run/f.sock": raftvs services need IP:port'],
    [8, "use_backend nowhere if a", 'no backend "nowhere"'],
    [9, "use_backend b2 unless a", "negated conditions (unless) cannot be content rules"],
    [12, "weight 300", "weight must be 0..256; ignored"],
    [13, "server s1 198.18.1.2:+1", "real server not imported: port offsets (+N/-N) are not supported"],
    [
      15,
      "server s2 198.18.1.1:80",
      "real server 198.18.1.1:80 is already in tcp/198.18.0.1:80 (line 12); a server can be in one pool only",
    ],
    [16, "send-proxy-v2", "the PROXY protocol is not supported"],
    [16, "slowstart 10s", "slow start is not supported"],
    [17, "backend b2", "backend b2 is used by no imported frontend"],
  ]);
});

test("garbage never throws: every line is either mapped or reported", (t) => {
  const lines = sample("haproxy-modern.cfg").split("\n");
  for (let cut = 0; cut < lines.length; cut += 3) {
    const mangled = [...lines.slice(cut), ...lines.slice(0, cut)].join("\n").replace(/:80\b/g, ":x");
    t.notThrows(() => importHaproxy(mangled));
  }
  t.notThrows(() => importHaproxy('frontend\nbind\nuse_backend\nacl\nserver\nbalance\n"'));
});
