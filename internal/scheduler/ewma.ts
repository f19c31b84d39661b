// ewma: least expected response time (beyond IPVS). Score = latencyEwmaMs · (active + 1) / weight:
// the observed latency scaled by the queue a new connection joins. A server with no latency yet
// is scored with the lowest observed one so that it gets probed; ties go to the first.

import { usable } from "./common.ts";
import type { PickContext, Scheduler, ServerView } from "./types.ts";

/** Latency assumed when no server has reported any (ms). */
const UNKNOWN_LATENCY_MS = 1;

export class LeastExpectedLatency implements Scheduler {
  readonly name = "ewma" as const;
  readonly #servers: readonly ServerView[];

  constructor(servers: readonly ServerView[]) {
    this.#servers = servers;
  }

  pick(_ctx: PickContext): number | undefined {
    const servers = this.#servers;
    let minKnown = Number.POSITIVE_INFINITY;
    for (const s of servers) {
      if (s.latencyEwmaMs !== undefined && s.latencyEwmaMs >= 0 && s.weight > 0) {
        minKnown = Math.min(minKnown, s.latencyEwmaMs);
      }
    }
    const fallback = Number.isFinite(minKnown) ? minKnown : UNKNOWN_LATENCY_MS;
    let best: number | undefined;
    let bestScore = 0;
    servers.forEach((s, i) => {
      if (!usable(s)) return;
      const lat = s.latencyEwmaMs !== undefined && s.latencyEwmaMs >= 0 ? s.latencyEwmaMs : fallback;
      const score = (lat * (s.activeConns + 1)) / s.weight;
      if (best === undefined || score < bestScore) {
        best = i;
        bestScore = score;
      }
    });
    return best;
  }
}
