// Preloaded into raftvsd by `--profile` (NODE_OPTIONS=--import=this file; plain JavaScript because
// it loads before tsx). Product code is not touched. It
//  - appends the process's event-loop utilization, event-loop delay and CPU time once a second to
//    $RAFTVS_BENCH_PROBE_DIR/loop-<pid>.jsonl;
//  - on SIGUSR2 starts the V8 CPU profiler, and on the next SIGUSR2 stops it and writes
//    $RAFTVS_BENCH_PROBE_DIR/cpu-<pid>-<n>.cpuprofile (the bench signals the measured window).

import { appendFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

const dir = process.env.RAFTVS_BENCH_PROBE_DIR;
if (dir) {
  const file = join(dir, `loop-${process.pid}.jsonl`);
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  let elu = performance.eventLoopUtilization();
  let cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const nextElu = performance.eventLoopUtilization();
    const nextCpu = process.cpuUsage();
    const d = performance.eventLoopUtilization(nextElu, elu);
    const line = {
      t: Date.now(),
      argv: process.argv.slice(2).join(" "),
      elu: d.utilization,
      cpuS: (nextCpu.user - cpu.user + nextCpu.system - cpu.system) / 1e6,
      eldP50Ms: eld.percentile(50) / 1e6,
      eldP99Ms: eld.percentile(99) / 1e6,
      eldMaxMs: eld.max / 1e6,
    };
    elu = nextElu;
    cpu = nextCpu;
    eld.reset();
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000);
  timer.unref();

  const session = new Session();
  session.connect();
  let profiling = false;
  let n = 0;
  process.on("SIGUSR2", () => {
    if (!profiling) {
      profiling = true;
      session.post("Profiler.enable", () =>
        session.post("Profiler.setSamplingInterval", { interval: 250 }, () => session.post("Profiler.start")),
      );
      return;
    }
    profiling = false;
    session.post("Profiler.stop", (err, res) => {
      if (!err) writeFileSync(join(dir, `cpu-${process.pid}-${++n}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
