// Restarting every raftvsd from its data dir, after SIGTERM and after kill -9 in the middle of
// writes: the nodes come back with identical state (state hashes) and no acknowledged write is lost.

import test from "ava";
import { ItCluster } from "./support/cluster.ts";
import { mapLimit, sleep } from "./support/wait.ts";

test("after SIGTERM of all nodes and a restart from disk every node has the same applied index and state hash and every key; after kill -9 of all nodes mid-writes no acknowledged write is lost", async (t) => {
  const c = await ItCluster.create(t, { nodes: 3 });
  const ids = c.initialIds;
  c.startAll();
  await c.waitForLeader(30_000);
  await c.waitServing();

  // ---- 200 keys, then a clean stop of every node ----
  const keys = Array.from({ length: 200 }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` }));
  await mapLimit(keys, 8, (k, i) => c.putRetry(k.key, k.value, [ids[i % ids.length]!]));
  const before = await c.waitConverged(ids, 10_000);
  // (A put retried after an unknown outcome may have been applied twice: at least 200.)
  t.true(before[0]!.revision >= keys.length, "every write applied");

  const codes = await Promise.all(ids.map((id) => c.stop(id)));
  t.deepEqual(codes, [0, 0, 0], "SIGTERM stops every node with exit code 0");

  c.startAll();
  await c.waitForLeader(30_000);
  await c.waitServing();
  const after = await c.waitConverged(ids, 15_000, before[0]!.appliedIndex);
  t.log(
    `before stop: applied ${before[0]!.appliedIndex} hash ${before[0]!.stateHash.slice(0, 12)}; ` +
      `after restart: applied ${after[0]!.appliedIndex} hash ${after[0]!.stateHash.slice(0, 12)}`,
  );
  t.is(new Set(after.map((s) => s.appliedIndex)).size, 1, "one applied index on all nodes");
  t.is(new Set(after.map((s) => s.stateHash)).size, 1, "one state hash on all nodes");
  t.true(
    after.every((s) => s.revision === before[0]!.revision),
    "the restart neither lost nor re-applied a write (same revision)",
  );
  for (const id of ids) {
    const values = await mapLimit(keys, 8, async (k) => (await c.getRetry(k.key, [id])).value);
    t.deepEqual(
      values,
      keys.map((k) => k.value),
      `node ${id} reads all 200 keys after the restart`,
    );
  }

  // ---- kill -9 of every node in the middle of a stream of writes ----
  const acked = new Map<string, string>();
  const attempted = new Map<string, string>();
  let killing = false;
  const hardStop = performance.now() + 30_000;
  const writer = async (w: number): Promise<void> => {
    for (let seq = 0; seq < 2000 && !killing && performance.now() < hardStop; seq++) {
      const key = `crash-${w}-${seq}`;
      const value = `v-${w}-${seq}`;
      attempted.set(key, value);
      try {
        await c.api.put(c.endpoint(ids[(w + seq) % ids.length]!), key, value);
        acked.set(key, value);
      } catch {
        await sleep(10);
      }
    }
  };
  const writers = Promise.all([1, 2, 3, 4].map(writer));
  const loadStart = performance.now();
  while (acked.size < 100 && performance.now() - loadStart < 10_000) await sleep(20);
  await Promise.all(ids.map((id) => c.kill(id)));
  killing = true;
  await writers;
  t.true(acked.size >= 100, `writes were acknowledged before the kill (${acked.size})`);

  c.startAll();
  await c.waitForLeader(30_000);
  await c.waitServing();
  const missing: string[] = [];
  const wrong: string[] = [];
  await mapLimit([...attempted], 8, async ([key, value]) => {
    const r = await c.getRetry(key, ids);
    if (r.found && r.value !== value) wrong.push(`${key}=${r.value}`);
    if (!r.found && acked.has(key)) missing.push(key);
  });
  t.log(`kill -9 of all nodes: ${acked.size} writes acknowledged of ${attempted.size} attempted`);
  t.deepEqual(missing, [], "every acknowledged write survives kill -9 of every node");
  t.deepEqual(wrong, [], "no key holds a value that was not written to it");
  const final = await c.waitConverged(ids, 15_000);
  t.is(new Set(final.map((s) => s.stateHash)).size, 1, "one state hash on all nodes after the crash restart");
});
