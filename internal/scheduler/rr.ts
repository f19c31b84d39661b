// rr: IPVS round robin. Walks the view from after the last pick to the next usable server.

import { usable } from "./common.ts";
import type { PickContext, Scheduler, ServerView } from "./types.ts";

export class RoundRobin implements Scheduler {
  readonly name = "rr" as const;
  readonly #servers: readonly ServerView[];
  #last = -1;

  constructor(servers: readonly ServerView[]) {
    this.#servers = servers;
  }

  pick(_ctx: PickContext): number | undefined {
    const n = this.#servers.length;
    for (let step = 1; step <= n; step++) {
      const i = (((this.#last + step) % n) + n) % n;
      if (usable(this.#servers[i] as ServerView)) {
        this.#last = i;
        return i;
      }
    }
    return undefined;
  }
}
