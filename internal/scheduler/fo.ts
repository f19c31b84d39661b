// fo: IPVS weighted failover. Always the usable server with the highest weight (first on ties).

import { usable } from "./common.ts";
import type { PickContext, Scheduler, ServerView } from "./types.ts";

export class WeightedFailover implements Scheduler {
  readonly name = "fo" as const;
  readonly #servers: readonly ServerView[];

  constructor(servers: readonly ServerView[]) {
    this.#servers = servers;
  }

  pick(_ctx: PickContext): number | undefined {
    let best: number | undefined;
    let hw = 0;
    this.#servers.forEach((s, i) => {
      if (s.weight > hw && usable(s)) {
        best = i;
        hw = s.weight;
      }
    });
    return best;
  }
}
