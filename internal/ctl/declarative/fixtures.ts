// Test fixture: a services table with one of everything, shared by the declarative tests.

import { type ServiceSpec, ServiceTable } from "../../state/services/index.ts";

/** A table with one of everything: IPv6, fwmarks, http rules and a sorry server, persistence,
 * every forwarding method, thresholds, scheduler flags, per-server overrides. */
export const RICH: ServiceSpec[] = [
  {
    protocol: "tcp",
    vip: "198.18.0.10",
    port: 80,
    scheduler: "wrr",
    mode: "http",
    maxConn: 5000,
    http: {
      rules: [
        { host: "api.example.com", pool: "api" },
        { host: "*.static.example.com", pathPrefix: "/assets/", pool: "static" },
        { pathRegex: "^/img/.*\\.png$", pool: "static" },
        { header: { name: "X-Beta", value: "1" }, pool: "api" },
        { header: { name: "user-agent", regex: "curl/.*" }, pool: "" },
      ],
      sorryServer: "198.18.9.99:8080",
    },
    realServers: [
      { address: "198.18.1.1:8080", weight: 5, maxConn: 200 },
      { address: "198.18.1.2:8080" },
      { address: "198.18.2.1:9000", pool: "api" },
      { address: "198.18.3.1:80", pool: "static", weight: 0 },
    ],
  },
  {
    protocol: "udp",
    vip: "2001:DB8:0::53",
    port: 53,
    scheduler: "sh",
    schedFlags: ["sh-port", "sh-fallback"],
    forward: "tun",
    persistence: { timeoutSec: 60, prefixLen: 64 },
    realServers: [{ address: "[2001:db8:1::1]:53" }, { address: "2001:db8:1::2", weight: 2 }],
  },
  {
    protocol: "tcp",
    vip: "198.18.0.20",
    port: 443,
    forward: "dr",
    persistence: { timeoutSec: 1800, netmask: "255.255.255.0" },
    realServers: [
      { address: "198.18.4.1", upperThreshold: 1000, lowerThreshold: 800 },
      { address: "198.18.4.2", forward: "nat", port: 8443 },
      { address: "198.18.4.3", forward: "proxy", weight: 3 },
    ],
  },
  {
    fwmark: 7,
    scheduler: "mh",
    schedFlags: ["mh-port"],
    forward: "dr",
    realServers: [{ address: "198.18.5.1:443" }],
  },
  { fwmark: 8, family: 6, scheduler: "lc", forward: "nat", realServers: [{ address: "[2001:db8:2::1]:25" }] },
  { protocol: "sctp", vip: "198.18.0.30", port: 3868, scheduler: "rr", realServers: [] },
  { protocol: "tcp", vip: "198.18.0.40", port: 8080, mode: "http", http: { rules: [] }, realServers: [] },
];

export function richTable(): ServiceTable {
  const table = new ServiceTable();
  table.apply(
    RICH.map((service) => ({ op: "service.add", service })),
    1,
  );
  return table;
}
