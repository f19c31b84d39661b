// lblc: IPVS locality-based least connection. Remembers a server per destination address and
// keeps sending there unless it is unusable or "overloaded" in lblc's sense (more active
// connections than weight while some server is below half its weight); then picks by
// (active·50 + inactive)/weight. Entries expire by the caller's `nowMs`, never a clock.

import { ratioLess, usable } from "./common.ts";
import { destKey } from "./dh.ts";
import type { PickContext, Scheduler, SchedulerOptions, ServerView } from "./types.ts";
import { SCHEDULER_DEFAULTS } from "./types.ts";

/** lblc/lblcr's overhead: active connections weigh 50 inactive ones. */
export function lblcOverhead(s: ServerView): number {
  return s.activeConns * 50 + s.inactiveConns;
}

/** IPVS's lblc is_overloaded: active > weight while another server runs below half its weight. */
export function lblcOverloaded(s: ServerView, servers: readonly ServerView[]): boolean {
  if (s.activeConns <= s.weight) return false;
  return servers.some((d) => d.activeConns * 2 < d.weight);
}

/** The usable server (among `candidates`, default all) with least lblcOverhead/weight. */
export function lblcLeast(servers: readonly ServerView[], candidates?: Iterable<number>): number | undefined {
  let best: number | undefined;
  const consider = (i: number) => {
    const s = servers[i];
    if (s === undefined || !usable(s)) return;
    const b = best === undefined ? undefined : (servers[best] as ServerView);
    if (b === undefined || ratioLess(lblcOverhead(s), s.weight, lblcOverhead(b), b.weight)) best = i;
  };
  if (candidates === undefined) for (let i = 0; i < servers.length; i++) consider(i);
  else for (const i of candidates) consider(i);
  return best;
}

interface Entry {
  id: string;
  lastUseMs: number;
}

export class LocalityLeastConnection implements Scheduler {
  readonly name = "lblc" as const;
  readonly #servers: readonly ServerView[];
  readonly #expirationMs: number;
  /** destination → server id; Map order is least recently used first. */
  readonly #table = new Map<string, Entry>();

  constructor(servers: readonly ServerView[], opts: SchedulerOptions) {
    this.#servers = servers;
    this.#expirationMs = opts.lblcExpirationMs ?? SCHEDULER_DEFAULTS.lblcExpirationMs;
  }

  get size(): number {
    return this.#table.size;
  }

  /** Drops entries unused for longer than the expiration as of `nowMs`. */
  expire(nowMs: number): void {
    for (const [k, e] of this.#table) if (nowMs - e.lastUseMs > this.#expirationMs) this.#table.delete(k);
  }

  pick(ctx: PickContext): number | undefined {
    const servers = this.#servers;
    const now = ctx.nowMs ?? 0;
    const dest = destKey(ctx);
    const en = this.#table.get(dest);
    let i: number | undefined;
    if (en !== undefined && now - en.lastUseMs <= this.#expirationMs) {
      const j = servers.findIndex((s) => s.id === en.id);
      const s = servers[j];
      if (s !== undefined && usable(s) && !lblcOverloaded(s, servers)) i = j;
    }
    i ??= lblcLeast(servers);
    if (i === undefined) return undefined;
    this.#table.delete(dest);
    this.#table.set(dest, { id: (servers[i] as ServerView).id, lastUseMs: now });
    if (this.#table.size > SCHEDULER_DEFAULTS.lblcMaxEntries) {
      const oldest = this.#table.keys().next().value;
      if (oldest !== undefined) this.#table.delete(oldest);
    }
    return i;
  }
}
