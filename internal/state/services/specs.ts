// Turning untrusted service and real-server descriptions (from the API, YAML, importers) into
// canonical table rows, with an error naming the exact field for anything invalid.

import {
  addressServiceKey,
  canonicalIp,
  canonicalNetmask,
  fwmarkServiceKey,
  splitHostPort,
} from "./addresses.ts";
import {
  type ContentRule,
  DEFAULT_PERSISTENCE_SEC,
  FORWARD_METHODS,
  type ForwardMethod,
  type HttpSettings,
  LIMITS,
  type Persistence,
  PROTOCOLS,
  type Protocol,
  type RealServer,
  SCHED_FLAGS,
  SCHEDULERS,
  type SchedFlag,
  type SchedulerName,
  SERVICE_MODES,
  type ServiceMode,
  type VirtualService,
} from "./model.ts";

export class TableError extends Error {
  readonly code = "STATE_INVALID_TABLE_CHANGE";
  /** Dotted path of the offending field, e.g. "ops[2].server.weight". */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "TableError";
    this.field = field;
  }
}

/** What callers may send for a service; everything but the address/mark is optional. */
export interface ServiceSpec {
  protocol?: Protocol;
  vip?: string;
  port?: number;
  fwmark?: number;
  family?: 4 | 6;
  scheduler?: SchedulerName;
  schedFlags?: SchedFlag[];
  persistence?: Partial<Persistence> | null;
  forward?: ForwardMethod;
  mode?: ServiceMode;
  http?: HttpSettings | null;
  maxConn?: number;
  realServers?: ServerSpec[];
}

/** One change of a table transaction, as ServiceTable.apply takes it. */
export type TableOp =
  | { op: "service.add" | "service.edit"; service: ServiceSpec }
  | { op: "service.delete"; key: string }
  | { op: "server.add" | "server.edit"; service: string; server: ServerSpec }
  | { op: "server.delete"; service: string; address: string; port?: number }
  | { op: "clear" };

export interface ServerSpec {
  address: string;
  port?: number;
  weight?: number;
  forward?: ForwardMethod;
  upperThreshold?: number;
  lowerThreshold?: number;
  maxConn?: number;
  pool?: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function intIn(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max)
    throw new TableError(field, `must be an integer in ${min}..${max} (got ${JSON.stringify(v)})`);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== "string" || !allowed.includes(v as T))
    throw new TableError(field, `must be one of ${allowed.join(", ")} (got ${JSON.stringify(v)})`);
  return v as T;
}

function noUnknownFields(o: Obj, field: string, known: readonly string[]): void {
  for (const k of Object.keys(o))
    if (!known.includes(k)) throw new TableError(`${field}.${k}`, "unknown field");
}

/** The fields a service spec may hold (also what YAML documents and the API accept). */
export const SERVICE_SPEC_FIELDS = [
  "protocol",
  "vip",
  "port",
  "fwmark",
  "family",
  "scheduler",
  "schedFlags",
  "persistence",
  "forward",
  "mode",
  "http",
  "maxConn",
  "realServers",
] as const;
/** The fields a real-server spec may hold. */
export const SERVER_SPEC_FIELDS = [
  "address",
  "port",
  "weight",
  "forward",
  "upperThreshold",
  "lowerThreshold",
  "maxConn",
  "pool",
] as const;
const NAME = /^[A-Za-z0-9._-]{0,64}$/;

/** The identity part of a service spec: its canonical key and address family. */
export function serviceIdentity(
  raw: unknown,
  field: string,
): { key: string; family: 4 | 6; protocol?: Protocol; vip?: string; port?: number; fwmark?: number } {
  if (!isObj(raw)) throw new TableError(field, "must be an object");
  if (raw.fwmark !== undefined) {
    if (raw.vip !== undefined || raw.port !== undefined)
      throw new TableError(`${field}.fwmark`, "a firewall-mark service has no vip or port");
    const fwmark = intIn(raw.fwmark, `${field}.fwmark`, 1, LIMITS.fwmarkMax);
    const family = raw.family === undefined ? 4 : (intIn(raw.family, `${field}.family`, 4, 6) as 4 | 6);
    if (family !== 4 && family !== 6) throw new TableError(`${field}.family`, "must be 4 or 6");
    return { key: fwmarkServiceKey(fwmark, family), family, fwmark };
  }
  const protocol = oneOf(raw.protocol ?? "tcp", `${field}.protocol`, PROTOCOLS);
  if (typeof raw.vip !== "string")
    throw new TableError(`${field}.vip`, "is required (an IPv4 or IPv6 address), or give a fwmark");
  const ip = canonicalIp(raw.vip);
  if (!ip)
    throw new TableError(`${field}.vip`, `is not an IPv4 or IPv6 address (got ${JSON.stringify(raw.vip)})`);
  const port = intIn(raw.port, `${field}.port`, 1, 65535);
  return { key: addressServiceKey(protocol, ip.ip, port), family: ip.family, protocol, vip: ip.ip, port };
}

function persistenceOf(raw: unknown, field: string, family: 4 | 6): Persistence | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObj(raw)) throw new TableError(field, "must be an object {timeoutSec, netmask | prefixLen}");
  noUnknownFields(raw, field, ["timeoutSec", "netmask", "prefixLen"]);
  const p: Persistence = {
    timeoutSec:
      raw.timeoutSec === undefined
        ? DEFAULT_PERSISTENCE_SEC
        : intIn(raw.timeoutSec, `${field}.timeoutSec`, 1, LIMITS.persistenceTimeoutMax),
  };
  if (raw.netmask !== undefined) {
    if (family !== 4)
      throw new TableError(`${field}.netmask`, "applies to IPv4 services; use prefixLen for IPv6");
    const m = typeof raw.netmask === "string" ? canonicalNetmask(raw.netmask) : undefined;
    if (!m)
      throw new TableError(
        `${field}.netmask`,
        `must be a dotted netmask like 255.255.255.0 (got ${JSON.stringify(raw.netmask)})`,
      );
    p.netmask = m;
  }
  if (raw.prefixLen !== undefined) {
    if (family !== 6)
      throw new TableError(`${field}.prefixLen`, "applies to IPv6 services; use netmask for IPv4");
    p.prefixLen = intIn(raw.prefixLen, `${field}.prefixLen`, 1, 128);
  }
  return p;
}

function ruleOf(raw: unknown, field: string, pools: ReadonlySet<string>): ContentRule {
  if (!isObj(raw)) throw new TableError(field, "must be an object");
  noUnknownFields(raw, field, ["host", "pathPrefix", "pathRegex", "header", "pool"]);
  if (typeof raw.pool !== "string" || !NAME.test(raw.pool))
    throw new TableError(`${field}.pool`, "must name a pool ([A-Za-z0-9._-], up to 64)");
  if (!pools.has(raw.pool))
    throw new TableError(`${field}.pool`, `no real server is in pool ${JSON.stringify(raw.pool)}`);
  const rule: ContentRule = { pool: raw.pool };
  if (raw.host !== undefined) {
    if (typeof raw.host !== "string" || !/^(\*\.)?[A-Za-z0-9.-]{1,253}$/.test(raw.host))
      throw new TableError(`${field}.host`, "must be a host name or *.suffix");
    rule.host = raw.host.toLowerCase();
  }
  if (raw.pathPrefix !== undefined) {
    if (typeof raw.pathPrefix !== "string" || !raw.pathPrefix.startsWith("/"))
      throw new TableError(`${field}.pathPrefix`, 'must start with "/"');
    rule.pathPrefix = raw.pathPrefix;
  }
  if (raw.pathRegex !== undefined) rule.pathRegex = regexSource(raw.pathRegex, `${field}.pathRegex`);
  if (raw.header !== undefined) {
    const h = raw.header;
    if (!isObj(h) || typeof h.name !== "string" || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/.test(h.name))
      throw new TableError(`${field}.header.name`, "must be an HTTP header name");
    rule.header = { name: h.name.toLowerCase() };
    if (h.value !== undefined) {
      if (typeof h.value !== "string") throw new TableError(`${field}.header.value`, "must be a string");
      rule.header.value = h.value;
    }
    if (h.regex !== undefined) rule.header.regex = regexSource(h.regex, `${field}.header.regex`);
  }
  if (
    rule.host === undefined &&
    rule.pathPrefix === undefined &&
    rule.pathRegex === undefined &&
    rule.header === undefined
  )
    throw new TableError(field, "needs at least one of host, pathPrefix, pathRegex, header");
  return rule;
}

function regexSource(v: unknown, field: string): string {
  if (typeof v !== "string" || v.length === 0 || v.length > 512)
    throw new TableError(field, "must be a regular expression of 1-512 characters");
  try {
    new RegExp(v);
  } catch (err) {
    throw new TableError(field, `is not a valid regular expression: ${(err as Error).message}`);
  }
  return v;
}

/** A canonical real server from a spec; `port` defaults to the service's port (ipvsadm does too). */
export function realServerOf(
  raw: unknown,
  field: string,
  svc: { family: 4 | 6; port?: number; forward: ForwardMethod },
): RealServer {
  if (!isObj(raw)) throw new TableError(field, "must be an object");
  noUnknownFields(raw, field, SERVER_SPEC_FIELDS);
  if (typeof raw.address !== "string")
    throw new TableError(`${field}.address`, "is required (an IP address)");
  const hp = splitHostPort(raw.address);
  const ip = hp ? canonicalIp(hp.host) : undefined;
  if (!hp || !ip)
    throw new TableError(`${field}.address`, `is not an IP address (got ${JSON.stringify(raw.address)})`);
  if (ip.family !== svc.family)
    throw new TableError(`${field}.address`, `is IPv${ip.family} but the service is IPv${svc.family}`);
  const portRaw = raw.port ?? hp.port ?? svc.port;
  if (portRaw === undefined) throw new TableError(`${field}.port`, "is required for a firewall-mark service");
  const forward =
    raw.forward === undefined ? svc.forward : oneOf(raw.forward, `${field}.forward`, FORWARD_METHODS);
  const upper =
    raw.upperThreshold === undefined
      ? 0
      : intIn(raw.upperThreshold, `${field}.upperThreshold`, 0, LIMITS.thresholdMax);
  const lower =
    raw.lowerThreshold === undefined
      ? 0
      : intIn(raw.lowerThreshold, `${field}.lowerThreshold`, 0, LIMITS.thresholdMax);
  if (upper > 0 && lower > upper)
    throw new TableError(`${field}.lowerThreshold`, `must not exceed upperThreshold (${upper})`);
  const pool = raw.pool ?? "";
  if (typeof pool !== "string" || !NAME.test(pool))
    throw new TableError(`${field}.pool`, "must be a pool name ([A-Za-z0-9._-], up to 64)");
  return {
    address: ip.ip,
    port: intIn(portRaw, `${field}.port`, 1, 65535),
    weight: raw.weight === undefined ? 1 : intIn(raw.weight, `${field}.weight`, 0, LIMITS.weightMax),
    forward,
    upperThreshold: upper,
    lowerThreshold: lower,
    maxConn: raw.maxConn === undefined ? 0 : intIn(raw.maxConn, `${field}.maxConn`, 0, LIMITS.thresholdMax),
    pool,
  };
}

export function compareServers(a: RealServer, b: RealServer): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : a.port - b.port;
}

/**
 * A canonical service from a spec. `base` (for an edit) supplies the fields the spec leaves out,
 * including its real servers.
 */
export function serviceOf(raw: unknown, field: string, base?: VirtualService): VirtualService {
  if (!isObj(raw)) throw new TableError(field, "must be an object");
  noUnknownFields(raw, field, [...SERVICE_SPEC_FIELDS, "key"]);
  const id = serviceIdentity(raw, field);
  const scheduler =
    raw.scheduler === undefined
      ? (base?.scheduler ?? "wlc")
      : oneOf(raw.scheduler, `${field}.scheduler`, SCHEDULERS);
  let schedFlags = base?.schedFlags ?? [];
  if (raw.schedFlags !== undefined) {
    if (!Array.isArray(raw.schedFlags)) throw new TableError(`${field}.schedFlags`, "must be a list");
    schedFlags = [
      ...new Set(raw.schedFlags.map((f, i) => oneOf(f, `${field}.schedFlags[${i}]`, SCHED_FLAGS))),
    ].sort();
  }
  const forward =
    raw.forward === undefined
      ? (base?.forward ?? "proxy")
      : oneOf(raw.forward, `${field}.forward`, FORWARD_METHODS);
  const mode =
    raw.mode === undefined ? (base?.mode ?? "l4") : oneOf(raw.mode, `${field}.mode`, SERVICE_MODES);
  if (mode === "http" && id.protocol !== "tcp")
    throw new TableError(`${field}.mode`, "http needs a tcp service with a vip and port");
  const persistence =
    raw.persistence === undefined
      ? base?.persistence
      : persistenceOf(raw.persistence, `${field}.persistence`, id.family);
  const maxConn =
    raw.maxConn === undefined
      ? (base?.maxConn ?? 0)
      : intIn(raw.maxConn, `${field}.maxConn`, 0, LIMITS.thresholdMax);
  let realServers = base?.realServers ?? [];
  if (raw.realServers !== undefined) {
    if (!Array.isArray(raw.realServers)) throw new TableError(`${field}.realServers`, "must be a list");
    if (raw.realServers.length > LIMITS.realServersPerService)
      throw new TableError(`${field}.realServers`, `at most ${LIMITS.realServersPerService} per service`);
    const seen = new Set<string>();
    realServers = raw.realServers.map((rs, i) => {
      const r = realServerOf(rs, `${field}.realServers[${i}]`, {
        family: id.family,
        ...(id.port ? { port: id.port } : {}),
        forward,
      });
      const k = `${r.address}|${r.port}`;
      if (seen.has(k))
        throw new TableError(`${field}.realServers[${i}]`, `duplicate real server ${r.address}:${r.port}`);
      seen.add(k);
      return r;
    });
    realServers.sort(compareServers);
  }
  const svc: VirtualService = {
    key: id.key,
    family: id.family,
    scheduler,
    schedFlags,
    forward,
    mode,
    maxConn,
    realServers,
  };
  if (id.protocol) svc.protocol = id.protocol;
  if (id.vip) svc.vip = id.vip;
  if (id.port) svc.port = id.port;
  if (id.fwmark) svc.fwmark = id.fwmark;
  if (persistence) svc.persistence = persistence;
  const httpRaw = raw.http === undefined ? base?.http : raw.http;
  if (mode === "http" && httpRaw) svc.http = httpOf(httpRaw, `${field}.http`, svc);
  else if (mode !== "http" && raw.http)
    throw new TableError(`${field}.http`, 'content rules need mode "http"');
  return svc;
}

export function httpOf(raw: unknown, field: string, svc: VirtualService): HttpSettings {
  if (!isObj(raw)) throw new TableError(field, "must be an object {rules, sorryServer}");
  noUnknownFields(raw, field, ["rules", "sorryServer"]);
  const pools = new Set(svc.realServers.map((r) => r.pool));
  const rulesRaw = raw.rules ?? [];
  if (!Array.isArray(rulesRaw)) throw new TableError(`${field}.rules`, "must be a list");
  if (rulesRaw.length > LIMITS.contentRules)
    throw new TableError(`${field}.rules`, `at most ${LIMITS.contentRules} rules`);
  const http: HttpSettings = { rules: rulesRaw.map((r, i) => ruleOf(r, `${field}.rules[${i}]`, pools)) };
  if (raw.sorryServer !== undefined) {
    const hp = typeof raw.sorryServer === "string" ? splitHostPort(raw.sorryServer) : undefined;
    const ip = hp ? canonicalIp(hp.host) : undefined;
    if (!hp || !ip || hp.port === undefined || hp.port < 1 || hp.port > 65535)
      throw new TableError(`${field}.sorryServer`, "must be IP:port");
    http.sorryServer = ip.family === 6 ? `[${ip.ip}]:${hp.port}` : `${ip.ip}:${hp.port}`;
  }
  return http;
}
