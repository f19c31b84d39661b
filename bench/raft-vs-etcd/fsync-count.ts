// Counts fsync + fdatasync system calls of given processes over a window with `perf stat` on the
// syscall tracepoints (Linux, root or perf_event_paranoid permitting). Fsyncs per second against
// writes per second shows how many writes each disk flush carried (group commit).

import { spawn, spawnSync } from "node:child_process";

export function perfAvailable(): boolean {
  const r = spawnSync("perf", ["stat", "-x,", "-e", "syscalls:sys_enter_fdatasync", "--", "true"], {
    encoding: "utf8",
  });
  return r.status === 0;
}

export class FsyncCounter {
  readonly #runs: Array<{ id: number; done: Promise<number> }> = [];
  readonly #kills: Array<() => void> = [];

  /** Starts counting for each member (id → pid). */
  constructor(pids: Map<number, number>) {
    for (const [id, pid] of pids) {
      const child = spawn(
        "perf",
        ["stat", "-x,", "-e", "syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync", "-p", String(pid)],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      let err = "";
      child.stderr.on("data", (b: Buffer) => {
        err += b.toString();
      });
      const done = new Promise<number>((resolve) =>
        child.once("exit", () => {
          let n = 0;
          for (const line of err.split("\n")) {
            const [count, , event] = line.split(",");
            if (event?.startsWith("syscalls:sys_enter_f") && count && /^\d+$/.test(count)) n += Number(count);
          }
          resolve(n);
        }),
      );
      this.#runs.push({ id, done });
      this.#kills.push(() => child.kill("SIGINT"));
    }
  }

  /** Stops counting; fsync + fdatasync calls per member. */
  async stop(): Promise<Map<number, number>> {
    for (const k of this.#kills) k();
    const out = new Map<number, number>();
    for (const r of this.#runs) out.set(r.id, await r.done);
    return out;
  }
}
