// A follower that was down while the others compacted their logs past its last entry rejoins
// through a snapshot from the leader (real processes, --snapshot-every 50 --snapshot-keep 10).

import test from "ava";
import { ItCluster } from "./support/cluster.ts";
import { mapLimit } from "./support/wait.ts";

const KEEP = 10;

test("a follower down while the log was compacted past its last index catches up by installing a snapshot from the leader", async (t) => {
  const c = await ItCluster.create(t, {
    nodes: 3,
    extraArgs: ["--snapshot-every", "50", "--snapshot-keep", String(KEEP)],
  });
  const ids = c.initialIds;
  c.startAll();
  const leader = await c.waitForLeader(30_000);
  await c.waitServing();
  await c.putRetry("first", "1");
  await c.waitConverged(ids, 10_000);

  const follower = ids.find((id) => id !== leader)!;
  const others = ids.filter((id) => id !== follower);
  const last = (await c.status(follower))!;
  t.is(await c.stop(follower), 0, "the follower stops cleanly");

  const keys = Array.from({ length: 300 }, (_, i) => ({ key: `snap-${i}`, value: `v${i}` }));
  await mapLimit(keys, 8, (k) => c.putRetry(k.key, k.value, others));
  const lead = await c.waitForLeader(10_000, others);
  const ls = (await c.status(lead))!;
  t.log(
    `follower ${follower} stopped at last index ${last.lastIndex}; leader ${lead} now at snapshot ` +
      `${ls.snapshotIndex}, last index ${ls.lastIndex}`,
  );
  t.true(
    ls.snapshotIndex - KEEP > last.lastIndex,
    "the leader compacted its log past the entries the follower is missing",
  );

  c.start(follower);
  const converged = await c.waitConverged(ids, 20_000, ls.appliedIndex);
  t.is(new Set(converged.map((s) => s.stateHash)).size, 1, "the returning follower has the same state hash");
  const installs = c.logsOf(follower, /installed a snapshot from the leader/);
  t.true(installs.length > 0, "the follower logged that it installed a snapshot from the leader");
  t.true(Number(installs[0]!.fields.index) > last.lastIndex, "the snapshot covers what it missed");
  // Its own local copy (serializable read, no leader involved) has the data.
  const local = await mapLimit(
    keys.slice(0, 50),
    8,
    async (k) => (await c.getRetry(k.key, [follower], { serializable: true })).value,
  );
  t.deepEqual(
    local,
    keys.slice(0, 50).map((k) => k.value),
    "the follower serves the compacted writes locally",
  );
});

// Regression guard: de23a52 ("the commit index rides with the next save") applied entries whose
// commit index was not yet written, and a snapshot of them was refused by storage ("createSnapshot:
// index N is past the committed index M"), a fatal error (fixed in 0e4fe3d). With a snapshot after
// every entry, any write hits that path.
test("a snapshot taken right after applying entries whose commit index is not yet saved does not stop the node", async (t) => {
  const c = await ItCluster.create(t, {
    nodes: 3,
    extraArgs: ["--snapshot-every", "1", "--snapshot-keep", "0"],
  });
  c.startAll();
  await c.waitForLeader(30_000);
  await c.waitServing();
  for (let i = 0; i < 5; i++) await c.putRetry(`k${i}`, `v${i}`, c.initialIds, { deadlineMs: 5000 });
  const converged = await c.waitConverged(c.initialIds, 5000);
  t.is(new Set(converged.map((s) => s.stateHash)).size, 1);
  const fatal = c.logs.filter((l) => l.level >= 50);
  for (const l of fatal.slice(0, 2)) t.log(`node ${l.node}: ${l.msg}: ${String(l.fields.err)}`);
  t.deepEqual(fatal, [], "no node stopped on a fatal error");
  t.deepEqual(c.runningIds(), c.initialIds, "every node still runs");
});
