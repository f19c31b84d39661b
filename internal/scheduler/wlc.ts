// wlc: IPVS weighted least connection. Minimises (active·256 + inactive) / weight.

import { ipvsOverhead } from "./common.ts";
import { leastRatio } from "./least-ratio.ts";
import type { PickContext, Scheduler, ServerView } from "./types.ts";

export class WeightedLeastConnection implements Scheduler {
  readonly name = "wlc" as const;
  readonly #servers: readonly ServerView[];

  constructor(servers: readonly ServerView[]) {
    this.#servers = servers;
  }

  pick(_ctx: PickContext): number | undefined {
    return leastRatio(this.#servers, ipvsOverhead);
  }
}
