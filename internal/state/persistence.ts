// Persistence records in the replicated state: client (masked by the service's netmask or IPv6
// prefix) -> real server, with an expiry computed from leader-stamped entry time. A director that
// becomes leader honours the records every node holds. Deterministic: no clock, only entry times.

import { canonicalIp, compressV6, expandV6 } from "./services/addresses.ts";
import type { VirtualService } from "./services/model.ts";

export interface PersistenceRecord {
  service: string;
  /** The client address after masking (the persistence group). */
  clientGroup: string;
  /** The real server, "address|port" as the table keys it. */
  server: string;
  expiresAtMs: number;
}

/** Most records the table holds; beyond it the oldest-expiring are dropped first. */
export const PERSISTENCE_RECORDS_MAX = 1_000_000;

function maskV4(ip: string, netmask: string): string {
  const a = ip.split(".").map(Number);
  const m = netmask.split(".").map(Number);
  return a.map((o, i) => o & m[i]!).join(".");
}

function maskV6(ip: string, prefixLen: number): string {
  const groups = expandV6(ip);
  return compressV6(
    groups.map((g, i) => {
      const bits = Math.max(0, Math.min(16, prefixLen - i * 16));
      return bits === 0 ? 0 : g & ((0xffff << (16 - bits)) & 0xffff);
    }),
  );
}

/** The persistence group of a client for a service, or undefined when the address is not an IP. */
export function clientGroup(svc: VirtualService, clientIp: string): string | undefined {
  const ip = canonicalIp(clientIp);
  if (!ip || ip.family !== svc.family) return undefined;
  const p = svc.persistence;
  if (!p) return ip.ip;
  if (ip.family === 4) return p.netmask ? maskV4(ip.ip, p.netmask) : ip.ip;
  return p.prefixLen ? maskV6(ip.ip, p.prefixLen) : ip.ip;
}

export class PersistenceTable {
  readonly #records = new Map<string, PersistenceRecord>();

  static key(service: string, group: string): string {
    return `${service} ${group}`;
  }

  get size(): number {
    return this.#records.size;
  }

  /** The live record for a client group, as of entry time `nowMs`. */
  lookup(service: string, group: string, nowMs: number): PersistenceRecord | undefined {
    const r = this.#records.get(PersistenceTable.key(service, group));
    return r && r.expiresAtMs > nowMs ? r : undefined;
  }

  /** Creates or refreshes a record (its expiry moves to `expiresAtMs`). */
  put(r: PersistenceRecord): void {
    this.#records.set(PersistenceTable.key(r.service, r.clientGroup), r);
    if (this.#records.size > PERSISTENCE_RECORDS_MAX) this.#evictSoonest();
  }

  #evictSoonest(): void {
    let victim: string | undefined;
    let soonest = Number.POSITIVE_INFINITY;
    for (const [k, r] of this.#records) {
      if (r.expiresAtMs < soonest) {
        soonest = r.expiresAtMs;
        victim = k;
      }
    }
    if (victim !== undefined) this.#records.delete(victim);
  }

  /** Drops every record expired as of entry time `nowMs`; returns how many. */
  sweep(nowMs: number): number {
    let n = 0;
    for (const [k, r] of this.#records) {
      if (r.expiresAtMs <= nowMs) {
        this.#records.delete(k);
        n++;
      }
    }
    return n;
  }

  /** Drops the records of services or servers that no longer exist in the table. */
  prune(exists: (service: string, server: string) => boolean): void {
    for (const [k, r] of this.#records) if (!exists(r.service, r.server)) this.#records.delete(k);
  }

  /** Records in key order (canonical for snapshots). */
  rows(): PersistenceRecord[] {
    return [...this.#records.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  }

  load(rows: PersistenceRecord[]): void {
    this.#records.clear();
    for (const r of rows) this.#records.set(PersistenceTable.key(r.service, r.clientGroup), r);
  }
}
