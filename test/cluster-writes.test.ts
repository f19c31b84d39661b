// Three real raftvsd processes: a write through any node's endpoint (leader or follower) commits
// and every node then serves it on a linearizable read; all nodes converge on one state hash.

import test from "ava";
import { describeError } from "./support/api.ts";
import { ItCluster } from "./support/cluster.ts";
import { mapLimit } from "./support/wait.ts";

test("puts through every node's endpoint commit, every node reads them linearizably, and all nodes reach one applied index and state hash", async (t) => {
  const c = await ItCluster.create(t, { nodes: 3 });
  c.startAll();
  const leader = await c.waitForLeader();
  await c.waitServing();
  t.log(`leader: node ${leader}`);

  // 10 puts through each node; followers forward to the leader. A put is tried again (through the
  // same node) only after an error proving it was not applied, such as "no leader" while a
  // starved machine holds an election; so no put can be applied twice.
  const writes = c.initialIds.flatMap((id) =>
    Array.from({ length: 10 }, (_, j) => ({ via: id, key: `w-${id}-${j}`, value: `value ${id}.${j}` })),
  );
  const failures: string[] = [];
  let retried = 0;
  const revisions = await mapLimit(writes, 6, async (w) => {
    try {
      const r = await c.putRetry(w.key, w.value, [w.via], { onlyIfNotApplied: true, deadlineMs: 10_000 });
      retried += r.attempts - 1;
      return r.revision;
    } catch (err) {
      failures.push(`put ${w.key} via node ${w.via}: ${describeError(err)}`);
      return 0;
    }
  });
  if (retried > 0) t.log(`${retried} puts were refused (no leader) and tried again`);
  t.deepEqual(failures, [], "every put succeeds, whichever node took it");
  t.is(new Set(revisions).size, writes.length, "each put got its own revision");

  // A linearizable Get on every node returns every value, right after the puts returned.
  for (const id of c.initialIds) {
    const got = await mapLimit(writes, 8, async (w) => (await c.getRetry(w.key, [id])).value);
    t.deepEqual(
      got,
      writes.map((w) => w.value),
      `node ${id} reads every write linearizably`,
    );
  }

  // Once applied everywhere, the states are byte-identical.
  const converged = await c.waitConverged(c.initialIds, 10_000);
  t.true(converged[0]!.appliedIndex >= writes.length + 1, "the writes are applied");
  t.is(new Set(converged.map((s) => s.stateHash)).size, 1, "one state hash on all nodes");
  t.true(
    converged.every((s) => s.revision === writes.length),
    "revision counts the writes on every node",
  );
  // And a local (serializable) read on each node now sees the same data.
  for (const id of c.initialIds) {
    const r = await c.getRetry(writes[writes.length - 1]!.key, [id], { serializable: true });
    t.is(r.value, writes[writes.length - 1]!.value, `node ${id} serves it locally too`);
  }
});
