// Round trips through the disk: what save() and createSnapshot() wrote is exactly what a reopen
// recovers (hard state, entries of every type, snapshots large and small).

import { randomBytes } from "node:crypto";
import test from "ava";
import { EntryType } from "../raft/index.ts";
import { entries, entry, logView, openStorage, reopen, tempDir } from "./test-helpers.ts";

const cs = { voters: [1, 2, 3], learners: [4] };

test("hard state, entries and a snapshot survive close and reopen unchanged", async (t) => {
  const s = await openStorage(t, await tempDir(t));
  t.true(s.isNew);
  const snapshot = { metadata: { index: 10, term: 2, confState: cs }, data: new Uint8Array([1, 2, 3]) };
  await s.save({ snapshot, entries: entries(11, 20, 3), hardState: { term: 3, vote: 2, commit: 15 } }, true);
  const confChange = { index: 21, term: 3, type: EntryType.ConfChange, data: new Uint8Array([9, 9]) };
  const empty = { ...entry(22, 4), data: new Uint8Array(0) };
  await s.save({ entries: [confChange, empty], hardState: { term: 4, vote: 0, commit: 21 } }, false);
  const before = {
    view: logView(s),
    init: s.initialState(),
    snap: s.snapshot(),
    terms: [10, 15, 22].map((i) => s.term(i)),
  };

  const r = await reopen(t, s);
  t.false(r.isNew);
  t.deepEqual(logView(r), before.view);
  t.deepEqual(r.initialState(), before.init);
  t.deepEqual(r.initialState(), { hardState: { term: 4, vote: 0, commit: 21 }, confState: cs });
  t.deepEqual(r.snapshot().metadata, before.snap.metadata);
  t.deepEqual([...r.snapshot().data], [1, 2, 3]);
  t.deepEqual(
    [10, 15, 22].map((i) => r.term(i)),
    before.terms,
  );
  t.is(r.entries(21, 22, 100)[0]!.type, EntryType.ConfChange);
  t.is(r.entries(22, 23, 100)[0]!.data.byteLength, 0);
});

test("snapshot data above the 4 MiB chunk size round-trips, and a smaller successor leaves no stale chunk", async (t) => {
  const s = await openStorage(t, await tempDir(t));
  const big = new Uint8Array(randomBytes(9 * 1024 * 1024 + 17));
  await s.save({ entries: entries(1, 30, 1), hardState: { term: 1, vote: 1, commit: 30 } }, true);
  await s.createSnapshot(20, cs, big, 5);
  let r = await reopen(t, s);
  t.true(Buffer.from(r.snapshot().data).equals(big));
  t.is(r.firstIndex(), 16);

  await r.createSnapshot(25, cs, new Uint8Array([5]), 0);
  r = await reopen(t, r); // a stale chunk would make this open fail as damaged
  t.deepEqual([...r.snapshot().data], [5]);
  t.is(r.firstIndex(), 26);
});

test("stats count saves, fsyncs and held entries", async (t) => {
  const s = await openStorage(t, await tempDir(t));
  await s.save({ entries: entries(1, 3, 1), hardState: { term: 1, vote: 1, commit: 0 } }, true);
  await s.save({ entries: entries(4, 5, 1) }, false);
  const st = s.stats();
  t.like(st, { firstIndex: 1, lastIndex: 5, entries: 5, saves: 2, fsyncs: 1, snapshotIndex: 0 });
  t.true(st.diskBytes > 0);
  t.true(st.bytesWritten > 0);
  t.true(st.lastSaveMs >= 0);
});
