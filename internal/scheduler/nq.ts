// nq: IPVS never queue. The first usable idle server (no active connections) if any, else
// shortest expected delay, (active + 1) / weight.

import { usable } from "./common.ts";
import { leastRatio } from "./least-ratio.ts";
import { sedOverhead } from "./sed.ts";
import type { PickContext, Scheduler, ServerView } from "./types.ts";

export class NeverQueue implements Scheduler {
  readonly name = "nq" as const;
  readonly #servers: readonly ServerView[];

  constructor(servers: readonly ServerView[]) {
    this.#servers = servers;
  }

  pick(_ctx: PickContext): number | undefined {
    const idle = this.#servers.findIndex((s) => s.activeConns === 0 && usable(s));
    if (idle >= 0) return idle;
    return leastRatio(this.#servers, sedOverhead);
  }
}
