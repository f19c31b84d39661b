// save() refuses input that would break the log's invariants (the ones checked on open) with
// STORAGE_INVALID_ARGUMENT, before writing anything.

import test from "ava";
import { StorageErrorCode } from "./errors.ts";
import { entries, entry, logView, openStorage, reopen, tempDir } from "./test-helpers.ts";
import type { SaveInput } from "./write-plan.ts";

const cs = { voters: [1], learners: [] };
const snapshotAt = (index: number, term: number) => ({
  metadata: { index, term, confState: cs },
  data: new Uint8Array(0),
});

// The storage holds entries 1..10 of term 2, hard state {term 3, vote 1, commit 6}, a snapshot at 4.
const cases: [string, SaveInput][] = [
  ["a gap after the last entry", { entries: entries(12, 13, 3) }],
  ["non-contiguous entries", { entries: [entry(11, 3), entry(13, 3)] }],
  ["a term below the preceding entry's", { entries: [entry(11, 1)] }],
  ["terms decreasing within the batch", { entries: [entry(11, 3), entry(12, 2)] }],
  ["replacing a committed entry with another term", { entries: entries(6, 8, 3) }],
  [
    "truncating below the commit index",
    { entries: [entry(6, 2), entry(7, 3)], hardState: { term: 3, vote: 1, commit: 9 } },
  ],
  ["a commit index past the new last entry", { entries: [], hardState: { term: 3, vote: 1, commit: 11 } }],
  ["a commit index going backwards", { entries: [], hardState: { term: 3, vote: 1, commit: 5 } }],
  ["a term going backwards", { entries: [], hardState: { term: 2, vote: 1, commit: 6 } }],
  ["a negative hard state field", { entries: [], hardState: { term: 3, vote: -1, commit: 6 } }],
  [
    "a snapshot not newer than the held one",
    { entries: [], snapshot: snapshotAt(4, 2), hardState: { term: 3, vote: 1, commit: 6 } },
  ],
  ["a snapshot past the commit index it brings", { entries: [], snapshot: snapshotAt(20, 3) }],
  ["an unknown entry type", { entries: [{ ...entry(11, 3), type: "bogus" as never }] }],
  ["entry data that is not bytes", { entries: [{ ...entry(11, 3), data: "hi" as never }] }],
  ["a fractional index", { entries: [{ ...entry(11, 3), index: 11.5 }] }],
  ["no entries list", { hardState: { term: 3, vote: 1, commit: 6 } } as never],
];

for (const [name, rd] of cases) {
  test(`save refuses ${name}, writing nothing`, async (t) => {
    const s = await openStorage(t, await tempDir(t));
    await s.save({ entries: entries(1, 10, 2), hardState: { term: 3, vote: 1, commit: 6 } }, true);
    await s.createSnapshot(4, cs, new Uint8Array(0), 10);
    const before = { view: logView(s), init: s.initialState() };
    await t.throwsAsync(s.save(rd, true), { code: StorageErrorCode.InvalidArgument });
    t.deepEqual(logView(s), before.view);
    const r = await reopen(t, s);
    t.deepEqual(logView(r), before.view);
    t.deepEqual(r.initialState(), before.init);
    await r.save({ entries: entries(11, 11, 3) }, true);
    t.is(r.lastIndex(), 11, "the storage still accepts good writes");
  });
}
