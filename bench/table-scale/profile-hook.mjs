// Loaded into each raftvsd by `bench:table-scale --cpu-prof DIR` through NODE_OPTIONS=--import
// (Node refuses --cpu-prof in NODE_OPTIONS, and LocalCluster takes no node flags). Plain
// JavaScript: it loads before tsx. With $TABLE_SCALE_PROFILE_DIR set it
//  - runs the V8 CPU profiler from start-up;
//  - notes every stall of the event loop over STALL_MS (a 5 ms timer that fired late), with its
//    start on the monotonic clock in microseconds, as V8 stamps profile samples;
//  - on SIGUSR2 stops the profiler and writes raftvsd-<pid>.cpuprofile and raftvsd-<pid>.stalls.json.

import { renameSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";

const dir = process.env.TABLE_SCALE_PROFILE_DIR;
const STALL_MS = 50;
const CHECK_MS = 5;

if (dir) {
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");

  const stalls = [];
  let last = nowUs();
  const timer = setInterval(() => {
    const now = nowUs();
    const lateMs = (now - last) / 1000 - CHECK_MS;
    if (lateMs > STALL_MS) stalls.push({ atUs: last, ms: lateMs });
    last = now;
  }, CHECK_MS);
  timer.unref();

  process.once("SIGUSR2", () => {
    clearInterval(timer);
    // The in-thread session answers synchronously, so the files are written before this returns.
    session.post("Profiler.stop", (err, res) => {
      if (err) return;
      const base = join(dir, `raftvsd-${process.pid}`);
      writeFileSync(`${base}.stalls.json`, JSON.stringify(stalls));
      // Renamed into place last: the bench waits for this name.
      writeFileSync(`${base}.cpuprofile.tmp`, JSON.stringify(res.profile));
      renameSync(`${base}.cpuprofile.tmp`, `${base}.cpuprofile`);
    });
  });
}
