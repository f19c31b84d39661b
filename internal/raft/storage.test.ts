// MemoryStorage against the Storage contract: the index ranges each method accepts, the error code
// outside them, compaction, snapshots, appends that truncate a conflicting suffix, and bootstrap.

import test from "ava";
import { RaftError, RaftErrorCode } from "./errors.ts";
import { bootstrapStorage, MemoryStorage } from "./storage.ts";
import { entries, entry } from "./test-helpers.ts";
import type { Entry } from "./types.ts";

const cs = { voters: [1, 2, 3], learners: [] };

/** Storage holding entries 1..5 of term 1. */
function fiveEntries(): MemoryStorage {
  const s = new MemoryStorage();
  s.append(entries(1, 5, 1));
  return s;
}

const indexes = (es: readonly Entry[]): number[] => es.map((e) => e.index);

test("an empty storage holds nothing: firstIndex 1, lastIndex 0, term(0) = 0", (t) => {
  const s = new MemoryStorage();
  t.is(s.firstIndex(), 1);
  t.is(s.lastIndex(), 0);
  t.is(s.term(0), 0);
  t.deepEqual(s.entries(1, 1, Number.MAX_SAFE_INTEGER), []);
  t.deepEqual(s.initialState().hardState, { term: 0, vote: 0, commit: 0 });
});

test("entries(lo, hi) returns [lo, hi); below firstIndex is Compacted, past lastIndex+1 Unavailable", (t) => {
  const s = fiveEntries();
  t.deepEqual(indexes(s.entries(2, 4, Number.MAX_SAFE_INTEGER)), [2, 3]);
  t.deepEqual(indexes(s.entries(1, 6, Number.MAX_SAFE_INTEGER)), [1, 2, 3, 4, 5]);
  t.throws(() => s.entries(0, 2, 100), { instanceOf: RaftError, code: RaftErrorCode.Compacted });
  t.throws(() => s.entries(3, 7, 100), { instanceOf: RaftError, code: RaftErrorCode.Unavailable });
});

test("entries() respects maxSizeBytes but always returns at least one entry", (t) => {
  const s = fiveEntries(); // each entry: 2 payload bytes + 16 header bytes = 18
  t.deepEqual(indexes(s.entries(1, 6, 0)), [1]);
  t.deepEqual(indexes(s.entries(1, 6, 36)), [1, 2]);
  t.deepEqual(indexes(s.entries(1, 6, 53)), [1, 2]);
  t.deepEqual(indexes(s.entries(1, 6, 54)), [1, 2, 3]);
});

test("term(i) answers for [firstIndex-1, lastIndex]; below is Compacted, above Unavailable", (t) => {
  const s = fiveEntries();
  s.compact(2);
  t.is(s.firstIndex(), 3);
  t.is(s.term(2), 1, "the compaction point's term stays readable");
  t.is(s.term(5), 1);
  t.throws(() => s.term(1), { instanceOf: RaftError, code: RaftErrorCode.Compacted });
  t.throws(() => s.term(6), { instanceOf: RaftError, code: RaftErrorCode.Unavailable });
});

test("compact(i) drops entries up to i; compacting at or below the current point is Compacted", (t) => {
  const s = fiveEntries();
  s.compact(3);
  t.is(s.firstIndex(), 4);
  t.is(s.lastIndex(), 5);
  t.deepEqual(indexes(s.entries(4, 6, 1000)), [4, 5]);
  t.throws(() => s.entries(3, 5, 1000), { instanceOf: RaftError, code: RaftErrorCode.Compacted });
  t.throws(() => s.compact(3), { instanceOf: RaftError, code: RaftErrorCode.Compacted });
  t.throws(() => s.compact(2), { instanceOf: RaftError, code: RaftErrorCode.Compacted });
  t.throws(() => s.compact(6), { instanceOf: RaftError, code: RaftErrorCode.Invariant });
  s.compact(5);
  t.is(s.firstIndex(), 6);
  t.is(s.lastIndex(), 5, "compacting everything leaves an empty log after the compaction point");
});

test("createSnapshot records the term of its index and does not compact; an older one is SnapshotOutOfDate", (t) => {
  const s = new MemoryStorage();
  s.append([...entries(1, 3, 1), ...entries(4, 5, 2)]);
  const data = new Uint8Array([7, 7]);
  const snap = s.createSnapshot(4, cs, data);
  t.deepEqual(snap.metadata, { index: 4, term: 2, confState: cs });
  t.is(snap.data, data);
  t.is(s.snapshot(), snap);
  t.is(s.firstIndex(), 1, "createSnapshot leaves compaction to compact()");
  t.throws(() => s.createSnapshot(4, cs, data), {
    instanceOf: RaftError,
    code: RaftErrorCode.SnapshotOutOfDate,
  });
  t.throws(() => s.createSnapshot(3, cs, data), {
    instanceOf: RaftError,
    code: RaftErrorCode.SnapshotOutOfDate,
  });
  t.throws(() => s.createSnapshot(6, cs, data), { instanceOf: RaftError, code: RaftErrorCode.Invariant });
});

test("applySnapshot replaces the whole log and the membership; an older snapshot is SnapshotOutOfDate", (t) => {
  const s = fiveEntries();
  s.applySnapshot({ metadata: { index: 10, term: 3, confState: cs }, data: new Uint8Array(0) });
  t.is(s.firstIndex(), 11);
  t.is(s.lastIndex(), 10);
  t.is(s.term(10), 3);
  t.throws(() => s.term(5), { instanceOf: RaftError, code: RaftErrorCode.Compacted });
  t.deepEqual(s.initialState().confState, cs);
  const older = { metadata: { index: 9, term: 3, confState: cs }, data: new Uint8Array(0) };
  t.throws(() => s.applySnapshot(older), { instanceOf: RaftError, code: RaftErrorCode.SnapshotOutOfDate });
  const same = { metadata: { index: 10, term: 3, confState: cs }, data: new Uint8Array(0) };
  t.throws(() => s.applySnapshot(same), { instanceOf: RaftError, code: RaftErrorCode.SnapshotOutOfDate });
  s.append([entry(11, 3)]);
  t.is(s.lastIndex(), 11);
});

test("append replaces the suffix that conflicts with the new entries (log matching, §5.3)", (t) => {
  const s = fiveEntries();
  s.append(entries(3, 4, 2));
  t.is(s.lastIndex(), 4, "entries after the new ones are dropped");
  t.deepEqual(
    s.entries(1, 5, 1000).map((e) => [e.index, e.term]),
    [
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 2],
    ],
  );
  s.append(entries(5, 6, 2));
  t.is(s.lastIndex(), 6, "a contiguous append extends the log");
});

test("append ignores the already compacted part of the new entries", (t) => {
  const s = fiveEntries();
  s.compact(3);
  s.append(entries(2, 6, 2));
  t.is(s.firstIndex(), 4);
  t.is(s.lastIndex(), 6);
  t.is(s.term(3), 1, "the compaction point is untouched");
  t.is(s.term(4), 2);
  s.append(entries(1, 2, 3));
  t.is(s.lastIndex(), 6, "an append entirely below firstIndex is a no-op");
});

test("append after a gap is an invariant violation", (t) => {
  const s = fiveEntries();
  t.throws(() => s.append([entry(7, 1)]), { instanceOf: RaftError, code: RaftErrorCode.Invariant });
  t.is(s.lastIndex(), 5);
});

test("hard state round-trips and is copied, not shared", (t) => {
  const s = new MemoryStorage();
  const hs = { term: 4, vote: 2, commit: 3 };
  s.setHardState(hs);
  hs.term = 99;
  t.deepEqual(s.hardState(), { term: 4, vote: 2, commit: 3 });
  t.deepEqual(s.initialState().hardState, { term: 4, vote: 2, commit: 3 });
});

test("bootstrapStorage writes a term-1 snapshot at index 1 holding the initial voters", (t) => {
  const s = new MemoryStorage();
  bootstrapStorage(s, [1, 2, 3]);
  t.is(s.firstIndex(), 2);
  t.is(s.lastIndex(), 1);
  t.is(s.term(1), 1);
  t.deepEqual(s.initialState(), {
    hardState: { term: 1, vote: 0, commit: 1 },
    confState: { voters: [1, 2, 3], learners: [] },
  });
});

test("bootstrapStorage refuses a non-empty storage and an empty voter list", (t) => {
  t.throws(() => bootstrapStorage(fiveEntries(), [1]), {
    instanceOf: RaftError,
    code: RaftErrorCode.Invariant,
  });
  t.throws(() => bootstrapStorage(new MemoryStorage(), []), {
    instanceOf: RaftError,
    code: RaftErrorCode.Invariant,
  });
});
