// lblcr: IPVS locality-based least connection with replication. Each destination maps to a set
// of servers; a pick takes the least loaded member, grows the set with the least loaded server
// overall when that member is unusable or lblc-overloaded, and drops the most loaded member once
// the set has not changed for the expiration. Time is the caller's `nowMs`.

import { ratioLess, usable } from "./common.ts";
import { destKey } from "./dh.ts";
import { lblcLeast, lblcOverhead, lblcOverloaded } from "./lblc.ts";
import type { PickContext, Scheduler, SchedulerOptions, ServerView } from "./types.ts";
import { SCHEDULER_DEFAULTS } from "./types.ts";

interface ReplicaSet {
  ids: Set<string>;
  lastModMs: number;
  lastUseMs: number;
}

export class LocalityLeastConnectionReplicated implements Scheduler {
  readonly name = "lblcr" as const;
  readonly #servers: readonly ServerView[];
  readonly #expirationMs: number;
  readonly #table = new Map<string, ReplicaSet>();

  constructor(servers: readonly ServerView[], opts: SchedulerOptions) {
    this.#servers = servers;
    this.#expirationMs = opts.lblcExpirationMs ?? SCHEDULER_DEFAULTS.lblcExpirationMs;
  }

  get size(): number {
    return this.#table.size;
  }

  /** The server ids replicating `destIp` (for tests and diagnostics). */
  members(destIp: string): string[] {
    return [...(this.#table.get(destIp)?.ids ?? [])];
  }

  /** Drops sets unused for longer than the expiration as of `nowMs`. */
  expire(nowMs: number): void {
    for (const [k, e] of this.#table) if (nowMs - e.lastUseMs > this.#expirationMs) this.#table.delete(k);
  }

  pick(ctx: PickContext): number | undefined {
    const servers = this.#servers;
    const now = ctx.nowMs ?? 0;
    const dest = destKey(ctx);
    let set = this.#table.get(dest);
    if (set !== undefined && now - set.lastUseMs > this.#expirationMs) set = undefined;
    if (set === undefined) set = { ids: new Set(), lastModMs: now, lastUseMs: now };
    const index = new Map<string, number>();
    servers.forEach((s, i) => {
      index.set(s.id, i);
    });
    for (const id of set.ids) if (!index.has(id)) set.ids.delete(id);
    const memberIdx = [...set.ids].map((id) => index.get(id) as number);
    let i = lblcLeast(servers, memberIdx);
    if (i === undefined || lblcOverloaded(servers[i] as ServerView, servers)) {
      const fresh = lblcLeast(servers);
      if (fresh !== undefined && !set.ids.has((servers[fresh] as ServerView).id)) {
        set.ids.add((servers[fresh] as ServerView).id);
        set.lastModMs = now;
      }
      i = fresh ?? i;
    }
    if (i === undefined) return undefined;
    if (set.ids.size > 1 && now - set.lastModMs > this.#expirationMs) {
      let worst: number | undefined;
      for (const id of set.ids) {
        const j = index.get(id) as number;
        const s = servers[j] as ServerView;
        const w = worst === undefined ? undefined : (servers[worst] as ServerView);
        if (
          w === undefined ||
          ratioLess(lblcOverhead(w), Math.max(w.weight, 1), lblcOverhead(s), Math.max(s.weight, 1))
        )
          worst = j;
      }
      if (worst !== undefined && worst !== i) {
        set.ids.delete((servers[worst] as ServerView).id);
        set.lastModMs = now;
      }
    }
    set.lastUseMs = now;
    this.#table.delete(dest);
    this.#table.set(dest, set);
    if (this.#table.size > SCHEDULER_DEFAULTS.lblcMaxEntries) {
      const oldest = this.#table.keys().next().value;
      if (oldest !== undefined) this.#table.delete(oldest);
    }
    return usable(servers[i] as ServerView) ? i : undefined;
  }
}
