// Tests for the WGL linearizability checker and the key-value register model: hand-written
// histories for each verdict, and seeded generated histories that are linearizable by construction.

import test from "ava";
import { SeededRandom } from "../rand.ts";
import { type KvInput, type KvOutput, kvModel } from "./kv-model.ts";
import { checkLinearizable, type Operation } from "./linearizability.ts";

type KvOp = Operation<KvInput, KvOutput>;

function put(clientId: number, key: string, value: string, call: number, ret: number): KvOp {
  return { clientId, input: { op: "put", key, value }, call, output: { value: undefined }, return: ret };
}

function get(clientId: number, key: string, value: string | undefined, call: number, ret: number): KvOp {
  return { clientId, input: { op: "get", key }, call, output: { value }, return: ret };
}

/** A put whose outcome the client never learned: it may or may not have taken effect. */
function lostPut(clientId: number, key: string, value: string, call: number): KvOp {
  return { clientId, input: { op: "put", key, value }, call, output: undefined, return: Infinity };
}

test("an empty history is linearizable", (t) => {
  t.deepEqual(checkLinearizable(kvModel, []), { verdict: "ok", steps: 0 });
});

test("a sequential history that follows the register is linearizable", (t) => {
  const h = [
    get(1, "x", undefined, 0, 1),
    put(1, "x", "a", 2, 3),
    get(2, "x", "a", 4, 5),
    put(2, "x", "", 6, 7),
    get(1, "x", "", 8, 9),
  ];
  t.is(checkLinearizable(kvModel, h).verdict, "ok");
});

test("a read concurrent with a put may see either the old or the new value", (t) => {
  const before = [put(1, "x", "a", 0, 10), get(2, "x", undefined, 5, 15)];
  const after = [put(1, "x", "a", 0, 10), get(2, "x", "a", 5, 15)];
  t.is(checkLinearizable(kvModel, before).verdict, "ok");
  t.is(checkLinearizable(kvModel, after).verdict, "ok");
});

test("a stale read after a completed write is illegal, and the explanation names the read", (t) => {
  const h = [put(1, "x", "a", 0, 10), put(1, "x", "b", 20, 30), get(2, "x", "a", 40, 50)];
  const r = checkLinearizable(kvModel, h);
  t.is(r.verdict, "illegal");
  t.regex(r.explanation ?? "", /partition 1 of 1/);
  t.regex(r.explanation ?? "", /longest linearizable prefix found: 2 operations/);
  t.regex(r.explanation ?? "", /#2 client 2 get\("x"\) -> "a" \[40, 50\]: rejected by the model/);
});

test("a read of a value never written is illegal", (t) => {
  const h = [put(1, "x", "a", 0, 10), get(2, "x", "zzz", 5, 15)];
  t.is(checkLinearizable(kvModel, h).verdict, "illegal");
});

test("the empty string and an absent key are different values", (t) => {
  t.is(checkLinearizable(kvModel, [get(1, "x", "", 0, 1)]).verdict, "illegal");
  t.not(kvModel.key(undefined), kvModel.key(""));
});

test("intervals are closed: a call at the same time as another's return is concurrent with it", (t) => {
  // The get may be linearized before the put because get.call === put.return.
  t.is(checkLinearizable(kvModel, [put(1, "x", "a", 0, 10), get(2, "x", undefined, 10, 20)]).verdict, "ok");
  // One tick later the put has definitely taken effect.
  t.is(
    checkLinearizable(kvModel, [put(1, "x", "a", 0, 10), get(2, "x", undefined, 11, 20)]).verdict,
    "illegal",
  );
});

test("an unknown-outcome put may have taken effect: a later read observing it is ok", (t) => {
  const h = [put(1, "x", "a", 0, 5), lostPut(2, "x", "b", 10), get(3, "x", "b", 100, 110)];
  t.is(checkLinearizable(kvModel, h).verdict, "ok");
});

test("an unknown-outcome put may never have taken effect: reads that never observe it are ok", (t) => {
  const h = [put(1, "x", "a", 0, 5), lostPut(2, "x", "b", 10), get(3, "x", "a", 100, 110)];
  t.is(checkLinearizable(kvModel, h).verdict, "ok");
});

test("an unknown-outcome put takes effect at most once: observed, then un-observed, is illegal", (t) => {
  const h = [
    put(1, "x", "a", 0, 5),
    lostPut(2, "x", "b", 10),
    get(3, "x", "b", 100, 110),
    get(3, "x", "a", 120, 130),
  ];
  t.is(checkLinearizable(kvModel, h).verdict, "illegal");
});

test("a get with unknown outcome constrains nothing", (t) => {
  const h: KvOp[] = [
    put(1, "x", "a", 0, 5),
    { clientId: 2, input: { op: "get", key: "x" }, call: 6, output: undefined, return: Infinity },
  ];
  t.is(checkLinearizable(kvModel, h).verdict, "ok");
});

test("non-monotonic read: new value then old value in real-time order is illegal", (t) => {
  // Each read alone is fine against the long concurrent put; together they go back in time.
  const h = [put(1, "x", "a", 0, 100), get(2, "x", "a", 10, 20), get(3, "x", undefined, 30, 40)];
  t.is(checkLinearizable(kvModel, h).verdict, "illegal");
  const reversed = [put(1, "x", "a", 0, 100), get(2, "x", undefined, 10, 20), get(3, "x", "a", 30, 40)];
  t.is(checkLinearizable(kvModel, reversed).verdict, "ok");
});

test("partitioning by key: one illegal key among many is found and named", (t) => {
  const h: KvOp[] = [];
  for (let k = 0; k < 10; k++) {
    const key = `k${k}`;
    h.push(put(k, key, `v${k}`, k * 10, k * 10 + 5));
    h.push(get(k + 100, key, k === 7 ? undefined : `v${k}`, 200 + k * 10, 205 + k * 10));
  }
  const r = checkLinearizable(kvModel, h);
  t.is(r.verdict, "illegal");
  t.regex(r.explanation ?? "", /partition 8 of 10/);
  t.regex(r.explanation ?? "", /get\("k7"\) -> absent/);
  // Without the bad key every partition checks.
  t.is(
    checkLinearizable(
      kvModel,
      h.filter((op) => op.input.key !== "k7"),
    ).verdict,
    "ok",
  );
});

test("a model without partition checks the whole history as one", (t) => {
  const single = { ...kvModel, partition: undefined };
  t.is(checkLinearizable(single, [put(1, "x", "a", 0, 10), get(2, "x", "a", 5, 15)]).verdict, "ok");
  t.is(checkLinearizable(single, [put(1, "x", "a", 0, 10), get(2, "x", "b", 5, 15)]).verdict, "illegal");
});

test("a malformed history throws instead of being judged", (t) => {
  t.throws(() => checkLinearizable(kvModel, [put(1, "x", "a", 10, 5)]), { instanceOf: RangeError });
  t.throws(() => checkLinearizable(kvModel, [put(1, "x", "a", Number.NaN, 5)]), { instanceOf: RangeError });
  t.throws(() => checkLinearizable(kvModel, [], { maxSteps: -1 }), { instanceOf: RangeError });
});

/** `n` puts of distinct values all concurrent with a read of a value none of them wrote. */
function hardHistory(n: number): KvOp[] {
  const h: KvOp[] = [];
  for (let i = 0; i < n; i++) h.push(put(i, "x", `v${i}`, i, 1000 + i));
  h.push(get(n, "x", "never", 0, 2000));
  return h;
}

test("a tiny step budget on a hard history gives unknown, a big one decides it", (t) => {
  const r = checkLinearizable(kvModel, hardHistory(20), { maxSteps: 1000 });
  t.is(r.verdict, "unknown");
  t.is(r.steps, 1000);
  t.regex(r.explanation ?? "", /budget of 1000 steps exhausted/);
  t.is(checkLinearizable(kvModel, hardHistory(8)).verdict, "illegal");
});

/**
 * Reference checker by brute force: tries every order of all ops that respects real-time order
 * (a before b when a.return < b.call) against a map of all keys. Only for tiny histories.
 */
function bruteForceLinearizable(h: KvOp[]): boolean {
  const used = new Array<boolean>(h.length).fill(false);
  const search = (state: Map<string, string>, placed: number): boolean => {
    if (placed === h.length) return true;
    for (let i = 0; i < h.length; i++) {
      if (used[i]) continue;
      const op = h[i]!;
      // Every unplaced op that returned before this call must come first.
      if (h.some((other, j) => !used[j] && j !== i && other.return < op.call)) continue;
      let nextState = state;
      if (op.input.op === "put") {
        nextState = new Map(state).set(op.input.key, op.input.value);
      } else if (op.output !== undefined && op.output.value !== state.get(op.input.key)) {
        continue;
      }
      used[i] = true;
      const found = search(nextState, placed + 1);
      used[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(new Map(), 0);
}

test("the checker agrees with brute force on random tiny histories, legal or not", (t) => {
  const rnd = new SeededRandom(2024);
  const values = [undefined, "a", "b"];
  let illegal = 0;
  for (let round = 0; round < 3000; round++) {
    const h: KvOp[] = [];
    const n = 1 + rnd.int(7);
    for (let i = 0; i < n; i++) {
      const key = rnd.next() < 0.7 ? "x" : "y";
      const call = rnd.int(20);
      const ret = call + rnd.int(8);
      const lost = rnd.next() < 0.15;
      if (rnd.next() < 0.5) {
        const value = rnd.next() < 0.5 ? "a" : "b";
        h.push(lost ? lostPut(i, key, value, call) : put(i, key, value, call, ret));
      } else if (lost) {
        h.push({ clientId: i, input: { op: "get", key }, call, output: undefined, return: Infinity });
      } else {
        h.push(get(i, key, values[rnd.int(values.length)], call, ret));
      }
    }
    const want = bruteForceLinearizable(h) ? "ok" : "illegal";
    if (want === "illegal") illegal++;
    const got = checkLinearizable(kvModel, h).verdict;
    if (got !== want) {
      t.fail(`round ${round}: checker says ${got}, brute force ${want}: ${JSON.stringify(h)}`);
      return;
    }
  }
  t.true(illegal > 500 && illegal < 2500, `${illegal} illegal histories out of 3000: too one-sided`);
});

// --- Generated histories ------------------------------------------------------------------------

interface GenOptions {
  seed: number;
  ops: number;
  keys: number;
  clients: number;
  /** Chance per scheduling step that a pending call times out (outcome unknown). */
  lossProbability: number;
}

interface Pending {
  index: number;
  applied: boolean;
  output: KvOutput | undefined;
}

/**
 * Simulates clients against a real register per key. Every op takes effect at one instant
 * between its call and its return (or, when lost, at some later instant or never), so the
 * history is linearizable by construction. Put values are unique.
 */
function generateHistory(o: GenOptions): KvOp[] {
  const rnd = new SeededRandom(o.seed);
  const truth = new Map<string, string>();
  const history: KvOp[] = [];
  const clients: (Pending | undefined)[] = new Array(o.clients).fill(undefined);
  const ghosts: KvInput[] = []; // lost ops that have not taken effect yet
  let now = 0;
  let issued = 0;
  let written = 0;

  const apply = (input: KvInput): KvOutput => {
    if (input.op === "put") {
      truth.set(input.key, input.value);
      return { value: undefined };
    }
    return { value: truth.get(input.key) };
  };

  while (issued < o.ops || clients.some((c) => c !== undefined)) {
    now++;
    if (ghosts.length > 0 && rnd.next() < 0.05) {
      apply(ghosts.splice(rnd.int(ghosts.length), 1)[0]!);
      continue;
    }
    const c = rnd.int(o.clients);
    const p = clients[c];
    if (p === undefined) {
      if (issued >= o.ops) continue;
      const key = `k${rnd.int(o.keys)}`;
      const input: KvInput =
        rnd.next() < 0.5 ? { op: "put", key, value: `v${written++}` } : { op: "get", key };
      clients[c] = { index: history.length, applied: false, output: undefined };
      history.push({ clientId: c, input, call: now, output: undefined, return: Infinity });
      issued++;
    } else if (rnd.next() < o.lossProbability) {
      // Timed out: the history keeps output undefined and return Infinity.
      const op = history[p.index]!;
      if (!p.applied && op.input.op === "put" && rnd.next() < 0.5) ghosts.push(op.input);
      clients[c] = undefined;
    } else if (!p.applied) {
      p.output = apply(history[p.index]!.input);
      p.applied = true;
    } else {
      const op = history[p.index]!;
      op.output = p.output;
      op.return = now;
      clients[c] = undefined;
    }
  }
  return history;
}

/** A get whose output is replaced by a value some put wrote and a later put overwrote before the get's call. */
function staleReadCorruption(h: KvOp[]): KvOp[] | undefined {
  const puts = h.filter((op) => op.input.op === "put" && op.output !== undefined);
  for (let gi = 0; gi < h.length; gi++) {
    const g = h[gi]!;
    if (g.input.op !== "get" || g.output === undefined) continue;
    for (const q of puts) {
      if (q.input.key !== g.input.key || q.return >= g.call) continue;
      for (const p of puts) {
        if (p.input.key !== g.input.key || p.return >= q.call || p.input.op !== "put") continue;
        if (p.input.value === g.output.value) continue;
        const bad = { ...g, output: { value: p.input.value } };
        return h.map((op, i) => (i === gi ? bad : op));
      }
    }
  }
  return undefined;
}

test("generated linearizable histories check ok; one corrupted read makes them illegal", (t) => {
  let staleChecked = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const o: GenOptions = { seed, ops: 150, keys: 3, clients: 1 + (seed % 6), lossProbability: 0.02 };
    const h = generateHistory(o);
    const r = checkLinearizable(kvModel, h);
    t.is(r.verdict, "ok", `seed=${seed}: ${r.explanation ?? ""}`);

    const rnd = new SeededRandom(seed * 7919);
    const gets = h.flatMap((op, i) => (op.input.op === "get" && op.output !== undefined ? [i] : []));
    if (gets.length > 0) {
      const gi = gets[rnd.int(gets.length)]!;
      const never = h.map((op, i) => (i === gi ? { ...op, output: { value: "never-written" } } : op));
      t.is(checkLinearizable(kvModel, never).verdict, "illegal", `seed=${seed}: never-written read`);
    }

    const stale = staleReadCorruption(h);
    if (stale !== undefined) {
      staleChecked++;
      t.is(checkLinearizable(kvModel, stale).verdict, "illegal", `seed=${seed}: stale read`);
    }
  }
  t.true(staleChecked > 30, `only ${staleChecked} histories had a stale-read corruption`);
});

test("performance sanity: a 2,000-op history over 8 keys with 5 clients checks ok", (t) => {
  const h = generateHistory({ seed: 42, ops: 2000, keys: 8, clients: 5, lossProbability: 0.01 });
  t.is(h.length, 2000);
  t.true(h.some((op) => op.return === Infinity));
  const r = checkLinearizable(kvModel, h);
  t.is(r.verdict, "ok", r.explanation);
  t.log(`${h.length} ops, ${r.steps} steps`);
});
