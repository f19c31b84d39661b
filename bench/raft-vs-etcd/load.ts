// The client shape both systems are driven with: N async writer loops, each awaiting one put at a
// time, random keys over a fixed key space, 256-byte values; puts that complete inside the
// measured window (after the warm-up) are counted and their latencies recorded. The process's own
// CPU time and event-loop delay over the window are reported, to show whether the load generator
// itself was the limit.

import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Putter } from "./clients.ts";
import { Histogram, type HistogramJson } from "./histogram.ts";

export interface LoadSpec {
  writers: number;
  /** Wall-clock (Date.now()) instant at which all writers start (the same in every worker). */
  startAtMs: number;
  warmupMs: number;
  measureMs: number;
  keys: number;
  valueBytes: number;
  /** Distinguishes this worker's values and key sequence from another's. */
  seed: number;
}

export interface LoadResult {
  writes: number;
  errors: number;
  firstError: string | undefined;
  latency: HistogramJson;
  /** CPU seconds (user + system) this process used during the window. */
  clientCpuS: number;
  /** Event-loop delay over the window, milliseconds. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** A printable 256-byte (by default) value, different per writer. */
export function makeValue(bytes: number, tag: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  let s = "";
  let x = (tag * 2654435761) >>> 0;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    s += alphabet[x % alphabet.length];
  }
  return s;
}

export function keyName(i: number): string {
  return `bench/${String(i).padStart(6, "0")}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runLoad(putter: Putter, spec: LoadSpec): Promise<LoadResult> {
  const wait = spec.startAtMs - Date.now();
  if (wait > 0) await sleep(wait);
  const t0 = performance.now();
  const windowStart = t0 + spec.warmupMs;
  const windowEnd = windowStart + spec.measureMs;
  const hist = new Histogram();
  let writes = 0;
  let errors = 0;
  let firstError: string | undefined;
  const eld = monitorEventLoopDelay({ resolution: 10 });
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  const windowTimer = setTimeout(() => {
    cpuAtStart = process.cpuUsage();
    eld.enable();
  }, spec.warmupMs);

  const writer = async (w: number): Promise<void> => {
    const value = makeValue(spec.valueBytes, spec.seed * 100_003 + w);
    let x = (spec.seed * 7919 + w * 104_729 + 1) >>> 0;
    for (;;) {
      const started = performance.now();
      if (started >= windowEnd) return;
      x = (x * 1664525 + 1013904223) >>> 0;
      const key = keyName(x % spec.keys);
      try {
        await putter.put(key, value, 10_000);
        const done = performance.now();
        if (done >= windowStart && done < windowEnd) {
          writes++;
          hist.recordMs(done - started);
        }
      } catch (err) {
        const done = performance.now();
        if (done >= windowStart && done < windowEnd) errors++;
        firstError ??= (err as Error).message;
        await sleep(10);
      }
    }
  };
  await Promise.all(Array.from({ length: spec.writers }, (_, w) => writer(w)));
  clearTimeout(windowTimer);
  const cpu = process.cpuUsage(cpuAtStart);
  eld.disable();
  return {
    writes,
    errors,
    firstError,
    latency: hist.toJSON(),
    clientCpuS: cpuAtStart ? (cpu.user + cpu.system) / 1e6 : 0,
    loopDelayP99Ms: eld.count > 0 ? eld.percentile(99) / 1e6 : 0,
    loopDelayMaxMs: eld.count > 0 ? eld.max / 1e6 : 0,
  };
}
