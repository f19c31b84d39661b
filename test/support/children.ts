// Every child process a test starts is killed by its PID: at the test's teardown, and (should the
// test worker itself die) when the worker exits, so no raftvsd outlives the test run.

import type { ChildProcess } from "node:child_process";
import type { ExecutionContext } from "ava";

const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) {
    try {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Registers a just-spawned child: SIGKILL at teardown unless it has exited by then. */
export function trackChild(t: ExecutionContext, child: ChildProcess, exited: Promise<unknown>): void {
  live.add(child);
  void exited.then(() => live.delete(child));
  t.teardown(async () => {
    if (running(child)) {
      child.kill("SIGKILL");
      await exited;
    }
  });
}

/** Whether a process id is still alive (signal 0 probe). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
