// RaftLog: the node's view of the log, stable entries in Storage followed by the unstable tail,
// with the commit and applied indexes. Follows the rules of Raft's AppendEntries.

import { assert, RaftError, RaftErrorCode } from "./errors.ts";
import { UnstableLog } from "./log-unstable.ts";
import type { Storage } from "./storage.ts";
import type { Entry, Snapshot } from "./types.ts";
import { limitSize } from "./util.ts";

export class RaftLog {
  readonly storage: Storage;
  readonly unstable: UnstableLog;
  /** Highest index known committed on a quorum. Invariant: applied <= committed <= lastIndex(). */
  committed: number;
  /** Highest index applied by the user (confirmed through advance()). */
  applied: number;
  readonly maxApplyingSizeBytes: number;

  constructor(storage: Storage, maxApplyingSizeBytes: number) {
    this.storage = storage;
    this.maxApplyingSizeBytes = maxApplyingSizeBytes;
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new UnstableLog(last + 1);
    this.committed = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  lastTerm(): number {
    const t = this.term(this.lastIndex());
    assert(t !== undefined, `term of last index ${this.lastIndex()} unknown`);
    return t;
  }

  /** Term of entry i, or undefined when i is compacted or past the end. */
  term(i: number): number | undefined {
    if (i >= this.unstable.offset) return this.unstable.maybeTerm(i);
    if (this.unstable.snapshot) return this.unstable.maybeTerm(i);
    try {
      return this.storage.term(i);
    } catch (err) {
      if (
        err instanceof RaftError &&
        (err.code === RaftErrorCode.Compacted || err.code === RaftErrorCode.Unavailable)
      )
        return undefined;
      throw err;
    }
  }

  matchTerm(i: number, t: number): boolean {
    return this.term(i) === t;
  }

  /** Whether a log ending at (lasti, term) is at least as up to date as ours (Raft §5.4.1). */
  isUpToDate(lasti: number, term: number): boolean {
    const lt = this.lastTerm();
    return term > lt || (term === lt && lasti >= this.lastIndex());
  }

  /**
   * A follower's AppendEntries: when our log matches (index, logTerm), append `ents` (dropping
   * a conflicting suffix), advance commit to min(committed, last new index), return the last new
   * index. Undefined when the log does not match.
   */
  maybeAppend(index: number, logTerm: number, committed: number, ents: readonly Entry[]): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNew = index + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      assert(ci > this.committed, `entry ${ci} conflicts with committed entry (committed ${this.committed})`);
      this.append(ents.slice(ci - (index + 1)));
    }
    this.commitTo(Math.min(committed, lastNew));
    return lastNew;
  }

  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0]!.index - 1;
    assert(after >= this.committed, `append after ${after} is below committed ${this.committed}`);
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /** Index of the first entry of `ents` that is new or conflicts with ours; 0 when all match. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`, with that term: where a leader that
   * was rejected at (index, term) should probe next (fast backtracking).
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    let i = Math.min(index, this.lastIndex());
    for (; i > 0; i--) {
      const t = this.term(i);
      if (t === undefined) return { index: i, term: 0 };
      if (t <= term) return { index: i, term: t };
    }
    return { index: 0, term: 0 };
  }

  unstableEntries(): Entry[] {
    return this.unstable.entries;
  }

  /** Highest index that is both committed and persisted: what may be applied. */
  #maxAppliable(): number {
    if (this.unstable.snapshot) return this.applied; // install the snapshot first
    return Math.min(this.committed, this.unstable.offset - 1);
  }

  hasNextCommittedEnts(): boolean {
    return this.#maxAppliable() > this.applied;
  }

  /** Committed, persisted, not yet applied entries, bounded in size. */
  nextCommittedEnts(): Entry[] {
    const hi = this.#maxAppliable();
    if (hi <= this.applied) return [];
    const ents = this.slice(this.applied + 1, hi + 1, this.maxApplyingSizeBytes);
    assert(
      ents !== undefined,
      `committed entries from ${this.applied + 1} were compacted before being applied`,
    );
    return ents;
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  commitTo(toCommit: number): void {
    if (this.committed >= toCommit) return;
    assert(toCommit <= this.lastIndex(), `commit ${toCommit} past last index ${this.lastIndex()}`);
    this.committed = toCommit;
  }

  appliedTo(i: number): void {
    if (i === 0) return;
    assert(
      i <= this.committed && i >= this.applied,
      `applied ${i} outside [${this.applied}, ${this.committed}]`,
    );
    this.applied = i;
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  /** Leader rule: commit maxIndex only if it is an entry of the leader's own term. */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && this.term(maxIndex) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  restore(s: Snapshot): void {
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  /**
   * Entries [lo, hi) within maxSize bytes. Undefined when lo is compacted (the caller sends a
   * snapshot instead).
   */
  slice(lo: number, hi: number, maxSizeBytes: number): Entry[] | undefined {
    assert(lo <= hi, `slice: lo ${lo} > hi ${hi}`);
    assert(hi <= this.lastIndex() + 1, `slice: hi ${hi} past last index ${this.lastIndex()}`);
    if (lo < this.firstIndex()) return undefined;
    if (lo === hi) return [];
    let ents: Entry[] = [];
    const u = this.unstable.offset;
    if (lo < u) {
      ents = this.storage.entries(lo, Math.min(hi, u), maxSizeBytes);
      if (ents.length < Math.min(hi, u) - lo) return ents; // size limit reached in storage
    }
    if (hi > u) ents = ents.concat(this.unstable.slice(Math.max(lo, u), hi));
    return limitSize(ents, maxSizeBytes);
  }

  /** Entries from i to the end within maxSize bytes; undefined when i is compacted. */
  entriesFrom(i: number, maxSizeBytes: number): Entry[] | undefined {
    if (i > this.lastIndex()) return [];
    return this.slice(i, this.lastIndex() + 1, maxSizeBytes);
  }
}
