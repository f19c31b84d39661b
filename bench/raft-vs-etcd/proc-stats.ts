// CPU accounting from /proc (Linux): CPU seconds used by given processes (all their threads) and
// by the whole machine, so that a run can say "the servers used X CPU-s for Y writes" and whether
// the machine was saturated. Elsewhere the figures read as 0.

import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux we run on (getconf CLK_TCK)

/** utime + stime of a process in seconds, or undefined if it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export interface MachineCpu {
  busyS: number;
  totalS: number;
}

export function machineCpu(): MachineCpu {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
    return { busyS: (total - idle) / TICKS_PER_SECOND, totalS: total / TICKS_PER_SECOND };
  } catch {
    return { busyS: 0, totalS: 0 };
  }
}

/** A snapshot of CPU counters; `since()` gives the CPU seconds used from it until now. */
export class CpuSample {
  readonly #pids: Map<number, number>;
  readonly #procs = new Map<number, number>();
  readonly #machine = machineCpu();

  constructor(pids: Map<number, number>) {
    this.#pids = new Map(pids);
    for (const [id, pid] of pids) this.#procs.set(id, processCpuSeconds(pid) ?? 0);
  }

  since(): { perMember: Map<number, number>; serversS: number; machineBusyFraction: number } {
    const perMember = new Map<number, number>();
    let serversS = 0;
    for (const [id, pid] of this.#pids) {
      const now = processCpuSeconds(pid);
      const used = now === undefined ? 0 : now - (this.#procs.get(id) ?? 0);
      perMember.set(id, used);
      serversS += used;
    }
    const m = machineCpu();
    const total = m.totalS - this.#machine.totalS;
    return {
      perMember,
      serversS,
      machineBusyFraction: total > 0 ? (m.busyS - this.#machine.busyS) / total : 0,
    };
  }
}
