// sed: IPVS shortest expected delay. Minimises (active + 1) / weight: the delay a new
// connection would see if every server served its active connections at a rate ∝ its weight.

import { leastRatio } from "./least-ratio.ts";
import type { PickContext, Scheduler, ServerView } from "./types.ts";

export function sedOverhead(s: ServerView): number {
  return s.activeConns + 1;
}

export class ShortestExpectedDelay implements Scheduler {
  readonly name = "sed" as const;
  readonly #servers: readonly ServerView[];

  constructor(servers: readonly ServerView[]) {
    this.#servers = servers;
  }

  pick(_ctx: PickContext): number | undefined {
    return leastRatio(this.#servers, sedOverhead);
  }
}
