// Builders shared by the scheduler tests: server views from weights, and pick counting.

import type { Scheduler, ServerView } from "./types.ts";

export function view(weights: readonly number[], extra: Partial<ServerView> = {}): ServerView[] {
  return weights.map((weight, i) => ({
    id: `10.0.0.${i + 1}:80`,
    weight,
    activeConns: 0,
    inactiveConns: 0,
    upperThreshold: 0,
    lowerThreshold: 0,
    ...extra,
  }));
}

/** Picks `n` times with distinct client/destination keys; counts picks per server index. */
export function countPicks(sched: Scheduler, size: number, n: number): { counts: number[]; none: number } {
  const counts = new Array<number>(size).fill(0);
  let none = 0;
  for (let k = 0; k < n; k++) {
    const ip = `192.168.${(k >>> 8) & 255}.${k & 255}`;
    const i = sched.pick({
      clientIp: ip,
      clientPort: 1024 + (k % 50000),
      destIp: `172.16.${k % 97}.1`,
      key: undefined,
    });
    if (i === undefined) none++;
    else counts[i] = (counts[i] as number) + 1;
  }
  return { counts, none };
}
