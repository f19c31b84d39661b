// Tests for the simulated network and its event queue: ordering, delays, drops, duplicates,
// partitions and stalls, all reproducible from a seed.

import test from "ava";
import { SeededRandom } from "../rand.ts";
import { EventQueue } from "./event-queue.ts";
import { CALM_NETWORK, type NetworkFaults, SimNetwork } from "./network.ts";

interface Msg {
  from: number;
  to: number;
  n: number;
}

const copy = (m: Msg): Msg => ({ ...m });

function drain(net: SimNetwork<Msg>, until: number): { at: number; msg: Msg; delivered: boolean }[] {
  const out: { at: number; msg: Msg; delivered: boolean }[] = [];
  for (let now = 0; now <= until; now++) {
    for (;;) {
      const d = net.popDue(now);
      if (d === undefined) break;
      out.push({ at: now, ...d });
    }
  }
  return out;
}

test("the event queue pops by time, then in insertion order", (t) => {
  const q = new EventQueue<string>();
  q.push(5, "c");
  q.push(1, "a");
  q.push(5, "d");
  q.push(1, "b");
  q.push(3, "x");
  t.is(q.peekTime(), 1);
  t.is(q.popDue(0), undefined);
  const got: string[] = [];
  for (let now = 0; now <= 5; now++)
    for (let v = q.popDue(now); v !== undefined; v = q.popDue(now)) got.push(v);
  t.deepEqual(got, ["a", "b", "x", "c", "d"]);
  t.is(q.size, 0);
  t.is(q.peekTime(), Number.POSITIVE_INFINITY);
});

test("the event queue stays ordered under many random pushes", (t) => {
  const rng = new SeededRandom(7);
  const q = new EventQueue<number>();
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const at = rng.int(100);
    times.push(at);
    q.push(at, at);
  }
  const out: number[] = [];
  for (let v = q.popDue(1000); v !== undefined; v = q.popDue(1000)) out.push(v);
  t.deepEqual(
    out,
    times.sort((a, b) => a - b),
  );
});

test("a calm network delivers everything within its delay bounds", (t) => {
  const net = new SimNetwork<Msg>(new SeededRandom(1), CALM_NETWORK, copy);
  for (let i = 0; i < 100; i++) t.is(net.send({ from: 1, to: 2, n: i }, 0), "sent");
  const got = drain(net, 10);
  t.is(got.length, 100);
  for (const d of got) {
    t.true(d.delivered);
    t.true(d.at >= CALM_NETWORK.minDelay && d.at <= CALM_NETWORK.maxDelay);
  }
  t.deepEqual(net.stats, { sent: 100, delivered: 100, dropped: 0, partitioned: 0, duplicated: 0 });
});

test("random delays reorder messages, and the same seed reorders them the same way", (t) => {
  const faults: NetworkFaults = { ...CALM_NETWORK, maxDelay: 20 };
  const order = (seed: number): number[] => {
    const net = new SimNetwork<Msg>(new SeededRandom(seed), faults, copy);
    for (let i = 0; i < 50; i++) net.send({ from: 1, to: 2, n: i }, i);
    return drain(net, 100).map((d) => d.msg.n);
  };
  const a = order(3);
  t.deepEqual(order(3), a);
  t.notDeepEqual(
    a,
    [...a].sort((x, y) => x - y),
  );
});

test("drops and duplicates happen at about their rates", (t) => {
  const faults: NetworkFaults = { ...CALM_NETWORK, dropRate: 0.2, duplicateRate: 0.1 };
  const net = new SimNetwork<Msg>(new SeededRandom(11), faults, copy);
  let dropped = 0;
  for (let i = 0; i < 5000; i++) if (net.send({ from: 1, to: 2, n: i }, 0) === "dropped") dropped++;
  t.true(dropped > 800 && dropped < 1200, `dropped ${dropped}`);
  const got = drain(net, 10);
  t.is(got.length, 5000 - dropped + net.stats.duplicated);
  t.true(net.stats.duplicated > 250 && net.stats.duplicated < 550, `duplicated ${net.stats.duplicated}`);
  const copies = new Map<number, Msg[]>();
  for (const d of got) copies.set(d.msg.n, [...(copies.get(d.msg.n) ?? []), d.msg]);
  const dup = [...copies.values()].find((c) => c.length === 2)!;
  t.not(dup[0], dup[1], "a duplicate is a copy, not the same object");
});

test("a partition drops messages at send and in flight, and heals", (t) => {
  const net = new SimNetwork<Msg>(new SeededRandom(5), { ...CALM_NETWORK, minDelay: 5, maxDelay: 5 }, copy);
  t.is(net.send({ from: 1, to: 3, n: 1 }, 0), "sent"); // in flight when the partition starts
  net.partition([1], [2, 3]);
  t.is(net.send({ from: 1, to: 2, n: 2 }, 1), "partitioned");
  t.is(net.send({ from: 3, to: 1, n: 3 }, 1), "partitioned");
  t.is(net.send({ from: 2, to: 3, n: 4 }, 1), "sent");
  const got = drain(net, 10);
  t.deepEqual(
    got.map((d) => [d.msg.n, d.delivered]),
    [
      [1, false],
      [4, true],
    ],
  );
  net.heal();
  t.is(net.send({ from: 1, to: 2, n: 5 }, 11), "sent");
});

test("a one-way cut blocks one direction only", (t) => {
  const net = new SimNetwork<Msg>(new SeededRandom(5), CALM_NETWORK, copy);
  net.cut(1, 2);
  t.true(net.isCut(1, 2));
  t.false(net.isCut(2, 1));
  t.is(net.send({ from: 2, to: 1, n: 1 }, 0), "sent");
  t.is(net.send({ from: 1, to: 2, n: 2 }, 0), "partitioned");
});

test("a stalled link holds messages and releases them after the stall", (t) => {
  const net = new SimNetwork<Msg>(new SeededRandom(5), { ...CALM_NETWORK, minDelay: 1, maxDelay: 1 }, copy);
  net.stall(1, 2, 50);
  for (let i = 0; i < 5; i++) net.send({ from: 1, to: 2, n: i }, i);
  net.send({ from: 2, to: 1, n: 99 }, 0);
  const got = drain(net, 60);
  t.deepEqual(
    got.map((d) => [d.msg.n, d.at]),
    [
      [99, 1],
      [0, 51],
      [1, 51],
      [2, 51],
      [3, 51],
      [4, 51],
    ],
  );
});

test("messages to self skip the faults", (t) => {
  const net = new SimNetwork<Msg>(new SeededRandom(5), { ...CALM_NETWORK, dropRate: 1 }, copy);
  t.is(net.send({ from: 1, to: 1, n: 1 }, 3), "sent");
  t.is(net.popDue(3)?.msg.n, 1);
});
