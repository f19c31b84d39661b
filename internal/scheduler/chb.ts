// chb: consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam). Keys hash onto a
// ring of server points (points ∝ weight); a key goes to the first server clockwise whose active
// connections are below ceil((1+ε)·(total+1)·weight/Σweight), so none exceeds (1+ε)× its share.

import { clientKey, usable, ViewTracker } from "./common.ts";
import { hash32, hash32With } from "./hash.ts";
import type { PickContext, Scheduler, SchedulerOptions, ServerView } from "./types.ts";
import { SCHEDULER_DEFAULTS } from "./types.ts";

export class BoundedLoadHashing implements Scheduler {
  readonly name = "chb" as const;
  readonly #servers: readonly ServerView[];
  readonly #epsilon: number;
  readonly #view = new ViewTracker();
  /** Ring points sorted by hash; #owner[k] is the server index of #points[k]. */
  #points: Uint32Array = new Uint32Array(0);
  #owner: Int32Array = new Int32Array(0);

  constructor(servers: readonly ServerView[], opts: SchedulerOptions) {
    const eps = opts.chbEpsilon ?? SCHEDULER_DEFAULTS.chbEpsilon;
    if (!(eps > 0)) throw new RangeError(`chb: epsilon ${eps} must be > 0`);
    this.#servers = servers;
    this.#epsilon = eps;
  }

  #rebuild(): void {
    const servers = this.#servers;
    const maxW = servers.reduce((m, s) => Math.max(m, s.weight), 0);
    const pts: [number, number][] = [];
    servers.forEach((s, i) => {
      if (!(s.weight > 0)) return;
      const n = Math.max(1, Math.round((SCHEDULER_DEFAULTS.chbPointsPerServer * s.weight) / maxW));
      for (let r = 0; r < n; r++) pts.push([hash32With(s.id, r, 3), i]);
    });
    // Ties on the hash are broken by server id so that every node builds the same ring.
    pts.sort(
      (a, b) => a[0] - b[0] || ((servers[a[1]] as ServerView).id < (servers[b[1]] as ServerView).id ? -1 : 1),
    );
    this.#points = Uint32Array.from(pts, (p) => p[0]);
    this.#owner = Int32Array.from(pts, (p) => p[1]);
  }

  pick(ctx: PickContext): number | undefined {
    const servers = this.#servers;
    if (this.#view.changed(servers)) this.#rebuild();
    let totalLoad = 0;
    let totalWeight = 0;
    for (const s of servers) {
      if (usable(s)) {
        totalLoad += s.activeConns;
        totalWeight += s.weight;
      }
    }
    const n = this.#points.length;
    if (totalWeight === 0 || n === 0) return undefined;
    const h = hash32(clientKey(ctx, false));
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#points[mid] as number) < h) lo = mid + 1;
      else hi = mid;
    }
    for (let k = 0; k < n; k++) {
      const i = this.#owner[(lo + k) % n] as number;
      const s = servers[i] as ServerView;
      if (!usable(s)) continue;
      const cap = Math.ceil(((1 + this.#epsilon) * (totalLoad + 1) * s.weight) / totalWeight);
      if (s.activeConns < cap) return i;
    }
    return undefined;
  }
}
