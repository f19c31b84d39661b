// Appends that replace a conflicting suffix: the stale entries above the new last index are
// deleted from disk in the same batch, so a reopen shows only the new ones.

import test from "ava";
import { RaftErrorCode } from "../raft/index.ts";
import { ENTRY_RANGE } from "./keys.ts";
import { entries, openStorage, rawDb, reopen, tempDir } from "./test-helpers.ts";

test("a shorter conflicting suffix replaces the old one and the stale entries are gone after reopen", async (t) => {
  const dir = await tempDir(t);
  const s = await openStorage(t, dir);
  await s.save({ entries: entries(1, 10, 1), hardState: { term: 1, vote: 1, commit: 3 } }, true);
  await s.save({ entries: entries(5, 6, 2), hardState: { term: 2, vote: 2, commit: 3 } }, true);
  t.is(s.lastIndex(), 6);
  t.throws(() => s.term(7), { code: RaftErrorCode.Unavailable });

  const r = await reopen(t, s);
  t.is(r.lastIndex(), 6);
  t.deepEqual(
    r.entries(1, 7, Number.MAX_SAFE_INTEGER).map((e) => [e.index, e.term]),
    [
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 2],
      [6, 2],
    ],
  );
  await r.close();
  const db = await rawDb(t, dir);
  t.is((await db.keys(ENTRY_RANGE).all()).length, 6, "no key above index 6 remains");
});

test("a longer conflicting suffix overwrites in place", async (t) => {
  const s = await openStorage(t, await tempDir(t));
  await s.save({ entries: entries(1, 5, 1), hardState: { term: 1, vote: 1, commit: 2 } }, true);
  await s.save({ entries: entries(3, 9, 3), hardState: { term: 3, vote: 0, commit: 2 } }, true);
  const r = await reopen(t, s);
  t.deepEqual(
    r.entries(1, 10, Number.MAX_SAFE_INTEGER).map((e) => e.term),
    [1, 1, 3, 3, 3, 3, 3, 3, 3],
  );
});

test("entries already covered by the compaction point are skipped", async (t) => {
  const s = await openStorage(t, await tempDir(t));
  await s.save({ entries: entries(1, 10, 1), hardState: { term: 1, vote: 1, commit: 10 } }, true);
  await s.createSnapshot(8, { voters: [1], learners: [] }, new Uint8Array(0), 2);
  await s.save({ entries: entries(4, 12, 1) }, true);
  const r = await reopen(t, s);
  t.is(r.firstIndex(), 7);
  t.is(r.lastIndex(), 12);
});
