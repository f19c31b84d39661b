// The virtual-service table's data model: virtual services (address or firewall-mark keyed),
// real servers, schedulers and forwarding methods with IPVS's names, and L7 content rules.

export const PROTOCOLS = ["tcp", "udp", "sctp"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** IPVS's schedulers by their ipvsadm names, plus ewma and chb (consistent hashing, bounded loads). */
export const SCHEDULERS = [
  "rr",
  "wrr",
  "lc",
  "wlc",
  "sed",
  "nq",
  "sh",
  "dh",
  "lblc",
  "lblcr",
  "mh",
  "fo",
  "ovf",
  "twos",
  "ewma",
  "chb",
] as const;
export type SchedulerName = (typeof SCHEDULERS)[number];

/** ipvsadm -b flags: sh/mh fallback and port hashing, and the generic flag-1..3. */
export const SCHED_FLAGS = [
  "sh-fallback",
  "sh-port",
  "mh-fallback",
  "mh-port",
  "flag-1",
  "flag-2",
  "flag-3",
] as const;
export type SchedFlag = (typeof SCHED_FLAGS)[number];

/** Forwarding methods: proxy (userspace, ours), nat (ipvsadm -m), dr (-g, "route"), tun (-i). */
export const FORWARD_METHODS = ["proxy", "nat", "dr", "tun"] as const;
export type ForwardMethod = (typeof FORWARD_METHODS)[number];

export const SERVICE_MODES = ["l4", "http"] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

export interface Persistence {
  timeoutSec: number;
  /** IPv4 services: the client netmask persistence groups by (ipvsadm -M), e.g. "255.255.255.0". */
  netmask?: string;
  /** IPv6 services: the client prefix length persistence groups by. */
  prefixLen?: number;
}

export interface ContentRule {
  /** Exact host, or "*.example.com" for a suffix; case-insensitive. */
  host?: string;
  pathPrefix?: string;
  /** A JavaScript regular expression source matched against the path. */
  pathRegex?: string;
  header?: { name: string; value?: string; regex?: string };
  /** The real-server pool the request goes to. */
  pool: string;
}

export interface HttpSettings {
  /** Evaluated in order; the first match picks the pool; no match → the default pool "". */
  rules: ContentRule[];
  /** host:port answering when no real server can take the request. */
  sorryServer?: string;
}

export interface RealServer {
  address: string;
  port: number;
  weight: number;
  forward: ForwardMethod;
  /** IPVS -x: no new connections above this many (0 = no limit). */
  upperThreshold: number;
  /** IPVS -y: below this, the server takes new connections again after hitting the upper one. */
  lowerThreshold: number;
  /** Per-server connection limit with queueing in the proxy (0 = no limit). */
  maxConn: number;
  /** L7: the pool this server belongs to ("" = the default pool). */
  pool: string;
}

export interface VirtualService {
  /** Canonical key: "tcp/10.1.2.3:80", "udp/[2001:db8::1]:53", "fwm/5" (IPv4) or "fwm6/5" (IPv6). */
  key: string;
  family: 4 | 6;
  protocol?: Protocol;
  vip?: string;
  port?: number;
  fwmark?: number;
  scheduler: SchedulerName;
  schedFlags: SchedFlag[];
  persistence?: Persistence;
  forward: ForwardMethod;
  mode: ServiceMode;
  http?: HttpSettings;
  /** Service-wide connection limit with a queue (0 = no limit). */
  maxConn: number;
  /** Sorted by (address, port) so that listings and hashes are canonical. */
  realServers: RealServer[];
}

export const LIMITS = {
  services: 100_000,
  realServersPerService: 10_000,
  contentRules: 256,
  weightMax: 2_147_483_647,
  persistenceTimeoutMax: 31 * 24 * 3600,
  thresholdMax: 2_147_483_647,
  fwmarkMax: 4_294_967_295,
  opsPerTransaction: 100_000,
  nameMax: 64,
} as const;

export const DEFAULT_PERSISTENCE_SEC = 300;
