// sh: IPVS source hashing. A 256-bucket table filled in view order, each server taking `weight`
// consecutive buckets (drained ones one bucket), indexed by a hash of the client address (and
// port with sh-port). An unusable bucket means no server unless sh-fallback, which rehashes.

import { clientKey, usable, ViewTracker } from "./common.ts";
import { hash32With } from "./hash.ts";
import type { PickContext, Scheduler, SchedulerOptions, ServerView } from "./types.ts";
import { SCHEDULER_DEFAULTS } from "./types.ts";

/** Fills `buckets` slots in view order; each server takes max(1, its weight) consecutive ones. */
export function fillBuckets(servers: readonly ServerView[], buckets: number, weighted: boolean): Int32Array {
  const table = new Int32Array(buckets).fill(-1);
  if (servers.length === 0) return table;
  let d = 0;
  let count = 0;
  for (let b = 0; b < buckets; b++) {
    table[b] = d;
    count++;
    const w = (servers[d] as ServerView).weight;
    if (!weighted || count >= w) {
      d = (d + 1) % servers.length;
      count = 0;
    }
  }
  return table;
}

/** Looks `key` up in a bucket table; with fallback, tries rehashed buckets until a usable one. */
export function lookupBuckets(
  servers: readonly ServerView[],
  table: Int32Array,
  key: string,
  fallback: boolean,
): number | undefined {
  const tries = fallback ? table.length : 1;
  for (let off = 0; off < tries; off++) {
    const i = table[hash32With(key, off) % table.length] as number;
    if (i >= 0 && usable(servers[i] as ServerView)) return i;
  }
  return undefined;
}

export class SourceHashing implements Scheduler {
  readonly name = "sh" as const;
  readonly #servers: readonly ServerView[];
  readonly #port: boolean;
  readonly #fallback: boolean;
  readonly #view = new ViewTracker();
  #table: Int32Array = new Int32Array(0);

  constructor(servers: readonly ServerView[], opts: SchedulerOptions) {
    this.#servers = servers;
    this.#port = opts.flags.includes("sh-port");
    this.#fallback = opts.flags.includes("sh-fallback");
  }

  pick(ctx: PickContext): number | undefined {
    if (this.#view.changed(this.#servers)) {
      this.#table = fillBuckets(this.#servers, SCHEDULER_DEFAULTS.hashBuckets, true);
    }
    if (this.#servers.length === 0) return undefined;
    return lookupBuckets(this.#servers, this.#table, clientKey(ctx, this.#port), this.#fallback);
  }
}
