// dh: IPVS destination hashing. A 256-bucket table assigning servers cyclically (unweighted, as
// IPVS), indexed by a hash of the destination address; an unusable bucket means no server.

import { usable, ViewTracker } from "./common.ts";
import { fillBuckets, lookupBuckets } from "./sh.ts";
import type { PickContext, Scheduler, ServerView } from "./types.ts";
import { SCHEDULER_DEFAULTS } from "./types.ts";

/** The destination key: destIp, else the explicit key, else the client address. */
export function destKey(ctx: PickContext): string {
  return ctx.destIp ?? ctx.key ?? ctx.clientIp;
}

export class DestinationHashing implements Scheduler {
  readonly name = "dh" as const;
  readonly #servers: readonly ServerView[];
  readonly #view = new ViewTracker();
  #table: Int32Array = new Int32Array(0);

  constructor(servers: readonly ServerView[]) {
    this.#servers = servers;
  }

  pick(ctx: PickContext): number | undefined {
    if (this.#view.changed(this.#servers)) {
      this.#table = fillBuckets(this.#servers, SCHEDULER_DEFAULTS.hashBuckets, false);
    }
    if (this.#servers.length === 0) return undefined;
    const i = lookupBuckets(this.#servers, this.#table, destKey(ctx), false);
    return i !== undefined && usable(this.#servers[i] as ServerView) ? i : undefined;
  }
}
