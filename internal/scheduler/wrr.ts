// wrr: IPVS weighted round robin. A current weight cw steps down by the gcd of the weights each
// time the cursor wraps; a server is picked when its weight ≥ cw (so shares follow weights).

import { gcd, usable } from "./common.ts";
import type { PickContext, Scheduler, ServerView } from "./types.ts";

export class WeightedRoundRobin implements Scheduler {
  readonly name = "wrr" as const;
  readonly #servers: readonly ServerView[];
  /** Invariant: -1 before the first pick, else the index of the last position visited. */
  #i = -1;
  /** Current weight; 0 before the first wrap. */
  #cw = 0;

  constructor(servers: readonly ServerView[]) {
    this.#servers = servers;
  }

  pick(_ctx: PickContext): number | undefined {
    const servers = this.#servers;
    const n = servers.length;
    let mw = 0;
    let di = 0;
    let maxUsable = 0;
    for (const s of servers) {
      if (!(s.weight > 0)) continue;
      mw = Math.max(mw, s.weight);
      di = gcd(di, s.weight);
      if (usable(s)) maxUsable = Math.max(maxUsable, s.weight);
    }
    if (maxUsable === 0) return undefined;
    if (this.#i >= n) this.#i = -1;
    // Terminates within 2n steps: after a wrap cw ≤ maxUsable, and the server with that weight
    // is then reached before the next wrap.
    for (let steps = 0; steps <= 2 * n + 1; steps++) {
      this.#i = (this.#i + 1) % n;
      if (this.#i === 0) {
        this.#cw -= di;
        if (this.#cw <= 0) this.#cw = mw;
        // Rounds with cw above every usable weight would pick nothing: skip them at once.
        if (this.#cw > maxUsable) this.#cw = maxUsable;
      }
      const s = servers[this.#i] as ServerView;
      if (s.weight >= this.#cw && usable(s)) return this.#i;
    }
    return undefined;
  }
}
