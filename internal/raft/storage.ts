// The stable-storage interface Raft reads its log through, and MemoryStorage, an in-memory
// implementation (used by tests and the simulator, and as the durable node's read cache).

import { assert, RaftError, RaftErrorCode } from "./errors.ts";
import type { ConfState, Entry, HardState, Snapshot } from "./types.ts";
import { limitSize } from "./util.ts";

/**
 * What Raft reads from stable storage. All methods are synchronous.
 * Indexes: the log holds entries [firstIndex(), lastIndex()]; firstIndex()-1 is the snapshot index
 * (its term stays readable through term()).
 */
export interface Storage {
  /** The persisted hard state and the membership at the last snapshot/conf change applied. */
  initialState(): { hardState: HardState; confState: ConfState };
  /**
   * Entries [lo, hi), at most `maxSizeBytes` of them (but at least one).
   * Throws Compacted when lo < firstIndex(), Unavailable when hi > lastIndex()+1.
   */
  entries(lo: number, hi: number, maxSizeBytes: number): Entry[];
  /**
   * Term of entry i, for i in [firstIndex()-1, lastIndex()].
   * Throws Compacted below that range, Unavailable above it.
   */
  term(i: number): number;
  lastIndex(): number;
  firstIndex(): number;
  /** The most recent snapshot. May throw SnapshotTemporarilyUnavailable. */
  snapshot(): Snapshot;
}

export const EMPTY_SNAPSHOT: Snapshot = {
  metadata: { index: 0, term: 0, confState: { voters: [], learners: [] } },
  data: new Uint8Array(0),
};

export class MemoryStorage implements Storage {
  #hardState: HardState = { term: 0, vote: 0, commit: 0 };
  #snapshot: Snapshot = EMPTY_SNAPSHOT;
  /** ents[0] is a dummy entry carrying the snapshot's index and term. Invariant: length >= 1. */
  #ents: Entry[] = [{ term: 0, index: 0, type: "normal", data: new Uint8Array(0) }];

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: { ...this.#hardState }, confState: this.#snapshot.metadata.confState };
  }

  setHardState(hs: HardState): void {
    this.#hardState = { ...hs };
  }

  hardState(): HardState {
    return { ...this.#hardState };
  }

  entries(lo: number, hi: number, maxSizeBytes: number): Entry[] {
    const offset = this.#ents[0]!.index;
    if (lo <= offset) throw new RaftError(RaftErrorCode.Compacted, `entries(${lo}): compacted at ${offset}`);
    if (hi > this.lastIndex() + 1)
      throw new RaftError(RaftErrorCode.Unavailable, `entries hi ${hi} past last index ${this.lastIndex()}`);
    return limitSize(this.#ents.slice(lo - offset, hi - offset), maxSizeBytes);
  }

  term(i: number): number {
    const offset = this.#ents[0]!.index;
    if (i < offset) throw new RaftError(RaftErrorCode.Compacted, `term(${i}): compacted at ${offset}`);
    if (i - offset >= this.#ents.length)
      throw new RaftError(RaftErrorCode.Unavailable, `term(${i}): past last index ${this.lastIndex()}`);
    return this.#ents[i - offset]!.term;
  }

  lastIndex(): number {
    return this.#ents[0]!.index + this.#ents.length - 1;
  }

  firstIndex(): number {
    return this.#ents[0]!.index + 1;
  }

  snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  applySnapshot(snap: Snapshot): void {
    const cur = this.#snapshot.metadata.index;
    if (snap.metadata.index <= cur)
      throw new RaftError(RaftErrorCode.SnapshotOutOfDate, `snapshot ${snap.metadata.index} <= held ${cur}`);
    this.#snapshot = snap;
    this.#ents = [
      { term: snap.metadata.term, index: snap.metadata.index, type: "normal", data: new Uint8Array(0) },
    ];
  }

  /**
   * Records a snapshot of the application's state at applied index i (i <= lastIndex) so that
   * lagging followers can be sent it. Does not compact; call compact() for that.
   */
  createSnapshot(i: number, confState: ConfState, data: Uint8Array): Snapshot {
    if (i <= this.#snapshot.metadata.index)
      throw new RaftError(
        RaftErrorCode.SnapshotOutOfDate,
        `snapshot ${i} <= held ${this.#snapshot.metadata.index}`,
      );
    assert(i <= this.lastIndex(), `createSnapshot(${i}) past last index ${this.lastIndex()}`);
    this.#snapshot = { metadata: { index: i, term: this.term(i), confState }, data };
    return this.#snapshot;
  }

  /** Drops entries up to and including compactIndex (which must be <= the applied index). */
  compact(compactIndex: number): void {
    const offset = this.#ents[0]!.index;
    if (compactIndex <= offset)
      throw new RaftError(RaftErrorCode.Compacted, `compact(${compactIndex}) <= ${offset}`);
    assert(compactIndex <= this.lastIndex(), `compact(${compactIndex}) past last index ${this.lastIndex()}`);
    const i = compactIndex - offset;
    const head = this.#ents[i]!;
    this.#ents = [
      { term: head.term, index: head.index, type: "normal", data: new Uint8Array(0) },
      ...this.#ents.slice(i + 1),
    ];
  }

  /** Appends entries, replacing any existing suffix they conflict with. Entries must be contiguous. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const last = entries[0]!.index + entries.length - 1;
    if (last < first) return; // all already compacted
    const ents = first > entries[0]!.index ? entries.slice(first - entries[0]!.index) : entries;
    const offset = ents[0]!.index - this.#ents[0]!.index;
    assert(offset <= this.#ents.length, `append: missing log entry before ${ents[0]!.index}`);
    if (offset < this.#ents.length) this.#ents.length = offset; // drop the conflicting suffix
    for (const e of ents) this.#ents.push(e);
  }
}

/**
 * Prepares an empty storage as a member of a brand-new cluster of `voters`: a snapshot at
 * index 1, term 1 holding that membership. Every initial member must be bootstrapped the same way;
 * nodes added later start from an empty storage and receive the leader's snapshot. `data` is the
 * application's initial state (identical on every initial member).
 */
export function bootstrapStorage(
  storage: MemoryStorage,
  voters: readonly number[],
  data: Uint8Array = new Uint8Array(0),
): void {
  assert(storage.lastIndex() === 0, "bootstrapStorage: storage is not empty");
  assert(voters.length > 0, "bootstrapStorage: no voters");
  storage.applySnapshot({
    metadata: { index: 1, term: 1, confState: { voters: [...voters], learners: [] } },
    data,
  });
  storage.setHardState({ term: 1, vote: 0, commit: 1 });
}
