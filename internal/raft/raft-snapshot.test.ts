// Snapshots (§7): a leader that compacted its log sends a snapshot to a lagging follower, the
// transport's reportSnapshot outcome, stale and redundant snapshots, and the Ready contract for them.

import test from "ava";
import { RaftError, RaftErrorCode } from "./errors.ts";
import type { MemoryCluster } from "./memory-cluster.ts";
import {
  appliedData,
  dec,
  drainReadies,
  enc,
  entries,
  handleReady,
  msg,
  newCluster,
  newNode,
  proposeAndSettle,
  Tap,
  tickNodes,
  tickUntil,
} from "./test-helpers.ts";
import { MessageType } from "./types.ts";

const cs = { voters: [1, 2, 3], learners: [] };

/**
 * Leader 1 commits `n` entries while node 3 is cut off, then snapshots at its applied index and
 * compacts its log there. Returns the snapshot index.
 */
function compactWhileCutOff(c: MemoryCluster, n: number): number {
  c.elect(1);
  c.isolate(3);
  for (let i = 0; i < n; i++) proposeAndSettle(c, 1, `v${i}`);
  const l = c.node(1);
  const applied = l.rn.raft.raftLog.applied;
  l.storage.createSnapshot(applied, l.rn.status().confState, enc(`state@${applied}`));
  l.storage.compact(applied);
  return applied;
}

test("§7: a follower cut off while the leader compacted receives a snapshot and catches up", (t) => {
  const c = newCluster(3);
  const snapIndex = compactWhileCutOff(c, 5);
  const tap = new Tap(c);
  c.heal();
  tickUntil(c, () => c.node(3).rn.raft.raftLog.lastIndex() === c.node(1).rn.raft.raftLog.lastIndex(), 20);
  t.is(
    tap.count((m) => m.type === MessageType.Snap && m.to === 3),
    1,
  );
  const n3 = c.node(3);
  t.is(n3.storage.snapshot().metadata.index, snapIndex);
  t.is(dec(n3.storage.snapshot().data), `state@${snapIndex}`);
  t.is(n3.rn.raft.raftLog.committed, snapIndex);
  t.is(n3.rn.raft.raftLog.applied, snapIndex);
  proposeAndSettle(c, 1, "after");
  t.deepEqual(appliedData(n3), ["after"], "entries after the snapshot are applied as usual");
  t.is(c.node(1).rn.status().progress?.get(3)?.state, "replicate");
});

test("reportSnapshot(failure): the leader goes from snapshot to probe and sends the snapshot again later", (t) => {
  const c = newCluster(3);
  const snapIndex = compactWhileCutOff(c, 3);
  const l = c.node(1);
  const pr = () => l.rn.status().progress?.get(3);
  l.rn.reportUnreachable(3);
  proposeAndSettle(c, 1, "triggers-a-send");
  t.is(pr()?.state, "snapshot", "the entries node 3 needs are compacted: a snapshot was sent (and lost)");
  const tap = new Tap(c);
  proposeAndSettle(c, 1, "paused");
  t.is(
    tap.count((m) => m.to === 3 && m.type === MessageType.App),
    0,
  );
  l.rn.reportSnapshot(3, false);
  t.is(pr()?.state, "probe");
  t.is(pr()?.next, pr()!.match + 1, "after a failure, probe from what the follower is known to hold");
  c.heal();
  tickUntil(c, () => appliedData(c.node(3)).includes("paused"), 20);
  t.is(
    tap.count((m) => m.type === MessageType.Snap && m.to === 3),
    1,
    "resent once the follower answered",
  );
  t.is(c.node(3).storage.snapshot().metadata.index, snapIndex);
});

test("reportSnapshot(success): the leader goes from snapshot to probe right after the snapshot index", (t) => {
  const c = newCluster(3);
  const snapIndex = compactWhileCutOff(c, 3);
  const l = c.node(1);
  l.rn.reportUnreachable(3);
  proposeAndSettle(c, 1, "triggers-a-send");
  t.is(l.rn.status().progress?.get(3)?.state, "snapshot");
  l.rn.reportSnapshot(3, true);
  t.is(l.rn.status().progress?.get(3)?.state, "probe");
  t.is(l.rn.status().progress?.get(3)?.next, snapIndex + 1);
  // It was in fact lost: after healing, the follower's rejection leads to a new snapshot.
  c.heal();
  tickUntil(c, () => appliedData(c.node(3)).includes("triggers-a-send"), 20);
  t.is(c.node(3).rn.raft.raftLog.lastIndex(), l.rn.raft.raftLog.lastIndex());
});

test("reportSnapshot outside the snapshot state changes nothing", (t) => {
  const c = newCluster(3);
  c.elect(1);
  const before = c.node(1).rn.status().progress?.get(2);
  c.node(1).rn.reportSnapshot(2, false);
  t.deepEqual(c.node(1).rn.status().progress?.get(2), before);
});

test("a snapshot temporarily unavailable from storage is retried later, not fatal", (t) => {
  const c = newCluster(3);
  compactWhileCutOff(c, 3);
  const storage = c.node(1).storage;
  const real = storage.snapshot.bind(storage);
  let available = false;
  storage.snapshot = () => {
    if (!available) throw new RaftError(RaftErrorCode.SnapshotTemporarilyUnavailable, "busy");
    return real();
  };
  const tap = new Tap(c);
  c.heal();
  tickNodes(c, [1, 2, 3], 5);
  t.is(
    tap.count((m) => m.type === MessageType.Snap),
    0,
  );
  available = true;
  tickUntil(c, () => c.node(3).rn.raft.raftLog.lastIndex() === c.node(1).rn.raft.raftLog.lastIndex(), 20);
  t.is(
    tap.count((m) => m.type === MessageType.Snap),
    1,
  );
});

test("§7: a snapshot whose last entry the follower already holds only fast-forwards its commit", (t) => {
  const { rn, storage } = newNode(2, [1, 2, 3]);
  rn.step(msg(MessageType.App, 1, 2, 2, { index: 1, logTerm: 1, entries: entries(2, 5, 2), commit: 2 }));
  drainReadies(rn, storage);
  t.is(rn.raft.raftLog.committed, 2);
  const snapshot = { metadata: { index: 4, term: 2, confState: cs }, data: enc("s") };
  rn.step(msg(MessageType.Snap, 1, 2, 2, { snapshot }));
  t.is(rn.raft.raftLog.committed, 4);
  t.is(rn.raft.raftLog.lastIndex(), 5, "entries after the snapshot are kept");
  const rd = handleReady(rn, storage);
  t.is(rd.snapshot, undefined, "nothing to install");
  t.deepEqual(
    rd.messages.map((m) => [m.type, m.index, m.reject]),
    [[MessageType.AppResp, 4, false]],
  );
});

test("§7: a snapshot at or below the commit index is ignored and answered with the commit index", (t) => {
  const { rn, storage } = newNode(2, [1, 2, 3]);
  rn.step(msg(MessageType.App, 1, 2, 2, { index: 1, logTerm: 1, entries: entries(2, 5, 2), commit: 5 }));
  drainReadies(rn, storage);
  const snapshot = { metadata: { index: 3, term: 2, confState: cs }, data: enc("old") };
  rn.step(msg(MessageType.Snap, 1, 2, 2, { snapshot }));
  const msgs = drainReadies(rn, storage);
  t.deepEqual(
    msgs.map((m) => [m.type, m.index]),
    [[MessageType.AppResp, 5]],
  );
  t.is(storage.snapshot().metadata.index, 1, "not installed");
  t.is(rn.raft.raftLog.lastIndex(), 5);
});

test("§7: a newer snapshot replaces the log; Ready hands it out before any entry after it is applied", (t) => {
  const { rn, storage } = newNode(2, [1, 2, 3]);
  rn.step(msg(MessageType.App, 1, 2, 2, { index: 1, logTerm: 1, entries: entries(2, 3, 2), commit: 1 }));
  drainReadies(rn, storage);
  const snapshot = { metadata: { index: 10, term: 3, confState: cs }, data: enc("ten") };
  rn.step(msg(MessageType.Snap, 1, 2, 3, { snapshot }));
  t.true(rn.hasReady());
  const rd = rn.ready();
  t.is(rd.snapshot, snapshot);
  t.deepEqual(rd.committedEntries, []);
  t.deepEqual(rd.entries, []);
  t.is(rd.hardState?.commit, 10);
  t.is(rd.hardState?.term, 3);
  t.deepEqual(
    rd.messages.map((m) => [m.type, m.index]),
    [[MessageType.AppResp, 10]],
  );
  storage.applySnapshot(rd.snapshot!);
  storage.setHardState(rd.hardState!);
  rn.advance();
  t.is(rn.raft.raftLog.applied, 10);
  t.is(rn.raft.raftLog.firstIndex(), 11);
  t.false(rn.hasReady());
});
