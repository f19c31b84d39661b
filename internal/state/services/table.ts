// The virtual-service table: atomic transactions of changes (all apply or none), canonical
// listings, and a bounded history of changes so watchers can resume and readers can look back.

import { canonicalIp, parseServiceKey, splitHostPort } from "./addresses.ts";
import { LIMITS, type VirtualService } from "./model.ts";
import { compareServers, realServerOf, serviceIdentity, serviceOf, TableError } from "./specs.ts";

/** One change to one service at a revision (prev undefined = created, next undefined = deleted). */
export interface TableChange {
  revision: number;
  key: string;
  prev?: VirtualService;
  next?: VirtualService;
}

/** How many changes the table remembers for watch and look-back (older ones are compacted). */
export const HISTORY_LIMIT = 50_000;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function keyField(raw: unknown, field: string): string {
  const key = typeof raw === "string" ? parseServiceKey(raw) : undefined;
  if (!key)
    throw new TableError(
      field,
      `must be a service key like tcp/10.0.0.1:80 or fwm/5 (got ${JSON.stringify(raw)})`,
    );
  return key;
}

/** Reads through pending changes to the committed rows; commits or is dropped whole. */
class Overlay {
  readonly pending = new Map<string, VirtualService | null>();
  cleared = false;
  constructor(readonly base: ReadonlyMap<string, VirtualService>) {}

  get(key: string): VirtualService | undefined {
    const p = this.pending.get(key);
    if (p !== undefined) return p ?? undefined;
    return this.cleared ? undefined : this.base.get(key);
  }

  set(key: string, svc: VirtualService | null): void {
    this.pending.set(key, svc);
  }

  size(): number {
    let n = this.cleared ? 0 : this.base.size;
    for (const [k, v] of this.pending) {
      const inBase = !this.cleared && this.base.has(k);
      if (v && !inBase) n++;
      if (!v && inBase) n--;
    }
    return n;
  }
}

export class ServiceTable {
  #rows = new Map<string, VirtualService>();
  #history: TableChange[] = [];
  /** Revisions at or below this are no longer in the history. */
  #compactedRevision = 0;

  get size(): number {
    return this.#rows.size;
  }

  get(key: string): VirtualService | undefined {
    return this.#rows.get(key);
  }

  /** Every service in key order. */
  list(): VirtualService[] {
    return [...this.#rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Applies a transaction at `revision`: every op is validated against the state the earlier ops
   * left; on any error (TableError naming `ops[i]...`) nothing changes. Returns the keys changed.
   */
  apply(ops: unknown, revision: number): string[] {
    return this.#commit(this.#stage(ops), revision);
  }

  /** Validates a transaction against the current table without changing it (throws TableError); returns the keys it would touch. */
  check(ops: unknown): string[] {
    return [...this.#stage(ops).pending.keys()].sort();
  }

  #stage(ops: unknown): Overlay {
    if (!Array.isArray(ops) || ops.length === 0)
      throw new TableError("ops", "must be a non-empty list of changes");
    if (ops.length > LIMITS.opsPerTransaction)
      throw new TableError("ops", `at most ${LIMITS.opsPerTransaction} changes per transaction`);
    const o = new Overlay(this.#rows);
    for (const [i, op] of ops.entries()) applyOp(o, op, `ops[${i}]`);
    if (o.size() > LIMITS.services)
      throw new TableError("ops", `the table would exceed ${LIMITS.services} services`);
    return o;
  }

  #commit(o: Overlay, revision: number): string[] {
    const changes: TableChange[] = [];
    if (o.cleared)
      for (const [key, prev] of this.#rows) if (!o.pending.has(key)) changes.push({ revision, key, prev });
    for (const [key, next] of o.pending) {
      const prev = this.#rows.get(key);
      if (prev === undefined && !next) continue;
      if (prev === next) continue;
      changes.push({ revision, key, ...(prev ? { prev } : {}), ...(next ? { next } : {}) });
    }
    if (o.cleared) this.#rows = new Map();
    for (const [key, next] of o.pending) {
      if (next) this.#rows.set(key, next);
      else this.#rows.delete(key);
    }
    changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.#remember(changes);
    return changes.map((c) => c.key);
  }

  #remember(changes: TableChange[]): void {
    this.#history.push(...changes);
    const excess = this.#history.length - HISTORY_LIMIT;
    if (excess > 0) {
      // Drop whole revisions only, so a watcher never sees half a transaction.
      let cut = excess;
      const rev = this.#history[cut - 1]!.revision;
      while (cut < this.#history.length && this.#history[cut]!.revision === rev) cut++;
      this.#compactedRevision = rev;
      this.#history = this.#history.slice(cut);
    }
  }

  /** Changes after `revision`, or undefined when some of them were compacted away. */
  changesSince(revision: number): TableChange[] | undefined {
    if (revision < this.#compactedRevision) return undefined;
    let lo = 0;
    let hi = this.#history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#history[mid]!.revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return this.#history.slice(lo);
  }

  /** The table as it was at `revision` (undone from the history), or undefined if compacted. */
  at(revision: number): VirtualService[] | undefined {
    const later = this.changesSince(revision);
    if (later === undefined) return undefined;
    const rows = new Map(this.#rows);
    for (let i = later.length - 1; i >= 0; i--) {
      const c = later[i]!;
      if (c.prev) rows.set(c.key, c.prev);
      else rows.delete(c.key);
    }
    return [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Rows for a snapshot (the history is node-local and not part of it). */
  rows(): VirtualService[] {
    return this.list();
  }

  /** Restores from a snapshot: the history restarts at `revision`. */
  load(rows: VirtualService[], revision: number): void {
    this.#rows = new Map(rows.map((r) => [r.key, r]));
    this.#history = [];
    this.#compactedRevision = revision;
  }
}

function applyOp(o: Overlay, raw: unknown, field: string): void {
  if (!isObj(raw)) throw new TableError(field, "must be an object with an op");
  switch (raw.op) {
    case "service.add": {
      const svc = serviceOf(raw.service, `${field}.service`);
      if (o.get(svc.key))
        throw new TableError(`${field}.service`, `service ${svc.key} already exists (use service.edit)`);
      o.set(svc.key, svc);
      return;
    }
    case "service.edit": {
      const id = serviceIdentity(raw.service, `${field}.service`);
      const base = o.get(id.key);
      if (!base) throw new TableError(`${field}.service`, `no service ${id.key}`);
      o.set(id.key, serviceOf(raw.service, `${field}.service`, base));
      return;
    }
    case "service.delete": {
      const key = keyField(raw.key, `${field}.key`);
      if (!o.get(key)) throw new TableError(`${field}.key`, `no service ${key}`);
      o.set(key, null);
      return;
    }
    case "server.add":
    case "server.edit": {
      const key = keyField(raw.service, `${field}.service`);
      const svc = o.get(key);
      if (!svc) throw new TableError(`${field}.service`, `no service ${key}`);
      const servers = svc.realServers;
      if (raw.op === "server.add") {
        const rs = realServerOf(raw.server, `${field}.server`, svc);
        if (servers.some((s) => compareServers(s, rs) === 0))
          throw new TableError(
            `${field}.server`,
            `real server ${rs.address}:${rs.port} already exists in ${key} (use server.edit)`,
          );
        if (servers.length >= LIMITS.realServersPerService)
          throw new TableError(
            `${field}.server`,
            `at most ${LIMITS.realServersPerService} real servers per service`,
          );
        o.set(key, { ...svc, realServers: [...servers, rs].sort(compareServers) });
        return;
      }
      const probe = realServerOf(
        isObj(raw.server) ? { address: raw.server.address, port: raw.server.port } : raw.server,
        `${field}.server`,
        svc,
      );
      const existing = servers.find((s) => compareServers(s, probe) === 0);
      if (!existing)
        throw new TableError(`${field}.server`, `no real server ${probe.address}:${probe.port} in ${key}`);
      const merged = realServerOf({ ...existing, ...(raw.server as Obj) }, `${field}.server`, svc);
      o.set(key, { ...svc, realServers: servers.map((s) => (s === existing ? merged : s)) });
      return;
    }
    case "server.delete": {
      const key = keyField(raw.service, `${field}.service`);
      const svc = o.get(key);
      if (!svc) throw new TableError(`${field}.service`, `no service ${key}`);
      const hp = typeof raw.address === "string" ? splitHostPort(raw.address) : undefined;
      const ip = hp ? canonicalIp(hp.host) : undefined;
      if (!hp || !ip)
        throw new TableError(`${field}.address`, `is not an IP address (got ${JSON.stringify(raw.address)})`);
      const port = raw.port ?? hp.port ?? svc.port;
      const left = svc.realServers.filter((s) => !(s.address === ip.ip && s.port === port));
      if (left.length === svc.realServers.length)
        throw new TableError(`${field}.address`, `no real server ${ip.ip}:${String(port)} in ${key}`);
      o.set(key, { ...svc, realServers: left });
      return;
    }
    case "clear":
      o.cleared = true;
      o.pending.clear();
      return;
    default:
      throw new TableError(
        `${field}.op`,
        `unknown change ${JSON.stringify(raw.op)} (service.add|edit|delete, server.add|edit|delete, clear)`,
      );
  }
}
