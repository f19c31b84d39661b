// Checks that relaying runs off the main event loop: a 20 MB transfer through the proxy leaves a
// 10 ms main-thread interval on time (lag under 50 ms).

import net from "node:net";
import { performance } from "node:perf_hooks";
import test from "ava";
import { ProxyDataplane } from "./proxy-dataplane.ts";
import { backend, freePort, realServer, service } from "./test-helpers.ts";

const TOTAL = 20 * 1024 * 1024;

test.serial("a 20 MB transfer does not lag the main event loop", async (t) => {
  const dp = new ProxyDataplane();
  const chunk = Buffer.alloc(64 * 1024, 7);
  // The backend streams TOTAL bytes with backpressure, then ends.
  const src = await backend((s) => {
    let sent = 0;
    const pump = (): void => {
      while (sent < TOTAL) {
        sent += chunk.length;
        if (!s.write(chunk)) return void s.once("drain", pump);
      }
      s.end();
    };
    pump();
  });
  t.teardown(async () => {
    await dp.close();
    await src.close();
  });
  const port = await freePort();
  await dp.reconcile([service(port, [realServer(src.port)])]);

  let maxLag = 0;
  let ticks = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    ticks++;
    maxLag = Math.max(maxLag, now - last - 10);
    last = now;
  }, 10);
  try {
    const received = await new Promise<number>((resolve, reject) => {
      const c = net.connect({ host: "127.0.0.1", port });
      let n = 0;
      const guard = setTimeout(() => c.destroy(new Error("transfer timed out")), 20_000);
      c.on("data", (d: Buffer) => {
        n += d.length;
      });
      c.on("error", reject);
      c.on("end", () => {
        clearTimeout(guard);
        c.end();
        resolve(n);
      });
    });
    t.is(received, TOTAL);
  } finally {
    clearInterval(timer);
  }
  t.true(ticks >= 3, `only ${ticks} interval ticks`);
  t.true(maxLag < 50, `max main-loop lag ${maxLag.toFixed(1)} ms`);
  t.log(`max main-loop lag ${maxLag.toFixed(1)} ms over ${ticks} ticks`);
});
