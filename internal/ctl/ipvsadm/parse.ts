// Parses an ipvsadm command line (ipvsadm 1.31 syntax: short options, bundles like "-Ln", long
// options with "=value" or a separate value) into one checked IpvsadmCommand, or a clear error.

// Differences from ipvsadm, all deliberate:
// - Addresses must be numeric (IPv4 dotted quad or IPv6); raftvsctl never resolves host names,
//   and ports must be numbers (no /etc/services names).
// - Services need a port 1-65535: the port-0 "all ports" service does not exist in raftvs (use a
//   firewall-mark service instead).
// - -P/--proxy is ours: the userspace proxy forwarding method.
// - -6 may come before or after -f; -M is read once the service's family is known.
// - Weights accept the table's full range (0..2^31-1), a superset of ipvsadm's 0..65535.
// - --sctp is accepted as another spelling of --sctp-service.
// - Commands or options that manage kernel-only state (-Z, --set, the sync daemon, one-packet
//   scheduling, persistence engines, GUE tunnels) are refused with an error that says so.

import { isIPv4, isIPv6 } from "node:net";
import {
  canonicalIp,
  type ForwardMethod,
  LIMITS,
  type Protocol,
  parseServiceKey,
  SCHEDULERS,
  type SchedFlag,
  type SchedulerName,
} from "../../state/services/index.ts";

export type CommandName =
  | "add-service"
  | "edit-service"
  | "delete-service"
  | "add-server"
  | "edit-server"
  | "delete-server"
  | "clear"
  | "list"
  | "save"
  | "restore"
  | "help";

/** The virtual service named by -t/-u/--sctp-service ADDRESS:PORT or -f MARK [-6]. */
export type ServiceRef =
  | { kind: "address"; key: string; protocol: Protocol; ip: string; family: 4 | 6; port: number }
  | { kind: "fwmark"; key: string; fwmark: number; family: 4 | 6 };

/** The real server named by -r ADDRESS[:PORT]; port undefined when not given. */
export interface ServerRef {
  ip: string;
  family: 4 | 6;
  port?: number;
}

/** Which listing -L prints; ipvsadm's precedence when several are given: stats, rate, thresholds, persistent-conn, tun-info. */
export type ListView = "default" | "stats" | "rate" | "thresholds" | "persistent-conn" | "tun-info";

export interface ListOptions {
  /** -n: accepted; raftvsctl always prints numeric addresses and ports. */
  numeric: boolean;
  /** -c: the connection table. */
  connection: boolean;
  view: ListView;
  /** --persistent-conn (it also changes the -c header). */
  persistentConn: boolean;
  /** --exact: counters in full instead of K/M/G/T. */
  exact: boolean;
  /** false with --nosort: services and servers in the table's own key order. */
  sort: boolean;
}

export interface IpvsadmCommand {
  command: CommandName;
  service?: ServiceRef;
  /** -s as given (the default, wlc, is applied when the ops are built). */
  scheduler?: SchedulerName;
  /** Present only with -p: the timeout, and the -M granularity when it is not the per-address default. */
  persistence?: { timeoutSec: number; netmask?: string; prefixLen?: number };
  /** -b, canonical: the sh-... and mh-... names for the sh and mh schedulers, flag-N for every other one. */
  schedFlags?: SchedFlag[];
  server?: ServerRef;
  /** -g dr, -i tun, -m nat, -P proxy (ours). */
  forward?: ForwardMethod;
  weight?: number;
  upperThreshold?: number;
  lowerThreshold?: number;
  list: ListOptions;
}

export interface ParseError {
  error: string;
}

/** ipvsadm's default persistence timeout for a bare -p (IPVS_SVC_PERSISTENT_TIMEOUT). */
export const DEFAULT_PERSISTENT_TIMEOUT = 300;
/** ipvsadm's default scheduler (DEF_SCHED). */
export const DEFAULT_SCHEDULER: SchedulerName = "wlc";

type OptionId =
  | "service-address"
  | "scheduler"
  | "persistent"
  | "netmask"
  | "real-server"
  | "forwarding-method"
  | "weight"
  | "u-threshold"
  | "l-threshold"
  | "numeric"
  | "connection"
  | "stats"
  | "rate"
  | "thresholds"
  | "persistent-conn"
  | "tun-info"
  | "nosort"
  | "exact"
  | "sched-flags"
  | "tun-type"
  | "ipv6";

type Arg = "none" | "required" | "optional";

type Spec =
  | { kind: "command"; command: CommandName; arg: "none" }
  | { kind: "option"; id: OptionId; arg: Arg; protocol?: Protocol | "fwmark"; forward?: ForwardMethod }
  | { kind: "noop"; arg: "none" }
  | { kind: "unsupported"; arg: Arg; why: string };

const cmd = (command: CommandName): Spec => ({ kind: "command", command, arg: "none" });
const opt = (id: OptionId, arg: Arg, extra: Partial<Extract<Spec, { kind: "option" }>> = {}): Spec => ({
  kind: "option",
  id,
  arg,
  ...extra,
});
const unsupported = (arg: Arg, why: string): Spec => ({ kind: "unsupported", arg, why });

const NO_KERNEL_TABLE = "raftvs keeps its table in the cluster, not in the kernel";

/** Every option of ipvsadm 1.31 (plus -P/--proxy), by long name; short letters in SHORT. */
const LONG: Record<string, Spec> = {
  "add-service": cmd("add-service"),
  "edit-service": cmd("edit-service"),
  "delete-service": cmd("delete-service"),
  "add-server": cmd("add-server"),
  "edit-server": cmd("edit-server"),
  "delete-server": cmd("delete-server"),
  clear: cmd("clear"),
  list: cmd("list"),
  save: cmd("save"),
  restore: cmd("restore"),
  help: cmd("help"),
  zero: unsupported("none", `zeroing counters (-Z) is not supported: ${NO_KERNEL_TABLE}`),
  set: unsupported("none", `--set (connection timeouts) is not supported: ${NO_KERNEL_TABLE}`),
  "start-daemon": unsupported(
    "required",
    "the connection sync daemon is not supported: Raft replicates the table",
  ),
  "stop-daemon": unsupported(
    "required",
    "the connection sync daemon is not supported: Raft replicates the table",
  ),
  version: unsupported(
    "none",
    "-v is not supported: this is raftvsctl's ipvsadm-compatible mode, not ipvsadm",
  ),
  "tcp-service": opt("service-address", "required", { protocol: "tcp" }),
  "udp-service": opt("service-address", "required", { protocol: "udp" }),
  "sctp-service": opt("service-address", "required", { protocol: "sctp" }),
  sctp: opt("service-address", "required", { protocol: "sctp" }),
  "fwmark-service": opt("service-address", "required", { protocol: "fwmark" }),
  scheduler: opt("scheduler", "required"),
  persistent: opt("persistent", "optional"),
  netmask: opt("netmask", "required"),
  "real-server": opt("real-server", "required"),
  gatewaying: opt("forwarding-method", "none", { forward: "dr" }),
  ipip: opt("forwarding-method", "none", { forward: "tun" }),
  masquerading: opt("forwarding-method", "none", { forward: "nat" }),
  proxy: opt("forwarding-method", "none", { forward: "proxy" }),
  weight: opt("weight", "required"),
  "u-threshold": opt("u-threshold", "required"),
  "l-threshold": opt("l-threshold", "required"),
  numeric: opt("numeric", "none"),
  connection: opt("connection", "none"),
  stats: opt("stats", "none"),
  rate: opt("rate", "none"),
  thresholds: opt("thresholds", "none"),
  "persistent-conn": opt("persistent-conn", "none"),
  "tun-info": opt("tun-info", "none"),
  nosort: opt("nosort", "none"),
  sort: { kind: "noop", arg: "none" },
  exact: opt("exact", "none"),
  ipv6: opt("ipv6", "none"),
  "sched-flags": opt("sched-flags", "required"),
  "tun-type": opt("tun-type", "required"),
  ops: unsupported("none", "one-packet scheduling (-o/--ops) is not supported"),
  pe: unsupported("required", "persistence engines (--pe) are not supported"),
  "tun-port": unsupported(
    "required",
    "GUE tunnels (--tun-port) are not supported; raftvs tunnels are IP-in-IP",
  ),
  "tun-nocsum": unsupported(
    "none",
    "GUE tunnels (--tun-nocsum) are not supported; raftvs tunnels are IP-in-IP",
  ),
  "tun-csum": unsupported("none", "GUE tunnels (--tun-csum) are not supported; raftvs tunnels are IP-in-IP"),
  "tun-remcsum": unsupported(
    "none",
    "GUE tunnels (--tun-remcsum) are not supported; raftvs tunnels are IP-in-IP",
  ),
  timeout: unsupported("none", `--timeout is not supported: ${NO_KERNEL_TABLE}`),
  daemon: unsupported(
    "none",
    "--daemon is not supported: there is no sync daemon, Raft replicates the table",
  ),
  "mcast-interface": unsupported("required", "sync daemon options (--mcast-interface) are not supported"),
  "mcast-group": unsupported("required", "sync daemon options (--mcast-group) are not supported"),
  "mcast-port": unsupported("required", "sync daemon options (--mcast-port) are not supported"),
  "mcast-ttl": unsupported("required", "sync daemon options (--mcast-ttl) are not supported"),
  "sync-maxlen": unsupported("required", "sync daemon options (--sync-maxlen) are not supported"),
  syncid: unsupported("required", "sync daemon options (--syncid) are not supported"),
};

const SHORT: Record<string, string> = {
  A: "add-service",
  E: "edit-service",
  D: "delete-service",
  a: "add-server",
  e: "edit-server",
  d: "delete-server",
  C: "clear",
  L: "list",
  l: "list",
  S: "save",
  R: "restore",
  h: "help",
  Z: "zero",
  v: "version",
  t: "tcp-service",
  u: "udp-service",
  f: "fwmark-service",
  s: "scheduler",
  p: "persistent",
  M: "netmask",
  r: "real-server",
  g: "gatewaying",
  i: "ipip",
  m: "masquerading",
  P: "proxy",
  w: "weight",
  x: "u-threshold",
  y: "l-threshold",
  n: "numeric",
  c: "connection",
  X: "exact",
  "6": "ipv6",
  o: "ops",
  b: "sched-flags",
};

const COMMAND_FLAG: Record<CommandName, string> = {
  "add-service": "-A",
  "edit-service": "-E",
  "delete-service": "-D",
  "add-server": "-a",
  "edit-server": "-e",
  "delete-server": "-d",
  clear: "-C",
  list: "-L",
  save: "-S",
  restore: "-R",
  help: "-h",
};

const OPTION_LABEL: Record<OptionId, string> = {
  "service-address": "-t/-u/--sctp-service/-f (the virtual service)",
  scheduler: "-s",
  persistent: "-p",
  netmask: "-M",
  "real-server": "-r",
  "forwarding-method": "-g/-i/-m/-P",
  weight: "-w",
  "u-threshold": "-x",
  "l-threshold": "-y",
  numeric: "-n",
  connection: "-c",
  stats: "--stats",
  rate: "--rate",
  thresholds: "--thresholds",
  "persistent-conn": "--persistent-conn",
  "tun-info": "--tun-info",
  nosort: "--nosort",
  exact: "--exact",
  "sched-flags": "-b",
  "tun-type": "--tun-type",
  ipv6: "-6",
};

/** Which options each command needs and allows (after ipvsadm's commands_v_options table). */
const RULES: Record<Exclude<CommandName, "help">, { needs: OptionId[]; allows: OptionId[] }> = {
  "add-service": {
    needs: ["service-address"],
    allows: ["scheduler", "persistent", "netmask", "sched-flags"],
  },
  "edit-service": {
    needs: ["service-address"],
    allows: ["scheduler", "persistent", "netmask", "sched-flags"],
  },
  "delete-service": { needs: ["service-address"], allows: [] },
  "add-server": {
    needs: ["service-address", "real-server"],
    allows: ["forwarding-method", "weight", "u-threshold", "l-threshold", "tun-type"],
  },
  "edit-server": {
    needs: ["service-address", "real-server"],
    allows: ["forwarding-method", "weight", "u-threshold", "l-threshold", "tun-type"],
  },
  "delete-server": { needs: ["service-address", "real-server"], allows: [] },
  clear: { needs: [], allows: [] },
  list: {
    needs: [],
    allows: [
      "service-address",
      "numeric",
      "connection",
      "stats",
      "rate",
      "thresholds",
      "persistent-conn",
      "tun-info",
      "nosort",
      "exact",
    ],
  },
  save: { needs: [], allows: ["numeric"] },
  restore: { needs: [], allows: [] },
};

interface Seen {
  spelling: string;
  value: string | undefined;
  spec: Extract<Spec, { kind: "option" }>;
}

class Usage extends Error {}

function fail(message: string): never {
  throw new Usage(message);
}

/** Parses one ipvsadm command line (argv without the program name). */
export function parseIpvsadmArgs(argv: readonly string[]): IpvsadmCommand | ParseError {
  try {
    return parse(argv);
  } catch (err) {
    if (err instanceof Usage) return { error: err.message };
    throw err;
  }
}

function parse(argv: readonly string[]): IpvsadmCommand {
  let command: { name: CommandName; spelling: string } | undefined;
  let help = false;
  const seen = new Map<OptionId, Seen>();

  const take = (spec: Spec, spelling: string, value: string | undefined): void => {
    switch (spec.kind) {
      case "noop":
        return;
      case "unsupported":
        fail(spec.why);
        return;
      case "command":
        if (spec.command === "help") {
          help = true;
          return;
        }
        if (command)
          fail(`more than one command given (${command.spelling} and ${spelling}); give exactly one`);
        command = { name: spec.command, spelling };
        return;
      case "option": {
        const before = seen.get(spec.id);
        if (before) fail(`${spelling} given twice (${OPTION_LABEL[spec.id]} may appear once)`);
        seen.set(spec.id, { spelling, value, spec });
      }
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const next = (): string | undefined => argv[i + 1];
    if (token.startsWith("--") && token.length > 2) {
      const eq = token.indexOf("=");
      const name = eq < 0 ? token.slice(2) : token.slice(2, eq);
      const inline = eq < 0 ? undefined : token.slice(eq + 1);
      const spec = LONG[name];
      if (!spec) fail(`unknown option --${name}`);
      const spelling = `--${name}`;
      let value: string | undefined;
      if (spec.arg === "none") {
        if (inline !== undefined) fail(`${spelling} takes no value (got ${JSON.stringify(inline)})`);
      } else if (inline !== undefined) value = inline;
      else if (spec.arg === "required") {
        value = next();
        if (value === undefined) fail(`${spelling} needs a value`);
        i++;
      } else {
        const n = next();
        if (n !== undefined && !n.startsWith("-")) {
          value = n;
          i++;
        }
      }
      take(spec, spelling, value);
    } else if (token.startsWith("-") && token.length > 1 && token !== "--") {
      // A bundle of short options ("-Ln", "-At"); an option with a value takes the rest of the
      // bundle as its value, or else the next argument.
      for (let j = 1; j < token.length; j++) {
        const letter = token[j]!;
        const long = SHORT[letter];
        if (!long) fail(`unknown option -${letter}${token.length > 2 ? ` (in ${token})` : ""}`);
        const spec = LONG[long]!;
        const spelling = `-${letter}`;
        if (spec.arg === "none") {
          take(spec, spelling, undefined);
          continue;
        }
        const rest = token.slice(j + 1);
        let value: string | undefined;
        if (rest !== "") value = rest;
        else if (spec.arg === "required") {
          value = next();
          if (value === undefined) fail(`${spelling} needs a value`);
          i++;
        } else {
          const n = next();
          if (n !== undefined && !n.startsWith("-")) {
            value = n;
            i++;
          }
        }
        take(spec, spelling, value);
        break;
      }
    } else {
      fail(`unexpected argument ${JSON.stringify(token)}`);
    }
  }

  const list: ListOptions = {
    numeric: seen.has("numeric"),
    connection: seen.has("connection"),
    view: seen.has("stats")
      ? "stats"
      : seen.has("rate")
        ? "rate"
        : seen.has("thresholds")
          ? "thresholds"
          : seen.has("persistent-conn")
            ? "persistent-conn"
            : seen.has("tun-info")
              ? "tun-info"
              : "default",
    persistentConn: seen.has("persistent-conn"),
    exact: seen.has("exact"),
    sort: !seen.has("nosort"),
  };
  if (help) return { command: "help", list };
  if (!command) fail("no command given: use one of -A -E -D -a -e -d -C -L -S -R (or -h for the usage)");

  const name = command.name as Exclude<CommandName, "help">;
  const rules = RULES[name];
  const flag = `${COMMAND_FLAG[name]} (--${name === "list" ? "list" : name})`;
  for (const id of rules.needs)
    if (!seen.has(id))
      fail(
        id === "real-server"
          ? `${flag} needs a real server: -r ADDRESS[:PORT]`
          : `${flag} needs a virtual service: -t|-u|--sctp-service ADDRESS:PORT or -f FWMARK`,
      );
  for (const [id, s] of seen)
    if (id !== "ipv6" && !rules.needs.includes(id) && !rules.allows.includes(id))
      fail(`${s.spelling} cannot be used with ${flag}`);
  if (name === "list") {
    if (seen.has("connection") && seen.has("service-address"))
      fail(`${seen.get("connection")!.spelling} (the connection table) cannot be combined with a service`);
    const table = ["stats", "rate", "thresholds"].find((id) => seen.has(id as OptionId)) as
      | OptionId
      | undefined;
    if (seen.has("connection") && table)
      fail(`${seen.get("connection")!.spelling} cannot be combined with ${seen.get(table)!.spelling}`);
  }

  const out: IpvsadmCommand = { command: name, list };
  const svcSeen = seen.get("service-address");
  if (seen.has("ipv6") && svcSeen?.spec.protocol !== "fwmark")
    fail("-6 (--ipv6) applies only to a firewall-mark service (-f FWMARK)");
  if (svcSeen) out.service = serviceOf(svcSeen, seen.has("ipv6"));

  const sched = seen.get("scheduler");
  if (sched) out.scheduler = schedulerOf(sched);

  const persistent = seen.get("persistent");
  const netmask = seen.get("netmask");
  const granularity = netmask && out.service ? granularityOf(netmask, out.service.family) : undefined;
  // ipvsadm accepts -M without -p and ignores it (the mask only matters for a persistent service).
  if (persistent) out.persistence = { timeoutSec: timeoutOf(persistent), ...granularity };

  const flags = seen.get("sched-flags");
  if (flags) out.schedFlags = schedFlagsOf(flags, out.scheduler ?? DEFAULT_SCHEDULER);

  const server = seen.get("real-server");
  if (server && out.service) out.server = serverOf(server, out.service);

  const forward = seen.get("forwarding-method");
  if (forward) out.forward = forward.spec.forward!;
  const tunType = seen.get("tun-type");
  if (tunType) {
    if (tunType.value !== "ipip")
      fail(
        tunType.value === "gue"
          ? "GUE tunnels (--tun-type gue) are not supported; raftvs tunnels are IP-in-IP"
          : `${tunType.spelling} must be ipip (got ${JSON.stringify(tunType.value)})`,
      );
    if (out.forward !== "tun") fail(`${tunType.spelling} needs the tunnelling method -i (--ipip)`);
  }

  const weight = seen.get("weight");
  if (weight) out.weight = intOf(weight, 0, LIMITS.weightMax, "weight");
  const upper = seen.get("u-threshold");
  if (upper) out.upperThreshold = intOf(upper, 0, LIMITS.thresholdMax, "upper connection threshold");
  const lower = seen.get("l-threshold");
  if (lower) out.lowerThreshold = intOf(lower, 0, LIMITS.thresholdMax, "lower connection threshold");
  const u = out.upperThreshold ?? 0;
  const l = out.lowerThreshold ?? 0;
  if (u > 0 && l > u)
    fail(
      `${lower!.spelling} ${l} (lower threshold) must not exceed ${upper!.spelling} ${u} (upper threshold)`,
    );
  return out;
}

function intOf(s: Seen, min: number, max: number, what: string): number {
  const v = s.value ?? "";
  if (!/^\d{1,10}$/.test(v) || Number(v) < min || Number(v) > max)
    fail(`${s.spelling}: the ${what} must be an integer in ${min}..${max} (got ${JSON.stringify(v)})`);
  return Number(v);
}

const HOST_NAME = /^(?=.*[A-Za-z])[A-Za-z0-9.-]+$/;

/** The IP of "ADDR", with a message naming what is wrong (host names are refused, not resolved). */
function ipOf(host: string, spelling: string, raw: string): { ip: string; family: 4 | 6 } {
  if (host.includes("%"))
    fail(`${spelling} ${raw}: IPv6 zone indexes (%...) are not supported; give a global address`);
  if (isIPv4(host) || isIPv6(host)) return canonicalIp(host)!;
  if (HOST_NAME.test(host))
    fail(
      `${spelling} ${raw}: ${JSON.stringify(host)} is a host name; raftvsctl needs a numeric IPv4 or IPv6 address (it never resolves names)`,
    );
  fail(`${spelling} ${raw}: ${JSON.stringify(host)} is not an IPv4 or IPv6 address`);
}

/** Splits "ADDR[:PORT]" / "[V6]:PORT" / a bare IPv6 address the way ipvsadm's parse_service does. */
function splitAddress(raw: string, spelling: string): { host: string; port: string | undefined } {
  if (raw.startsWith("[")) {
    const m = /^\[([^\]]*)\]:(.*)$/.exec(raw);
    if (!m)
      fail(`${spelling} ${raw}: a bracketed IPv6 address must be followed by :PORT, as in [2001:db8::1]:80`);
    return { host: m[1]!, port: m[2]! };
  }
  if (isIPv6(raw)) return { host: raw, port: undefined };
  const colon = raw.lastIndexOf(":");
  if (colon < 0) return { host: raw, port: undefined };
  if (raw.indexOf(":") !== colon)
    fail(`${spelling} ${raw}: write an IPv6 address with a port as [ADDRESS]:PORT`);
  return { host: raw.slice(0, colon), port: raw.slice(colon + 1) };
}

function portOf(port: string, spelling: string, raw: string): number {
  if (/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) return Number(port);
  if (/^\d+$/.test(port)) {
    if (Number(port) === 0)
      fail(
        `${spelling} ${raw}: port 0 is not supported (raftvs has no all-ports service; use a firewall-mark service, -f)`,
      );
    fail(`${spelling} ${raw}: the port must be in 1..65535`);
  }
  if (/^[A-Za-z][A-Za-z0-9_-]*$/.test(port))
    fail(`${spelling} ${raw}: ${JSON.stringify(port)} is a service name; give the port number`);
  fail(`${spelling} ${raw}: ${JSON.stringify(port)} is not a port number`);
}

function serviceOf(s: Seen, ipv6: boolean): ServiceRef {
  const raw = s.value ?? "";
  if (s.spec.protocol === "fwmark") {
    if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > LIMITS.fwmarkMax)
      fail(
        `${s.spelling}: the firewall mark must be an integer in 1..${LIMITS.fwmarkMax} (got ${JSON.stringify(raw)})`,
      );
    const fwmark = Number(raw);
    const family = ipv6 ? 6 : 4;
    return {
      kind: "fwmark",
      key: parseServiceKey(`${family === 6 ? "fwm6" : "fwm"}/${fwmark}`)!,
      fwmark,
      family,
    };
  }
  if (/^\d+$/.test(raw)) fail(`${s.spelling} ${raw}: expected ADDRESS:PORT (for a firewall mark use -f)`);
  const { host, port } = splitAddress(raw, s.spelling);
  const ip = ipOf(host, s.spelling, raw);
  if (port === undefined)
    fail(`${s.spelling} ${raw}: the virtual service needs a port (ADDRESS:PORT, or [IPV6]:PORT)`);
  const p = portOf(port, s.spelling, raw);
  const protocol = s.spec.protocol as Protocol;
  const key = parseServiceKey(`${protocol}/${ip.family === 6 ? `[${ip.ip}]` : ip.ip}:${p}`)!;
  return { kind: "address", key, protocol, ip: ip.ip, family: ip.family, port: p };
}

function serverOf(s: Seen, svc: ServiceRef): ServerRef {
  const raw = s.value ?? "";
  if (/^\d+$/.test(raw)) fail(`${s.spelling} ${raw}: expected ADDRESS[:PORT]`);
  const { host, port } = splitAddress(raw, s.spelling);
  const ip = ipOf(host, s.spelling, raw);
  if (ip.family !== svc.family)
    fail(
      `${s.spelling} ${raw}: the real server is IPv${ip.family} but the service is IPv${svc.family} (raftvs needs one family per service)`,
    );
  return port === undefined ? ip : { ...ip, port: portOf(port, s.spelling, raw) };
}

function schedulerOf(s: Seen): SchedulerName {
  const v = s.value ?? "";
  if (!(SCHEDULERS as readonly string[]).includes(v))
    fail(`${s.spelling}: unknown scheduler ${JSON.stringify(v)} (one of ${SCHEDULERS.join(", ")})`);
  return v as SchedulerName;
}

function timeoutOf(s: Seen): number {
  if (s.value === undefined) return DEFAULT_PERSISTENT_TIMEOUT;
  return intOf(s, 1, LIMITS.persistenceTimeoutMax, "persistence timeout in seconds");
}

function granularityOf(s: Seen, family: 4 | 6): { netmask?: string; prefixLen?: number } {
  const v = s.value ?? "";
  if (family === 6) {
    if (!/^\d{1,3}$/.test(v) || Number(v) < 1 || Number(v) > 128)
      fail(
        `${s.spelling}: an IPv6 service's persistence granularity is a prefix length 1..128 (got ${JSON.stringify(v)})`,
      );
    // 128 (one client address) is ipvsadm's default and is not stored.
    return Number(v) === 128 ? {} : { prefixLen: Number(v) };
  }
  const n = isIPv4(v) ? v.split(".").reduce((acc, o) => acc * 256 + Number(o), 0) : -1;
  const inverted = 0xffffffff - n;
  if (n < 0 || (inverted & (inverted + 1)) !== 0)
    fail(
      `${s.spelling}: expected a dotted netmask with contiguous ones like 255.255.255.0 (got ${JSON.stringify(v)})`,
    );
  // 255.255.255.255 (one client address) is ipvsadm's default and is not stored.
  return v === "255.255.255.255" ? {} : { netmask: v };
}

/** The three IPVS scheduler flag bits and their names per scheduler (ipvsadm's parse/print_sched_flags). */
export function schedFlagNames(scheduler: string): [SchedFlag, SchedFlag, SchedFlag] {
  if (scheduler === "sh") return ["sh-fallback", "sh-port", "flag-3"];
  if (scheduler === "mh") return ["mh-fallback", "mh-port", "flag-3"];
  return ["flag-1", "flag-2", "flag-3"];
}

/** The bit (0..2) a flag name sets, whatever the scheduler. */
export function schedFlagBit(flag: string): number | undefined {
  switch (flag) {
    case "flag-1":
    case "sh-fallback":
    case "mh-fallback":
      return 0;
    case "flag-2":
    case "sh-port":
    case "mh-port":
      return 1;
    case "flag-3":
      return 2;
    default:
      return undefined;
  }
}

function schedFlagsOf(s: Seen, scheduler: SchedulerName): SchedFlag[] {
  const bits = new Set<number>();
  for (const flag of (s.value ?? "").split(",")) {
    const bit = schedFlagBit(flag);
    if (bit === undefined)
      fail(
        `${s.spelling}: unknown scheduler flag ${JSON.stringify(flag)} (flag-1, flag-2, flag-3, sh-fallback, sh-port, mh-fallback, mh-port)`,
      );
    const family = flag.startsWith("sh-") ? "sh" : flag.startsWith("mh-") ? "mh" : undefined;
    if (family && family !== scheduler)
      fail(`${s.spelling}: the flag ${flag} needs the ${family} scheduler (this service's is ${scheduler})`);
    bits.add(bit);
  }
  const names = schedFlagNames(scheduler);
  return [...bits].sort().map((b) => names[b]!);
}

/** ipvsadm-mode usage text. */
export const IPVSADM_USAGE = `usage (ipvsadm-compatible mode, ipvsadm 1.31 syntax):
  raftvsctl -A|-E SERVICE [-s SCHEDULER] [-p [TIMEOUT]] [-M NETMASK] [-b FLAG,...]
  raftvsctl -D SERVICE
  raftvsctl -a|-e SERVICE -r SERVER[:PORT] [-g|-i|-m|-P] [-w WEIGHT] [-x UPPER] [-y LOWER]
  raftvsctl -d SERVICE -r SERVER[:PORT]
  raftvsctl -C
  raftvsctl -L|-l [SERVICE] [-n] [-c] [--stats|--rate|--thresholds|--persistent-conn|--tun-info]
            [--exact] [--sort|--nosort]
  raftvsctl -S [-n]
  raftvsctl -R < RULES          (rules in -S format, applied as one all-or-nothing change)

SERVICE is -t|--tcp-service, -u|--udp-service or --sctp-service ADDRESS:PORT, or
-f|--fwmark-service MARK [-6]. Addresses are numeric (IPv4, or IPv6 as [ADDRESS]:PORT): host and
service names are never resolved, so -L prints the same numeric output with or without -n.

Forwarding methods: -g|--gatewaying (direct routing; the default for -a, as in ipvsadm),
-i|--ipip (IP-in-IP tunnel), -m|--masquerading (NAT), -P|--proxy (raftvs's userspace proxy).

As in ipvsadm, -E and -e set every setting they carry: -E without -s means wlc, without -p means
not persistent, without -b means no scheduler flags; -e without -w means weight 1, without a
method means -g, without -x/-y means no thresholds. With -g or -i the real server keeps the
service's port. -S adds -x/-y to real servers that have thresholds (ipvsadm drops them).`;
