// keepalived.conf import: the DR and NAT samples in testdata/ map to exactly these services, checks
// and unmapped lines; the brace tokenizer reports what it cannot read and never throws.

import { readFileSync } from "node:fs";
import test from "ava";
import { ServiceTable } from "../../state/services/index.ts";
import { importKeepalived } from "./keepalived.ts";
import { parseKeepalivedConfig } from "./keepalived-config.ts";
import type { ImportResult } from "./result.ts";

const sample = (name: string) => readFileSync(new URL(`testdata/${name}`, import.meta.url), "utf8");
const rows = (r: ImportResult) => r.unmapped.map((u) => [u.line, u.text, u.reason]);
const CHECK = "health checks are not in the table yet; kept in the import's checks";

function acceptedByTable(t: import("ava").ExecutionContext, r: ImportResult): void {
  const table = new ServiceTable();
  table.apply(
    r.services.map((service) => ({ op: "service.add", service })),
    1,
  );
  t.is(table.size, r.services.length);
}

test("a DR director: persistence granularity, fwmark with sh-port, IPv6 TUN, TCP and MISC checks", (t) => {
  const r = importKeepalived(sample("keepalived-dr.conf"));
  t.deepEqual(r.services, [
    {
      protocol: "tcp",
      vip: "198.18.0.40",
      port: 80,
      scheduler: "wlc",
      persistence: { timeoutSec: 600, netmask: "255.255.255.0" },
      forward: "dr",
      realServers: [
        { address: "198.18.9.1", port: 80, weight: 3 },
        { address: "198.18.9.2", port: 80, weight: 1, upperThreshold: 1000, lowerThreshold: 800 },
      ],
    },
    {
      fwmark: 7,
      scheduler: "sh",
      schedFlags: ["sh-port"],
      persistence: { timeoutSec: 1800 },
      forward: "dr",
      realServers: [
        { address: "198.18.9.1", port: 443, weight: 1 },
        { address: "198.18.9.2", port: 443, weight: 1 },
      ],
    },
    {
      protocol: "udp",
      vip: "2001:db8::40",
      port: 53,
      scheduler: "rr",
      persistence: { timeoutSec: 60, prefixLen: 64 },
      forward: "tun",
      realServers: [
        { address: "2001:db8:9::1", port: 53, weight: 1 },
        { address: "2001:db8:9::2", port: 53, weight: 1 },
      ],
    },
    {
      vip: "198.18.0.41",
      port: 25,
      forward: "nat",
      realServers: [{ address: "198.18.9.6", port: 25, weight: 2 }],
    },
  ]);
  t.deepEqual(rows(r), [
    [4, "global_defs", "global settings (router_id, notification e-mail, ...) have no raftvs equivalent"],
    [16, "delay_loop 6", CHECK],
    [25, "TCP_CHECK", CHECK],
    [34, "TCP_CHECK", CHECK],
    [44, "delay_loop 10", CHECK],
    [51, "TCP_CHECK", CHECK],
    [
      55,
      "inhibit_on_failure",
      "inhibit_on_failure (weight 0 instead of removal on a failed check): health checks are not in the table yet",
    ],
    [56, "TCP_CHECK", CHECK],
    [58, "bindto 198.18.0.2", "choosing the checker's source address is not supported"],
    [71, "MISC_CHECK", CHECK],
    [78, "DNS_CHECK", "DNS_CHECK is not a supported health check"],
    [83, "real_server 198.18.9.3 53", "real server not imported: address is IPv4 but the service is IPv6"],
    [
      88,
      "virtual_server group DNS_ANYCAST",
      "virtual server groups are not supported; write one virtual_server per address",
    ],
    [93, "lb_algo fastest", 'unknown scheduler "fastest"; wlc used'],
    [
      94,
      "persistence_granularity 255.255.255.0",
      "persistence_granularity without persistence_timeout; ignored",
    ],
    [
      95,
      "real_server 198.18.9.5 25",
      'real server not imported: weight must be an integer in 0..2147483647 (got "-1")',
    ],
    [100, "SMTP_CHECK", "SMTP_CHECK is not a supported health check"],
    [106, "include /etc/keepalived/conf.d/*.conf", "include is not followed; import each file on its own"],
  ]);
  t.deepEqual(r.checks, [
    {
      service: "tcp/198.18.0.40:80",
      server: "198.18.9.1:80",
      line: 25,
      kind: "tcp",
      timeoutMs: 3000,
      port: 80,
      intervalMs: 6000,
    },
    {
      service: "tcp/198.18.0.40:80",
      server: "198.18.9.2:80",
      line: 34,
      kind: "tcp",
      timeoutMs: 3000,
      retries: 3,
      retryDelayMs: 2000,
      intervalMs: 6000,
    },
    { service: "fwm/7", server: "198.18.9.1:443", line: 51, kind: "tcp", port: 443, intervalMs: 10000 },
    { service: "fwm/7", server: "198.18.9.2:443", line: 56, kind: "tcp", port: 443, intervalMs: 10000 },
    {
      service: "udp/[2001:db8::40]:53",
      server: "[2001:db8:9::1]:53",
      line: 71,
      kind: "script",
      command: "/usr/local/bin/check_dns 2001:db8:9::1",
      timeoutMs: 5000,
    },
  ]);
  acceptedByTable(t, r);
});

test("a NAT director with VRRP: instances explained, HTTP_GET/SSL_GET kept as checks, sorry server reported", (t) => {
  const r = importKeepalived(sample("keepalived-nat.conf"));
  t.deepEqual(r.services, [
    {
      protocol: "tcp",
      vip: "198.18.0.50",
      port: 80,
      scheduler: "wrr",
      forward: "nat",
      realServers: [
        { address: "10.1.0.11", port: 8080, weight: 2 },
        { address: "10.1.0.12", port: 8080, weight: 2 },
      ],
    },
    {
      protocol: "tcp",
      vip: "198.18.0.51",
      port: 443,
      scheduler: "lc",
      persistence: { timeoutSec: 300 },
      forward: "nat",
      realServers: [
        { address: "10.1.0.21", port: 443, weight: 1 },
        { address: "10.1.0.22", port: 443, weight: 0 },
      ],
    },
  ]);
  const vrrp = "VRRP is replaced by Raft leadership: the leader holds the services' VIPs";
  t.deepEqual(rows(r), [
    [4, "global_defs", "global settings (router_id, notification e-mail, ...) have no raftvs equivalent"],
    [8, "vrrp_script chk_link", "VRRP track scripts are not supported: failover follows Raft leadership"],
    [14, "vrrp_sync_group VG_NAT", "VRRP is replaced by Raft leadership: every VIP moves with the leader"],
    [21, "vrrp_instance VI_EXT", `${vrrp} (this instance's addresses: 198.18.0.50/24, 198.18.0.51/24)`],
    [40, "vrrp_instance VI_INT", `${vrrp} (this instance's addresses: 10.1.0.1/24)`],
    [51, "delay_loop 5", CHECK],
    [
      54,
      "nat_mask 255.255.255.0",
      "nat_mask (keepalived 1.x) is not needed: raftvs does not program the director's routes",
    ],
    [
      56,
      "sorry_server 10.1.0.99 80",
      "sorry servers exist only for http services in raftvs, and this service is L4",
    ],
    [57, "virtualhost www.example.com", CHECK],
    [58, "quorum 2", "raftvs has no service quorum (up/down by the number of healthy servers)"],
    [59, "hysteresis 1", "raftvs has no service quorum, so no quorum hysteresis"],
    [60, "alpha", "alpha (servers start down until checked): health checks are not in the table yet"],
    [61, "omega", "omega (run quorum_down on shutdown) is not supported"],
    [62, "ha_suspend", "ha_suspend is not needed: every raftvs node checks and the leader decides"],
    [66, "HTTP_GET", CHECK],
    [73, "digest 9b3a0c85a887a256d6939da88aabd8cd", "checking a page's MD5 digest is not supported"],
    [82, "notify_down /usr/local/bin/page-oncall 10.1.0.12", "notification scripts are not supported"],
    [83, "HTTP_GET", CHECK],
    [88, "delay_loop 10", CHECK],
    [96, "SSL_GET", CHECK],
    [106, "SSL_GET", CHECK],
    [
      112,
      "real_server www3.internal 443",
      'real server not imported: address is not an IP address (got "www3.internal")',
    ],
  ]);
  const web = {
    service: "tcp/198.18.0.50:80",
    kind: "http",
    method: "GET",
    intervalMs: 5000,
    host: "www.example.com",
  };
  const retry = { timeoutMs: 3000, retries: 3, retryDelayMs: 3000 };
  const tls = {
    service: "tcp/198.18.0.51:443",
    kind: "https",
    method: "GET",
    path: "/status",
    intervalMs: 10000,
  };
  t.deepEqual(r.checks, [
    { ...web, ...retry, server: "10.1.0.11:8080", line: 66, path: "/health", expectStatus: [200] },
    { ...web, ...retry, server: "10.1.0.11:8080", line: 66, path: "/ready" },
    { ...web, server: "10.1.0.12:8080", line: 83, path: "/health", timeoutMs: 3000 },
    { ...tls, server: "10.1.0.21:443", line: 96, timeoutMs: 5000, expectStatus: [200, 201, 202, 203, 204] },
    { ...tls, server: "10.1.0.22:443", line: 106 },
  ]);
  acceptedByTable(t, r);
});

test("fwmark services take their family from ip_family or their servers; lvs_method per server", (t) => {
  const r = importKeepalived(`virtual_server fwmark 9 {
  lb_algo mh
  mh-fallback
  mh-port
  real_server 2001:db8::1 80 { weight 2 }
  real_server 2001:db8::2 80 { lvs_method TUN }
}
virtual_server fwmark 10 {
  ip_family inet6
  lb_kind dr
}
virtual_server 198.18.0.60 0 {
  real_server 198.18.9.9 0 { }
}`);
  t.deepEqual(r.services, [
    {
      fwmark: 9,
      family: 6,
      scheduler: "mh",
      schedFlags: ["mh-fallback", "mh-port"],
      forward: "nat",
      realServers: [
        { address: "2001:db8::1", port: 80, weight: 2 },
        { address: "2001:db8::2", port: 80, forward: "tun" },
      ],
    },
    { fwmark: 10, family: 6, forward: "dr", realServers: [] },
  ]);
  t.deepEqual(rows(r), [
    [12, "virtual_server 198.18.0.60 0", "service not imported: port must be an integer in 1..65535 (got 0)"],
  ]);
});

test("the brace tokenizer: one-line blocks, quotes, both comment marks, unbalanced braces", (t) => {
  const { nodes, problems } = parseKeepalivedConfig(`a 1 { b "x y" ! c
  d { e 2 } # f
}
}
g {
  h`);
  t.deepEqual(nodes, [
    {
      keyword: "a",
      args: ["1"],
      line: 1,
      text: "a 1",
      children: [
        { keyword: "b", args: ["x y"], line: 1, text: "b x y" },
        {
          keyword: "d",
          args: [],
          line: 2,
          text: "d",
          children: [{ keyword: "e", args: ["2"], line: 2, text: "e 2" }],
        },
      ],
    },
    {
      keyword: "g",
      args: [],
      line: 5,
      text: "g",
      children: [{ keyword: "h", args: [], line: 6, text: "h" }],
    },
  ]);
  t.deepEqual(problems, [
    { line: 4, text: "}", reason: "unmatched closing brace; ignored" },
    { line: 5, text: "g", reason: "block is never closed (missing })" },
  ]);
});

test("garbage never throws", (t) => {
  const text = sample("keepalived-nat.conf");
  for (let cut = 0; cut < text.length; cut += 97) t.notThrows(() => importKeepalived(text.slice(cut)));
  t.notThrows(() => importKeepalived('virtual_server\nvirtual_server fwmark\nreal_server\n{ } } "'));
});
