// The scheduler contract: the server view the dataplane keeps up to date, the per-connection
// pick context, the Scheduler interface every algorithm implements, and the factory options.

import type { SchedFlag, SchedulerName } from "../state/services/model.ts";

/**
 * One real server as a scheduler sees it. The dataplane owns the array and updates the counters
 * in place (and may add or remove entries); schedulers read it on every pick.
 */
export interface ServerView {
  id: string;
  /** 0 = drained: never picked for a new connection. */
  weight: number;
  activeConns: number;
  inactiveConns: number;
  /** IPVS -x: at or above this many (active + inactive) connections, overloaded (0 = no limit). */
  upperThreshold: number;
  /** IPVS -y: an overloaded server takes new connections again below this (0 = below 3/4 of upper). */
  lowerThreshold: number;
  /**
   * Written by the schedulers, not by the caller: the IPVS overload flag with hysteresis
   * (see refreshOverload in common.ts). Kept in the view so every scheduler over it agrees.
   */
  overloaded?: boolean;
  /** Observed response latency, exponentially weighted (ms); read by `ewma` only. */
  latencyEwmaMs?: number;
}

export interface PickContext {
  clientIp: string;
  clientPort?: number;
  /** The destination (virtual or, for cache clusters, the requested) address: dh/lblc/lblcr. */
  destIp?: string;
  /** An explicit hashing key (e.g. an L7 header); when set, hashing schedulers use it. */
  key?: string;
  /** The caller's clock (ms), for lblc/lblcr entry ages. Schedulers never read a clock. */
  nowMs?: number;
}

export interface Scheduler {
  readonly name: SchedulerName;
  /** Index into the server view of the server for a new connection; undefined = none available. */
  pick(ctx: PickContext): number | undefined;
}

export interface SchedulerOptions {
  flags: readonly SchedFlag[];
  /** Seed for the randomised schedulers (twos); equal seeds replay equal choices. */
  seed: number;
  /** mh: lookup table size, a prime (default 65537; raised to the next prime ≥ 100·N). */
  mhTableSize?: number;
  /** chb: load bound factor ε, each server takes at most ceil((1+ε)·average) (default 0.25). */
  chbEpsilon?: number;
  /** lblc/lblcr: how long an unused locality entry lives (default 24 h, IPVS's default). */
  lblcExpirationMs?: number;
}

export const SCHEDULER_DEFAULTS = {
  mhTableSize: 65537,
  chbEpsilon: 0.25,
  lblcExpirationMs: 24 * 3600 * 1000,
  /** lblc/lblcr: most locality entries kept; the least recently used goes first. */
  lblcMaxEntries: 65536,
  /** sh/dh: buckets in the hash table, IPVS's IP_VS_SH_TAB_SIZE / IP_VS_DH_TAB_SIZE. */
  hashBuckets: 256,
  /** chb: ring points for the heaviest server; lighter ones get proportionally fewer (≥ 1). */
  chbPointsPerServer: 100,
} as const;
