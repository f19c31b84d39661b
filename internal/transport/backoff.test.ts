// Reconnect delays double from the initial delay up to the cap, jittered within [half, all].
import test from "ava";
import { Backoff } from "./backoff.ts";

test("delays double up to the cap and reset after success", (t) => {
  const top = new Backoff(50, 2000, () => 1);
  t.deepEqual(
    Array.from({ length: 8 }, () => top.next()),
    [50, 100, 200, 400, 800, 1600, 2000, 2000],
  );
  top.reset();
  t.is(top.next(), 50);
  const bottom = new Backoff(50, 2000, () => 0);
  t.deepEqual(
    Array.from({ length: 3 }, () => bottom.next()),
    [25, 50, 100],
  );
});

test("a long outage never overflows the delay", (t) => {
  const b = new Backoff(50, 2000);
  for (let i = 0; i < 10_000; i++) b.next();
  const d = b.next();
  t.true(d >= 1000 && d <= 2000);
});
