// The shared core of wlc, sed and nq: the usable server minimising overhead/weight, compared by
// cross multiplication (loh·dw > doh·lw) as IPVS does; ties go to the first in the view.

import { ratioLess, usable } from "./common.ts";
import type { ServerView } from "./types.ts";

export function leastRatio(
  servers: readonly ServerView[],
  overhead: (s: ServerView) => number,
): number | undefined {
  let best: number | undefined;
  let bestOh = 0;
  let bestW = 1;
  for (let i = 0; i < servers.length; i++) {
    const s = servers[i] as ServerView;
    if (!usable(s)) continue;
    const oh = overhead(s);
    if (best === undefined || ratioLess(oh, s.weight, bestOh, bestW)) {
      best = i;
      bestOh = oh;
      bestW = s.weight;
    }
  }
  return best;
}
