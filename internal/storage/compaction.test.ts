// Snapshots taken by the node and compaction: createSnapshot records the snapshot durably and
// drops the entries up to index - keepEntries in the same batch; a leader's snapshot replaces the log.

import test from "ava";
import { RaftErrorCode } from "../raft/index.ts";
import { StorageErrorCode } from "./errors.ts";
import { ENTRY_RANGE } from "./keys.ts";
import { entries, openStorage, rawDb, reopen, tempDir } from "./test-helpers.ts";

const cs = { voters: [1, 2, 3], learners: [] };

test("createSnapshot with compaction survives reopen; entries below firstIndex are Compacted", async (t) => {
  const dir = await tempDir(t);
  const s = await openStorage(t, dir);
  await s.save(
    { entries: [...entries(1, 5, 1), ...entries(6, 20, 2)], hardState: { term: 2, vote: 1, commit: 18 } },
    true,
  );
  const snap = await s.createSnapshot(15, cs, new Uint8Array([42]), 5);
  t.deepEqual(snap.metadata, { index: 15, term: 2, confState: cs });
  t.is(s.firstIndex(), 11);

  const r = await reopen(t, s);
  t.is(r.firstIndex(), 11);
  t.is(r.lastIndex(), 20);
  t.is(r.term(10), 2, "the compaction point's term stays readable");
  t.throws(() => r.term(9), { code: RaftErrorCode.Compacted });
  t.throws(() => r.entries(10, 12, 1000), { code: RaftErrorCode.Compacted });
  t.deepEqual(
    r.entries(11, 21, Number.MAX_SAFE_INTEGER).map((e) => e.index),
    [11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
  );
  t.deepEqual(r.snapshot().metadata, snap.metadata);
  t.deepEqual([...r.snapshot().data], [42]);
  await r.close();
  const db = await rawDb(t, dir);
  t.is((await db.keys(ENTRY_RANGE).all()).length, 10, "compacted keys are deleted");
});

test("keepEntries past the start of the log records the snapshot without compacting", async (t) => {
  const s = await openStorage(t, await tempDir(t));
  await s.save({ entries: entries(1, 6, 1), hardState: { term: 1, vote: 1, commit: 6 } }, true);
  await s.createSnapshot(4, cs, new Uint8Array(0), 100);
  const r = await reopen(t, s);
  t.is(r.firstIndex(), 1);
  t.is(r.snapshot().metadata.index, 4);
});

test("an older snapshot is SnapshotOutOfDate; an uncommitted index is refused", async (t) => {
  const s = await openStorage(t, await tempDir(t));
  await s.save({ entries: entries(1, 6, 1), hardState: { term: 1, vote: 1, commit: 5 } }, true);
  await s.createSnapshot(4, cs, new Uint8Array(0), 0);
  await t.throwsAsync(s.createSnapshot(4, cs, new Uint8Array(0), 0), {
    code: RaftErrorCode.SnapshotOutOfDate,
  });
  await t.throwsAsync(s.createSnapshot(6, cs, new Uint8Array(0), 0), {
    code: StorageErrorCode.InvalidArgument,
  });
  t.is(s.snapshot().metadata.index, 4);
});

test("a snapshot from the leader replaces the whole log, and entries after it may come in the same save", async (t) => {
  const dir = await tempDir(t);
  const s = await openStorage(t, dir);
  await s.save({ entries: entries(1, 8, 1), hardState: { term: 1, vote: 1, commit: 3 } }, true);
  const snapshot = { metadata: { index: 50, term: 4, confState: cs }, data: new Uint8Array([7]) };
  await s.save({ snapshot, entries: entries(51, 52, 4), hardState: { term: 4, vote: 0, commit: 50 } }, true);
  const r = await reopen(t, s);
  t.is(r.firstIndex(), 51);
  t.is(r.lastIndex(), 52);
  t.is(r.term(50), 4);
  t.deepEqual(r.initialState().hardState, { term: 4, vote: 0, commit: 50 });
  await r.close();
  const db = await rawDb(t, dir);
  t.is((await db.keys(ENTRY_RANGE).all()).length, 2, "the replaced entries 1..8 are deleted");
});
