// RaftLog (stable storage + unstable tail) and UnstableLog: AppendEntries consistency checks (§5.3),
// fast-backtracking hints, the election restriction (§5.4.1), the commit rule (§5.4.2) and slicing.

import test from "ava";
import { RaftError, RaftErrorCode } from "./errors.ts";
import { RaftLog } from "./log.ts";
import { UnstableLog } from "./log-unstable.ts";
import { MemoryStorage } from "./storage.ts";
import { entries, entry } from "./test-helpers.ts";
import type { Entry, Snapshot } from "./types.ts";

const UNLIMITED = Number.MAX_SAFE_INTEGER;
const cs = { voters: [1, 2, 3], learners: [] };

/** A log with `stable` in storage and `unstable` appended on top (not yet persisted). */
function newLog(stable: Entry[], unstable: Entry[] = [], maxApplyingSizeBytes = UNLIMITED): RaftLog {
  const s = new MemoryStorage();
  s.append(stable);
  const log = new RaftLog(s, maxApplyingSizeBytes);
  log.append(unstable);
  return log;
}

/** Terms of entries 1..n, e.g. termsLog([1, 1, 2]) holds index 1 term 1, 2 term 1, 3 term 2. */
function termsLog(terms: number[]): RaftLog {
  return newLog(terms.map((term, i) => entry(i + 1, term)));
}

const pairs = (es: readonly Entry[] | undefined): number[][] => (es ?? []).map((e) => [e.index, e.term]);

function allPairs(log: RaftLog): number[][] {
  return pairs(log.slice(log.firstIndex(), log.lastIndex() + 1, UNLIMITED));
}

test("maybeAppend refuses entries whose predecessor (index, term) does not match (§5.3)", (t) => {
  const log = termsLog([1, 1, 2]);
  t.is(log.maybeAppend(3, 1, 3, [entry(4, 2)]), undefined, "wrong term at index 3");
  t.is(log.maybeAppend(4, 2, 3, [entry(5, 2)]), undefined, "index 4 missing");
  t.is(log.lastIndex(), 3);
  t.is(log.committed, 0, "a refused append commits nothing");
});

test("maybeAppend appends after a match and commits min(leader commit, last new index)", (t) => {
  const log = termsLog([1, 1, 2]);
  t.is(log.maybeAppend(3, 2, 10, [entry(4, 2), entry(5, 3)]), 5);
  t.deepEqual(allPairs(log).slice(3), [
    [4, 2],
    [5, 3],
  ]);
  t.is(log.committed, 5, "capped at the last new entry, not the leader's commit");
  t.is(log.maybeAppend(5, 3, 4, []), 5);
  t.is(log.committed, 5, "commit never moves backwards");
});

test("maybeAppend of entries already held keeps the entries after them (a stale append truncates nothing)", (t) => {
  const log = termsLog([1, 1, 2, 2, 2]);
  t.is(log.maybeAppend(1, 1, 0, [entry(2, 1), entry(3, 2)]), 3);
  t.is(log.lastIndex(), 5);
  t.is(log.committed, 0);
});

test("maybeAppend replaces a conflicting suffix from the first conflicting entry", (t) => {
  const log = termsLog([1, 1, 2, 2, 2]);
  t.is(log.maybeAppend(2, 1, 0, [entry(3, 2), entry(4, 3)]), 4);
  t.deepEqual(allPairs(log), [
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 3],
  ]);
});

test("maybeAppend that would overwrite a committed entry is an invariant violation", (t) => {
  const log = termsLog([1, 1, 2]);
  log.commitTo(3);
  t.throws(() => log.maybeAppend(1, 1, 3, [entry(2, 1), entry(3, 3)]), {
    instanceOf: RaftError,
    code: RaftErrorCode.Invariant,
  });
});

test("findConflict returns the first new or conflicting index, 0 when every entry matches", (t) => {
  const log = termsLog([1, 2, 3]);
  t.is(log.findConflict([]), 0);
  t.is(log.findConflict([entry(1, 1), entry(2, 2), entry(3, 3)]), 0);
  t.is(log.findConflict([entry(2, 2), entry(3, 3), entry(4, 4)]), 4, "new entry");
  t.is(log.findConflict([entry(2, 2), entry(3, 4)]), 3, "conflict");
  t.is(log.findConflict([entry(1, 4), entry(2, 4)]), 1);
});

test("findConflictByTerm finds the largest index <= i whose term <= t (fast backtracking hint)", (t) => {
  const log = termsLog([1, 1, 1, 2, 2, 4, 4]);
  t.deepEqual(log.findConflictByTerm(7, 4), { index: 7, term: 4 });
  t.deepEqual(log.findConflictByTerm(7, 3), { index: 5, term: 2 }, "skips every entry of term 4");
  t.deepEqual(log.findConflictByTerm(5, 1), { index: 3, term: 1 });
  t.deepEqual(log.findConflictByTerm(100, 2), { index: 5, term: 2 }, "an index past the end is clamped");
  t.deepEqual(log.findConflictByTerm(7, 0), { index: 0, term: 0 });
});

test("findConflictByTerm stops at a compacted index with term 0", (t) => {
  const s = new MemoryStorage();
  s.append([...entries(1, 3, 1), ...entries(4, 6, 3)]);
  s.compact(3);
  const log = new RaftLog(s, UNLIMITED);
  t.deepEqual(log.findConflictByTerm(6, 2), { index: 3, term: 1 }, "the compaction point's term is known");
  s.compact(4);
  const log2 = new RaftLog(s, UNLIMITED);
  t.deepEqual(
    log2.findConflictByTerm(6, 0),
    { index: 3, term: 0 },
    "below the compaction point: term unknown",
  );
});

test("isUpToDate: a later last term wins; with equal last terms the longer log wins (§5.4.1)", (t) => {
  const log = termsLog([1, 2, 2]); // last (3, 2)
  t.true(log.isUpToDate(1, 3), "higher last term, shorter log");
  t.true(log.isUpToDate(3, 2), "same last entry");
  t.true(log.isUpToDate(4, 2), "same term, longer");
  t.false(log.isUpToDate(2, 2), "same term, shorter");
  t.false(log.isUpToDate(10, 1), "lower last term, longer log");
});

test("maybeCommit commits only an entry of the leader's current term (§5.4.2)", (t) => {
  const log = termsLog([1, 1, 2, 3]);
  t.false(log.maybeCommit(3, 3), "index 3 is of term 2: a term-3 leader cannot commit it by counting");
  t.is(log.committed, 0);
  t.true(log.maybeCommit(4, 3));
  t.is(log.committed, 4, "committing a current-term entry commits everything before it");
  t.false(log.maybeCommit(2, 3), "commit never goes backwards");
  t.is(log.committed, 4);
});

test("commitTo past the last index is an invariant violation", (t) => {
  const log = termsLog([1, 1]);
  t.throws(() => log.commitTo(3), { instanceOf: RaftError, code: RaftErrorCode.Invariant });
});

test("nextCommittedEnts hands out only entries that are both committed and persisted", (t) => {
  const log = newLog(entries(1, 3, 1), entries(4, 5, 1));
  log.commitTo(5);
  t.deepEqual(pairs(log.nextCommittedEnts()), [
    [1, 1],
    [2, 1],
    [3, 1],
  ]);
  t.true(log.hasNextCommittedEnts());
  (log.storage as MemoryStorage).append(log.unstableEntries());
  log.stableTo(5, 1);
  t.deepEqual(pairs(log.nextCommittedEnts()).length, 5);
  log.appliedTo(3);
  t.deepEqual(pairs(log.nextCommittedEnts()), [
    [4, 1],
    [5, 1],
  ]);
  log.appliedTo(5);
  t.false(log.hasNextCommittedEnts());
  t.deepEqual(log.nextCommittedEnts(), []);
});

test("nextCommittedEnts never hands out persisted entries that are not committed", (t) => {
  const log = newLog(entries(1, 5, 1));
  log.commitTo(2);
  t.deepEqual(pairs(log.nextCommittedEnts()), [
    [1, 1],
    [2, 1],
  ]);
});

test("nextCommittedEnts is bounded by maxApplyingSizeBytes (at least one entry)", (t) => {
  const log = newLog(entries(1, 5, 1), [], 40); // 18 bytes per entry
  log.commitTo(5);
  t.deepEqual(
    log.nextCommittedEnts().map((e) => e.index),
    [1, 2],
  );
  log.appliedTo(2);
  t.deepEqual(
    log.nextCommittedEnts().map((e) => e.index),
    [3, 4],
  );
});

test("appliedTo outside [applied, committed] is an invariant violation", (t) => {
  const log = newLog(entries(1, 5, 1));
  log.commitTo(3);
  t.throws(() => log.appliedTo(4), { instanceOf: RaftError, code: RaftErrorCode.Invariant });
  log.appliedTo(3);
  t.throws(() => log.appliedTo(2), { instanceOf: RaftError, code: RaftErrorCode.Invariant });
});

test("slice reads across storage and the unstable tail, within a size limit", (t) => {
  const log = newLog(entries(1, 3, 1), entries(4, 6, 2));
  t.deepEqual(pairs(log.slice(2, 6, UNLIMITED)), [
    [2, 1],
    [3, 1],
    [4, 2],
    [5, 2],
  ]);
  t.deepEqual(pairs(log.slice(4, 7, UNLIMITED)).length, 3, "unstable only");
  t.deepEqual(log.slice(3, 3, UNLIMITED), []);
  t.deepEqual(
    (log.slice(1, 7, 40) ?? []).map((e) => e.index),
    [1, 2],
    "size limit reached inside storage",
  );
  t.deepEqual(
    (log.slice(3, 7, 40) ?? []).map((e) => e.index),
    [3, 4],
    "size limit spanning storage and unstable",
  );
  t.deepEqual(
    (log.slice(2, 7, 0) ?? []).map((e) => e.index),
    [2],
    "never empty",
  );
  t.throws(() => log.slice(2, 8, UNLIMITED), { instanceOf: RaftError, code: RaftErrorCode.Invariant });
});

test("slice and entriesFrom below firstIndex return undefined (the leader must send a snapshot)", (t) => {
  const s = new MemoryStorage();
  s.append(entries(1, 5, 1));
  s.compact(3);
  const log = new RaftLog(s, UNLIMITED);
  t.is(log.firstIndex(), 4);
  t.is(log.slice(3, 5, UNLIMITED), undefined);
  t.is(log.entriesFrom(2, UNLIMITED), undefined);
  t.deepEqual(
    (log.entriesFrom(4, UNLIMITED) ?? []).map((e) => e.index),
    [4, 5],
  );
  t.deepEqual(log.entriesFrom(6, UNLIMITED), [], "from past the end: nothing to send");
  t.is(log.term(2), undefined, "a compacted term is unknown");
  t.is(log.term(3), 1, "the compaction point's term is known");
  t.is(log.term(6), undefined);
});

test("a log over a compacted storage starts committed and applied at the compaction point", (t) => {
  const s = new MemoryStorage();
  s.append(entries(1, 5, 1));
  s.compact(3);
  const log = new RaftLog(s, UNLIMITED);
  t.is(log.committed, 3);
  t.is(log.applied, 3);
});

test("restore(snapshot) resets the log to the snapshot, which must be persisted before anything applies", (t) => {
  const log = newLog(entries(1, 3, 1), entries(4, 5, 1));
  const snap: Snapshot = { metadata: { index: 10, term: 4, confState: cs }, data: new Uint8Array(0) };
  log.restore(snap);
  t.is(log.firstIndex(), 11);
  t.is(log.lastIndex(), 10);
  t.is(log.lastTerm(), 4);
  t.is(log.committed, 10);
  t.is(log.snapshot(), snap);
  t.deepEqual(log.unstableEntries(), []);
  t.false(log.hasNextCommittedEnts(), "nothing applies while the snapshot is unstable");
  t.true(log.matchTerm(10, 4));
  t.is(log.term(5), undefined);
  log.stableSnapTo(10);
  t.is(log.unstable.snapshot, undefined);
});

test("UnstableLog.truncateAndAppend: a contiguous append extends the tail", (t) => {
  const u = new UnstableLog(5);
  u.truncateAndAppend(entries(5, 6, 1));
  u.truncateAndAppend(entries(7, 8, 1));
  t.is(u.offset, 5);
  t.deepEqual(
    u.entries.map((e) => e.index),
    [5, 6, 7, 8],
  );
});

test("UnstableLog.truncateAndAppend: entries starting at or before the offset replace the whole tail", (t) => {
  const u = new UnstableLog(5);
  u.truncateAndAppend(entries(5, 7, 1));
  u.truncateAndAppend(entries(4, 4, 2));
  t.is(u.offset, 4);
  t.deepEqual(pairs(u.entries), [[4, 2]]);
  u.truncateAndAppend(entries(4, 5, 3));
  t.deepEqual(pairs(u.entries), [
    [4, 3],
    [5, 3],
  ]);
});

test("UnstableLog.truncateAndAppend: entries starting inside the tail truncate it there", (t) => {
  const u = new UnstableLog(5);
  u.truncateAndAppend(entries(5, 8, 1));
  u.truncateAndAppend(entries(7, 7, 2));
  t.is(u.offset, 5);
  t.deepEqual(pairs(u.entries), [
    [5, 1],
    [6, 1],
    [7, 2],
  ]);
});

test("UnstableLog.stableTo drops persisted entries, but not when the term shows they were replaced", (t) => {
  const u = new UnstableLog(5);
  u.truncateAndAppend(entries(5, 8, 2));
  u.stableTo(6, 1);
  t.is(u.offset, 5, "term mismatch: entry 6 was rewritten since that write; keep it");
  u.stableTo(6, 2);
  t.is(u.offset, 7);
  t.deepEqual(
    u.entries.map((e) => e.index),
    [7, 8],
  );
  u.stableTo(9, 2);
  t.is(u.offset, 7, "past the end: ignored");
  t.is(u.maybeTerm(8), 2);
  t.is(u.maybeTerm(6), undefined, "persisted entries are not answered by the unstable log");
});

test("UnstableLog keeps an incoming snapshot until it is persisted", (t) => {
  const u = new UnstableLog(3);
  u.restore({ metadata: { index: 9, term: 2, confState: cs }, data: new Uint8Array(0) });
  t.is(u.offset, 10);
  t.is(u.maybeFirstIndex(), 10);
  t.is(u.maybeLastIndex(), 9);
  t.is(u.maybeTerm(9), 2);
  u.stableSnapTo(8);
  t.not(u.snapshot, undefined, "a different index does not release it");
  u.stableSnapTo(9);
  t.is(u.snapshot, undefined);
});
