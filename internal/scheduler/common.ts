// What the schedulers share: the IPVS overload flag with hysteresis, "usable" (weight > 0 and not
// overloaded), IPVS's connection overhead, exact ratio comparison, and change detection of a view.

import type { ServerView } from "./types.ts";

/**
 * Recomputes `s.overloaded` from the connection counts, as IPVS does: set when
 * active + inactive ≥ upperThreshold (if upper > 0); once set, cleared only when the total drops
 * below lowerThreshold, or, with no lower threshold, below 3/4 of the upper one. With no upper
 * threshold the flag is always clear. Returns the new flag. Schedulers call it on every server
 * they consider; for exact hysteresis the dataplane also calls it whenever it changes counters
 * (IPVS updates the flag on every connection bind and unbind).
 */
export function refreshOverload(s: ServerView): boolean {
  const total = s.activeConns + s.inactiveConns;
  if (s.upperThreshold <= 0) {
    s.overloaded = false;
  } else if (total >= s.upperThreshold) {
    s.overloaded = true;
  } else if (s.overloaded) {
    const below = s.lowerThreshold > 0 ? total < s.lowerThreshold : total * 4 < s.upperThreshold * 3;
    if (below) s.overloaded = false;
  } else {
    s.overloaded = false;
  }
  return s.overloaded;
}

/** May take a new connection: weight > 0 and not overloaded (refreshing the overload flag). */
export function usable(s: ServerView): boolean {
  if (!(s.weight > 0)) return false;
  return !refreshOverload(s);
}

/** IPVS's ip_vs_dest_conn_overhead: active connections cost 256 times an inactive one. */
export function ipvsOverhead(s: ServerView): number {
  return s.activeConns * 256 + s.inactiveConns;
}

/**
 * aNum / aDen < bNum / bDen for non-negative numerators and positive denominators, by cross
 * multiplication as IPVS does (no division); exact via BigInt when a product leaves 2^53.
 */
export function ratioLess(aNum: number, aDen: number, bNum: number, bDen: number): boolean {
  const l = aNum * bDen;
  const r = bNum * aDen;
  if (l <= Number.MAX_SAFE_INTEGER && r <= Number.MAX_SAFE_INTEGER) return l < r;
  if (!Number.isInteger(aNum + aDen + bNum + bDen)) return l < r;
  return BigInt(aNum) * BigInt(bDen) < BigInt(bNum) * BigInt(aDen);
}

export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/**
 * Detects a change of the view's membership or weights (what table-building schedulers rebuild
 * on) without allocating: it keeps the last seen ids and weights and compares element-wise.
 */
export class ViewTracker {
  #ids: string[] = [];
  #weights: number[] = [];
  #primed = false;

  /** True on the first call and whenever ids, order or weights differ from the last call. */
  changed(servers: readonly ServerView[]): boolean {
    let same = this.#primed && servers.length === this.#ids.length;
    for (let i = 0; same && i < servers.length; i++) {
      const s = servers[i] as ServerView;
      same = s.id === this.#ids[i] && s.weight === this.#weights[i];
    }
    if (same) return false;
    this.#ids = servers.map((s) => s.id);
    this.#weights = servers.map((s) => s.weight);
    this.#primed = true;
    return true;
  }
}

/** The hashing key of a connection: the explicit key, else the client address (and port). */
export function clientKey(
  ctx: { clientIp: string; clientPort?: number; key?: string },
  withPort: boolean,
): string {
  if (ctx.key !== undefined) return ctx.key;
  return withPort ? `${ctx.clientIp}#${ctx.clientPort ?? 0}` : ctx.clientIp;
}
