// Latency summaries (nearest-rank percentiles) and CPU time of processes read from /proc.

import { readFileSync } from "node:fs";

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
function rank(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    n: s.length,
    p50: rank(s, 50),
    p90: rank(s, 90),
    p99: rank(s, 99),
    max: s.at(-1) ?? Number.NaN,
    mean: s.length > 0 ? sum / s.length : Number.NaN,
  };
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux port in use). */
const USER_HZ = 100;

/** User + system CPU seconds a process has used so far; undefined when it cannot be read. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at state, field 3.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds of several processes: call `done()` for the seconds used since creation, per pid. */
export function cpuMeter(pids: number[]): () => number[] {
  const before = pids.map((p) => cpuSeconds(p) ?? Number.NaN);
  return () => pids.map((p, i) => (cpuSeconds(p) ?? Number.NaN) - before[i]!);
}
