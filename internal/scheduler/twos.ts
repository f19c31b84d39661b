// twos: IPVS weighted random twos choice (power of two choices). Draws two usable servers at
// random with probability ∝ weight from the seeded PRNG, then takes the one with the lower
// (active·256 + inactive)/weight. Equal seeds and views replay equal picks.

import { SeededRandom } from "../raft/rand.ts";
import { ipvsOverhead, ratioLess, usable } from "./common.ts";
import type { PickContext, Scheduler, SchedulerOptions, ServerView } from "./types.ts";

export class TwoRandomChoices implements Scheduler {
  readonly name = "twos" as const;
  readonly #servers: readonly ServerView[];
  readonly #rand: SeededRandom;

  constructor(servers: readonly ServerView[], opts: SchedulerOptions) {
    this.#servers = servers;
    this.#rand = new SeededRandom(opts.seed);
  }

  pick(_ctx: PickContext): number | undefined {
    const servers = this.#servers;
    const cands: number[] = [];
    let total = 0;
    servers.forEach((s, i) => {
      if (usable(s)) {
        cands.push(i);
        total += s.weight;
      }
    });
    if (cands.length === 0) return undefined;
    const draw = (): number => {
      let r = this.#rand.next() * total;
      for (const i of cands) {
        r -= (servers[i] as ServerView).weight;
        if (r < 0) return i;
      }
      return cands[cands.length - 1] as number;
    };
    const a = draw();
    const b = draw();
    const sa = servers[a] as ServerView;
    const sb = servers[b] as ServerView;
    return ratioLess(ipvsOverhead(sb), sb.weight, ipvsOverhead(sa), sa.weight) ? b : a;
  }
}
