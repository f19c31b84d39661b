// ovf: IPVS weighted overflow. The highest-weight usable server whose active connections are
// below its weight; when it fills, the next highest weight takes the overflow.

import { usable } from "./common.ts";
import type { PickContext, Scheduler, ServerView } from "./types.ts";

export class WeightedOverflow implements Scheduler {
  readonly name = "ovf" as const;
  readonly #servers: readonly ServerView[];

  constructor(servers: readonly ServerView[]) {
    this.#servers = servers;
  }

  pick(_ctx: PickContext): number | undefined {
    let best: number | undefined;
    let hw = 0;
    this.#servers.forEach((s, i) => {
      if (s.weight > hw && s.activeConns < s.weight && usable(s)) {
        best = i;
        hw = s.weight;
      }
    });
    return best;
  }
}
