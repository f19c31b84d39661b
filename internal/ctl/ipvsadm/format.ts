// Renders the virtual-service table in ipvsadm 1.31's own layouts (-L -n, --stats, --rate,
// --thresholds, --persistent-conn, --tun-info, -c, -S) so that scripts parsing ipvsadm keep working.

// Every layout reproduces a printf format of ipvsadm.c (1.31); each function names the format it
// follows. Counters come from the dataplane when it reports them; when absent they print as zero,
// exactly as ipvsadm prints a service with zero counters. Addresses are always numeric: raftvsctl
// never resolves names, so -L and -L -n print the same text.

import {
  type ForwardMethod,
  hostPort,
  type Protocol,
  type RealServer,
  type VirtualService,
} from "../../state/services/index.ts";
import type { ListView } from "./parse.ts";
import { schedFlagBit, schedFlagNames } from "./parse.ts";

/** One service's or real server's counters (IPVS's names); absent ones are zero. */
export interface Counters {
  conns: number | bigint;
  inPkts: number | bigint;
  outPkts: number | bigint;
  inBytes: number | bigint;
  outBytes: number | bigint;
  cps: number | bigint;
  inPps: number | bigint;
  outPps: number | bigint;
  inBps: number | bigint;
  outBps: number | bigint;
  activeConns: number | bigint;
  inactConns: number | bigint;
  persistConns: number | bigint;
}

/** Counters by service key, and by serverStatsKey() for real servers. */
export interface TableStats {
  services?: ReadonlyMap<string, Partial<Counters>>;
  servers?: ReadonlyMap<string, Partial<Counters>>;
}

export function serverStatsKey(serviceKey: string, address: string, port: number): string {
  return `${serviceKey} ${hostPort(address, port)}`;
}

export interface ListFormat {
  view: ListView;
  exact: boolean;
  /** ipvsadm's sort (the default); false for --nosort (the table's key order). */
  sort: boolean;
}

/** ipvsadm's "IP Virtual Server version %d.%d.%d (size=%d)" with the kernel's usual values. */
export const VERSION_LINE = "IP Virtual Server version 1.2.1 (size=4096)";

// %-Ns and %Ns.
const left = (s: string | number | bigint, w: number): string => String(s).padEnd(w);
const right = (s: string | number | bigint, w: number): string => String(s).padStart(w);

function count(v: number | bigint | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === "bigint") return v < 0n ? 0n : v;
  return Number.isFinite(v) && v > 0 ? BigInt(Math.floor(v)) : 0n;
}

/**
 * ipvsadm's print_largenum: "%9llu" below 100 million, then "%8llu" of thousands/millions/
 * billions/trillions with a K/M/G/T suffix; with --exact, "%*llu" with width max(9, digits + 1).
 */
export function largeNumber(value: number | bigint, exact: boolean): string {
  const v = count(value);
  const s = v.toString();
  if (exact) return right(s, s.length <= 8 ? 9 : s.length + 1);
  if (v < 100_000_000n) return right(s, 9);
  if (v < 1_000_000_000n) return `${right(v / 1_000n, 8)}K`;
  if (v < 100_000_000_000n) return `${right(v / 1_000_000n, 8)}M`;
  if (v < 100_000_000_000_000n) return `${right(v / 1_000_000_000n, 8)}G`;
  return `${right(v / 1_000_000_000_000n, 8)}T`;
}

const PROTOCOL_NAME: Record<Protocol, string> = { tcp: "TCP", udp: "UDP", sctp: "SCTP" };
const PROTOCOL_SWITCH: Record<Protocol, string> = { tcp: "-t", udp: "-u", sctp: "--sctp-service" };
const PROTOCOL_NUMBER: Record<Protocol, number> = { tcp: 6, udp: 17, sctp: 132 };
/** fwd_name(): ipvsadm's Forward column; "Proxy" is ours. */
const FORWARD_NAME: Record<ForwardMethod, string> = {
  dr: "Route",
  nat: "Masq",
  tun: "Tunnel",
  proxy: "Proxy",
};
/** fwd_switch(): the -S switch of a forwarding method; -P is ours. */
const FORWARD_SWITCH: Record<ForwardMethod, string> = { dr: "-g", nat: "-m", tun: "-i", proxy: "-P" };

/**
 * The service column. Listing: sprintf("%-4s %s", "TCP", "VIP:PORT"), cut at 33 characters for
 * IPv4, or "FWM  %d" / "FWM  %d IPv6". Rules (-S): "-t VIP:PORT" ("-u", "--sctp-service"), or
 * "-f %d" / "-f %d -6".
 */
function serviceName(svc: VirtualService, rule: boolean): string {
  if (svc.fwmark !== undefined) {
    if (rule) return svc.family === 6 ? `-f ${svc.fwmark} -6` : `-f ${svc.fwmark}`;
    return svc.family === 6 ? `FWM  ${svc.fwmark} IPv6` : `FWM  ${svc.fwmark}`;
  }
  const protocol = svc.protocol ?? "tcp";
  const addr = hostPort(svc.vip!, svc.port!);
  if (rule) return `${PROTOCOL_SWITCH[protocol]} ${addr}`;
  const name = `${left(PROTOCOL_NAME[protocol], 4)} ${addr}`;
  return svc.family === 6 ? name : name.slice(0, 33);
}

/** The real-server column: "%s:%u" or "[%s]:%u", cut at 28 characters for IPv4 in listings. */
function serverName(rs: RealServer, family: 4 | 6, rule: boolean): string {
  const name = hostPort(rs.address, rs.port);
  return rule || family === 6 ? name : name.slice(0, 28);
}

/** print_sched_flags: the set flag bits, named for the scheduler, comma-separated. */
function schedFlagsText(svc: VirtualService): string {
  const bits = new Set(svc.schedFlags.map(schedFlagBit).filter((b) => b !== undefined));
  const names = schedFlagNames(svc.scheduler);
  // ipvsadm names only two bits for sh and mh (and would print "()" for flag-3 alone); we name all three.
  return [0, 1, 2]
    .filter((b) => bits.has(b))
    .map((b) => names[b])
    .join(",");
}

/** IPv4 as one number, IPv6 as eight 16-bit groups: ipvsadm compares addresses numerically. */
function addressWords(ip: string): number[] {
  if (!ip.includes(":")) return [ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0)];
  let text = ip;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1]!.split(".").map(Number);
    tail.push(o[0]! * 256 + o[1]!, o[2]! * 256 + o[3]!);
    text = text.slice(0, -v4[1]!.length);
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
  }
  const groups = (part: string): number[] =>
    part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16));
  if (!text.includes("::")) return [...groups(text), ...tail];
  const [head, rest] = text.split("::") as [string, string];
  const l = groups(head);
  const r = [...groups(rest), ...tail];
  return [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
}

function compareWords(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * libipvs's ipvs_cmp_services: firewall mark (address services, mark 0, first), address family
 * (IPv4 before IPv6), protocol number (TCP 6, UDP 17, SCTP 132), address, port. libipvs subtracts
 * unsigned 32-bit words into an int, which misorders addresses more than 2^31 apart (its order is
 * then not even consistent); we compare the same keys without that overflow.
 */
export function compareServices(a: VirtualService, b: VirtualService): number {
  return (
    (a.fwmark ?? 0) - (b.fwmark ?? 0) ||
    a.family - b.family ||
    (a.protocol ? PROTOCOL_NUMBER[a.protocol] : 6) - (b.protocol ? PROTOCOL_NUMBER[b.protocol] : 6) ||
    compareWords(addressWords(a.vip ?? "0.0.0.0"), addressWords(b.vip ?? "0.0.0.0")) ||
    (a.port ?? 0) - (b.port ?? 0)
  );
}

/** libipvs's ipvs_cmp_dests: address, then port (the same overflow caveat). */
export function compareServers(a: RealServer, b: RealServer): number {
  return compareWords(addressWords(a.address), addressWords(b.address)) || a.port - b.port;
}

function ordered(services: readonly VirtualService[], sort: boolean): VirtualService[] {
  const list = services.map((s) =>
    sort ? { ...s, realServers: [...s.realServers].sort(compareServers) } : s,
  );
  return sort ? list.sort(compareServices) : list;
}

/**
 * print_title: "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n" for --stats and --rate,
 * "%-33s %-10s %-10s %-10s %-10s\n..." for --thresholds, "%-33s %-9s %-11s %-10s %-10s\n..." for
 * --persistent-conn, and two fixed lines for the default and --tun-info listings.
 */
function title(view: ListView): string {
  const prot = left("Prot LocalAddress:Port", 33);
  const remote = "  -> RemoteAddress:Port\n";
  switch (view) {
    case "stats":
      return `${prot} ${["Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"].map((h) => right(h, 8)).join(" ")}\n${remote}`;
    case "rate":
      return `${prot} ${["CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"].map((h) => right(h, 8)).join(" ")}\n${remote}`;
    case "thresholds":
      return `${prot} ${["Uthreshold", "Lthreshold", "ActiveConn", "InActConn"].map((h) => left(h, 10)).join(" ")}\n${remote}`;
    case "persistent-conn":
      return `${prot} ${left("Weight", 9)} ${left("PersistConn", 11)} ${left("ActiveConn", 10)} ${left("InActConn", 10)}\n${remote}`;
    case "tun-info":
      return (
        "Prot LocalAddress:Port Scheduler Flags\n" +
        "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n"
      );
    default:
      return (
        "Prot LocalAddress:Port Scheduler Flags\n" +
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
      );
  }
}

/**
 * print_service_entry's service line. --stats: "%-33s" and five print_largenum (Conns InPkts
 * OutPkts InBytes OutBytes); --rate: "%-33s" and five print_largenum (CPS InPPS OutPPS InBPS
 * OutBPS); otherwise "%s %s" (name, scheduler), then " (%s)" scheduler flags, " persistent %u",
 * " mask %s" (an IPv4 mask other than 255.255.255.255) or " mask %i" (an IPv6 prefix other than 128).
 */
function serviceLine(svc: VirtualService, f: ListFormat, c: Partial<Counters>): string {
  const name = serviceName(svc, false);
  const big = (v: number | bigint | undefined): string => largeNumber(count(v), f.exact);
  if (f.view === "stats")
    return left(name, 33) + big(c.conns) + big(c.inPkts) + big(c.outPkts) + big(c.inBytes) + big(c.outBytes);
  if (f.view === "rate")
    return left(name, 33) + big(c.cps) + big(c.inPps) + big(c.outPps) + big(c.inBps) + big(c.outBps);
  let line = `${name} ${svc.scheduler}`;
  const flags = schedFlagsText(svc);
  if (flags) line += ` (${flags})`;
  const p = svc.persistence;
  if (p) {
    line += ` persistent ${p.timeoutSec}`;
    if (svc.family === 4 && p.netmask !== undefined && p.netmask !== "255.255.255.255")
      line += ` mask ${p.netmask}`;
    if (svc.family === 6 && p.prefixLen !== undefined && p.prefixLen !== 128) line += ` mask ${p.prefixLen}`;
  }
  return line;
}

/**
 * print_service_entry's real-server line, always starting "  -> %-28s" (the address). Then:
 * --stats: five print_largenum; --rate: " %8llu %8llu %8llu" (CPS InPPS OutPPS) and two
 * print_largenum (InBPS OutBPS); --thresholds: " %-10u %-10u %-10u %-10u" (Uthreshold Lthreshold
 * ActiveConn InActConn); --persistent-conn: " %-9u %-11u %-10u %-10u" (Weight PersistConn
 * ActiveConn InActConn); --tun-info: " %-7s %-13s %-6d %-10u %-10u" (Forward TunnelInfo Weight
 * ActiveConn InActConn); default: " %-7s %-6d %-10u %-10u" (Forward Weight ActiveConn InActConn).
 * The left-aligned formats leave trailing blanks, as ipvsadm's output has.
 */
function serverLine(rs: RealServer, family: 4 | 6, f: ListFormat, c: Partial<Counters>): string {
  const head = `  -> ${left(serverName(rs, family, false), 28)}`;
  const big = (v: number | bigint | undefined): string => largeNumber(count(v), f.exact);
  const active = count(c.activeConns);
  const inact = count(c.inactConns);
  switch (f.view) {
    case "stats":
      return head + big(c.conns) + big(c.inPkts) + big(c.outPkts) + big(c.inBytes) + big(c.outBytes);
    case "rate":
      return `${head} ${right(count(c.cps), 8)} ${right(count(c.inPps), 8)} ${right(count(c.outPps), 8)}${big(c.inBps)}${big(c.outBps)}`;
    case "thresholds":
      return `${head} ${left(rs.upperThreshold, 10)} ${left(rs.lowerThreshold, 10)} ${left(active, 10)} ${left(inact, 10)}`;
    case "persistent-conn":
      return `${head} ${left(rs.weight, 9)} ${left(count(c.persistConns), 11)} ${left(active, 10)} ${left(inact, 10)}`;
    case "tun-info":
      return `${head} ${left(FORWARD_NAME[rs.forward], 7)} ${left(rs.forward === "tun" ? "ipip" : "n/a", 13)} ${left(rs.weight, 6)} ${left(active, 10)} ${left(inact, 10)}`;
    default:
      return `${head} ${left(FORWARD_NAME[rs.forward], 7)} ${left(rs.weight, 6)} ${left(active, 10)} ${left(inact, 10)}`;
  }
}

function entry(svc: VirtualService, f: ListFormat, stats: TableStats | undefined): string {
  const lines = [serviceLine(svc, f, stats?.services?.get(svc.key) ?? {})];
  for (const rs of svc.realServers)
    lines.push(
      serverLine(rs, svc.family, f, stats?.servers?.get(serverStatsKey(svc.key, rs.address, rs.port)) ?? {}),
    );
  return `${lines.join("\n")}\n`;
}

/** list_all: the version line, the title, and every service (ipvsadm -L -n and its variants). */
export function formatList(services: readonly VirtualService[], f: ListFormat, stats?: TableStats): string {
  return `${VERSION_LINE}\n${title(f.view)}${ordered(services, f.sort)
    .map((s) => entry(s, f, stats))
    .join("")}`;
}

/** list_service: one service (ipvsadm -L -t VIP:PORT); ipvsadm prints no version line here. */
export function formatService(svc: VirtualService, f: ListFormat, stats?: TableStats): string {
  return title(f.view) + entry(ordered([svc], f.sort)[0]!, f, stats);
}

/**
 * list_conn: "IPVS connection entries" and "pro expire %-11s %-18s %-18s %s" (with
 * --persistent-conn "pro expire %-11s %-18s %-18s %-18s %-16s %s"). There is no connection table
 * to read until the dataplane reports one, so this is the header alone: no invented rows.
 */
export function formatConnections(persistentConn: boolean): string {
  const head = persistentConn
    ? `pro expire ${left("state", 11)} ${left("source", 18)} ${left("virtual", 18)} ${left("destination", 18)} ${left("pe name", 16)} pe_data`
    : `pro expire ${left("state", 11)} ${left("source", 18)} ${left("virtual", 18)} destination`;
  return `IPVS connection entries\n${head}\n`;
}

/**
 * ipvsadm -S (list_all with FMT_RULE), always sorted and numeric: "-A %s -s %s", then " -p %u",
 * " -M %s" (IPv4 mask other than 255.255.255.255) or " -M %i" (IPv6 prefix other than 128), and
 * " -b %s" (scheduler flags); for each real server "-a %s -r %s %s -w %d", then " --tun-type ipip"
 * for a tunnel (print_tunnel_rule). One addition: " -x %u" and " -y %u" when a threshold is set,
 * which ipvsadm -S leaves out (losing them); real ipvsadm -R accepts both.
 */
export function formatSave(services: readonly VirtualService[]): string {
  let out = "";
  for (const svc of ordered(services, true)) {
    const name = serviceName(svc, true);
    let line = `-A ${name} -s ${svc.scheduler}`;
    const p = svc.persistence;
    if (p) {
      line += ` -p ${p.timeoutSec}`;
      if (svc.family === 4 && p.netmask !== undefined && p.netmask !== "255.255.255.255")
        line += ` -M ${p.netmask}`;
      if (svc.family === 6 && p.prefixLen !== undefined && p.prefixLen !== 128) line += ` -M ${p.prefixLen}`;
    }
    const flags = schedFlagsText(svc);
    if (flags) line += ` -b ${flags}`;
    out += `${line}\n`;
    for (const rs of svc.realServers) {
      let r = `-a ${name} -r ${serverName(rs, svc.family, true)} ${FORWARD_SWITCH[rs.forward]} -w ${rs.weight}`;
      if (rs.forward === "tun") r += " --tun-type ipip";
      if (rs.upperThreshold > 0) r += ` -x ${rs.upperThreshold}`;
      if (rs.lowerThreshold > 0) r += ` -y ${rs.lowerThreshold}`;
      out += `${r}\n`;
    }
  }
  return out;
}

/** What -S cannot carry for a service (raftvs settings ipvsadm has no options for). */
export function unsavedSettings(svc: VirtualService): string[] {
  const lost: string[] = [];
  if (svc.forward !== "proxy") lost.push(`default forwarding method ${svc.forward}`);
  if (svc.mode !== "l4") lost.push(`mode ${svc.mode}`);
  if (svc.http) lost.push("HTTP content rules");
  if (svc.maxConn > 0) lost.push(`connection limit ${svc.maxConn}`);
  for (const rs of svc.realServers) {
    const name = hostPort(rs.address, rs.port);
    if (rs.maxConn > 0) lost.push(`${name} connection limit ${rs.maxConn}`);
    if (rs.pool !== "") lost.push(`${name} pool ${rs.pool}`);
  }
  return lost;
}
