// lc: IPVS least connection. The usable server with the least overhead (active·256 + inactive);
// ties go to the first in the view.

import { ipvsOverhead, usable } from "./common.ts";
import type { PickContext, Scheduler, ServerView } from "./types.ts";

export class LeastConnection implements Scheduler {
  readonly name = "lc" as const;
  readonly #servers: readonly ServerView[];

  constructor(servers: readonly ServerView[]) {
    this.#servers = servers;
  }

  pick(_ctx: PickContext): number | undefined {
    let best: number | undefined;
    let bestOh = 0;
    this.#servers.forEach((s, i) => {
      if (!usable(s)) return;
      const oh = ipvsOverhead(s);
      if (best === undefined || oh < bestOh) {
        best = i;
        bestOh = oh;
      }
    });
    return best;
  }
}
