// The scheduler registry: maps every SchedulerName to its implementation (one file each).

import type { SchedulerName } from "../state/services/model.ts";
import { BoundedLoadHashing } from "./chb.ts";
import { DestinationHashing } from "./dh.ts";
import { LeastExpectedLatency } from "./ewma.ts";
import { WeightedFailover } from "./fo.ts";
import { LocalityLeastConnection } from "./lblc.ts";
import { LocalityLeastConnectionReplicated } from "./lblcr.ts";
import { LeastConnection } from "./lc.ts";
import { MaglevHashing } from "./mh.ts";
import { NeverQueue } from "./nq.ts";
import { WeightedOverflow } from "./ovf.ts";
import { RoundRobin } from "./rr.ts";
import { ShortestExpectedDelay } from "./sed.ts";
import { SourceHashing } from "./sh.ts";
import { TwoRandomChoices } from "./twos.ts";
import type { Scheduler, SchedulerOptions, ServerView } from "./types.ts";
import { WeightedLeastConnection } from "./wlc.ts";
import { WeightedRoundRobin } from "./wrr.ts";

type Factory = (servers: readonly ServerView[], opts: SchedulerOptions) => Scheduler;

const FACTORIES: Record<SchedulerName, Factory> = {
  rr: (s) => new RoundRobin(s),
  wrr: (s) => new WeightedRoundRobin(s),
  lc: (s) => new LeastConnection(s),
  wlc: (s) => new WeightedLeastConnection(s),
  sed: (s) => new ShortestExpectedDelay(s),
  nq: (s) => new NeverQueue(s),
  sh: (s, o) => new SourceHashing(s, o),
  dh: (s) => new DestinationHashing(s),
  lblc: (s, o) => new LocalityLeastConnection(s, o),
  lblcr: (s, o) => new LocalityLeastConnectionReplicated(s, o),
  mh: (s, o) => new MaglevHashing(s, o),
  fo: (s) => new WeightedFailover(s),
  ovf: (s) => new WeightedOverflow(s),
  twos: (s, o) => new TwoRandomChoices(s, o),
  ewma: (s) => new LeastExpectedLatency(s),
  chb: (s, o) => new BoundedLoadHashing(s, o),
};

/**
 * A scheduler over `servers`, which it holds by reference: the dataplane updates counters (and
 * membership) in place and the scheduler sees them on the next pick.
 */
export function createScheduler(
  name: SchedulerName,
  servers: readonly ServerView[],
  opts: SchedulerOptions,
): Scheduler {
  const factory = FACTORIES[name];
  if (factory === undefined) throw new RangeError(`unknown scheduler ${String(name)}`);
  return factory(servers, opts);
}
