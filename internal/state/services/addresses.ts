// IP addresses, ports and service keys in canonical text form, so that equal services compare,
// sort and hash equally on every node ("2001:DB8:0::1" and "2001:db8::1" are one address).

import { isIPv4, isIPv6 } from "node:net";
import type { Protocol } from "./model.ts";

/** The canonical form of an IPv4 or IPv6 address, or undefined when it is not one. */
export function canonicalIp(raw: string): { ip: string; family: 4 | 6 } | undefined {
  const s = raw.trim();
  if (isIPv4(s)) return { ip: s, family: 4 };
  const bare = s.startsWith("[") && s.endsWith("]") ? s.slice(1, -1) : s;
  if (!isIPv6(bare) || bare.includes("%")) return undefined;
  return { ip: compressV6(expandV6(bare.toLowerCase())), family: 6 };
}

/** The eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail becomes two groups). */
export function expandV6(text: string): number[] {
  let s = text;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const o = v4[1]!.split(".").map(Number);
    tail.push((o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!);
    s = s.slice(0, -v4[1]!.length);
    if (s.endsWith(":") && !s.endsWith("::")) s = s.slice(0, -1);
  }
  const parse = (part: string): number[] =>
    part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16));
  if (!s.includes("::")) return [...parse(s), ...tail];
  const [head, rest] = s.split("::") as [string, string];
  const left = parse(head);
  const right = [...parse(rest), ...tail];
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 text: lowercase hex, the longest run (>= 2) of zero groups as "::". */
export function compressV6(groups: number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/** "1.2.3.4:80" or "[2001:db8::1]:80" for display and keys. */
export function hostPort(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function addressServiceKey(protocol: Protocol, ip: string, port: number): string {
  return `${protocol}/${hostPort(ip, port)}`;
}

export function fwmarkServiceKey(mark: number, family: 4 | 6): string {
  return `${family === 6 ? "fwm6" : "fwm"}/${mark}`;
}

/** Splits "host:port" / "[v6]:port" / a bare host or IPv6 address; port undefined when absent. */
export function splitHostPort(raw: string): { host: string; port: number | undefined } | undefined {
  const s = raw.trim();
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s);
  if (v6) return { host: v6[1]!, port: v6[2] === undefined ? undefined : Number(v6[2]) };
  if (isIPv6(s)) return { host: s, port: undefined };
  const i = s.lastIndexOf(":");
  if (i < 0) return { host: s, port: undefined };
  const port = s.slice(i + 1);
  if (!/^\d{1,5}$/.test(port)) return undefined;
  return { host: s.slice(0, i), port: Number(port) };
}

/** Parses a canonical or user-typed service key ("tcp/1.2.3.4:80", "fwm/5", "fwm6/5"). */
export function parseServiceKey(raw: string): string | undefined {
  const m = /^(tcp|udp|sctp|fwm|fwm6)\/(.+)$/.exec(raw.trim());
  if (!m) return undefined;
  if (m[1] === "fwm" || m[1] === "fwm6") {
    if (!/^\d{1,10}$/.test(m[2]!)) return undefined;
    const mark = Number(m[2]);
    return mark >= 1 && mark <= 4_294_967_295 ? fwmarkServiceKey(mark, m[1] === "fwm6" ? 6 : 4) : undefined;
  }
  const hp = splitHostPort(m[2]!);
  const ip = hp ? canonicalIp(hp.host) : undefined;
  if (!hp || !ip || hp.port === undefined || hp.port < 1 || hp.port > 65535) return undefined;
  return addressServiceKey(m[1] as Protocol, ip.ip, hp.port);
}

/** A dotted IPv4 netmask with contiguous ones (255.255.255.0), or undefined. */
export function canonicalNetmask(raw: string): string | undefined {
  const s = raw.trim();
  if (!isIPv4(s)) return undefined;
  const n = s.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const inverted = 0xffffffff - n;
  return (inverted & (inverted + 1)) === 0 ? s : undefined;
}
