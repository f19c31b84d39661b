// Turning a save() or createSnapshot() into one LevelDB batch: validates the input against the
// current (mirrored) state, lists the puts and deletes, and returns how to update the mirror once
// the batch is durable. Pure: no I/O. Every check keeps the invariants load.ts verifies on open.

import {
  type ConfState,
  type Entry,
  EntryType,
  type HardState,
  type MemoryStorage,
  RaftError,
  RaftErrorCode,
  type Snapshot,
} from "../raft/index.ts";
import {
  encodeChunk,
  encodeEntry,
  encodeFloor,
  encodeHardState,
  encodeSnapshotRecord,
} from "./entry-codec.ts";
import { StorageError, StorageErrorCode } from "./errors.ts";
import { chunkKey, entryKey, FLOOR_KEY, HARD_STATE_KEY, SNAPSHOT_CHUNK_BYTES, SNAPSHOT_KEY } from "./keys.ts";

export type BatchOp = { type: "put"; key: Uint8Array; value: Uint8Array } | { type: "del"; key: Uint8Array };

export interface WritePlan {
  ops: BatchOp[];
  /** Bytes of keys and values put. */
  bytes: number;
  /** Chunks the stored snapshot occupies after the batch. */
  snapshotChunks: number;
  /** Brings the mirror to the state the batch wrote; call only after the batch succeeded. */
  apply(): void;
}

/** One Ready's worth of durable state. */
export interface SaveInput {
  hardState?: HardState | undefined;
  entries: Entry[];
  snapshot?: Snapshot | undefined;
}

const ENTRY_TYPES = new Set<string>(Object.values(EntryType));

class OpList {
  readonly ops: BatchOp[] = [];
  bytes = 0;

  put(key: Uint8Array, value: Uint8Array): void {
    this.ops.push({ type: "put", key, value });
    this.bytes += key.byteLength + value.byteLength;
  }

  del(key: Uint8Array): void {
    this.ops.push({ type: "del", key });
  }

  /** Deletes the entries with index in [lo, hi]. */
  delEntries(lo: number, hi: number): void {
    for (let i = lo; i <= hi; i++) this.del(entryKey(i));
  }

  /** Puts a snapshot record and its data chunks, deleting chunks the previous snapshot left beyond them. */
  putSnapshot(meta: Snapshot["metadata"], data: Uint8Array, oldChunks: number): number {
    const chunks = Math.ceil(data.byteLength / SNAPSHOT_CHUNK_BYTES);
    const record = { ...meta, dataBytes: data.byteLength, chunks };
    this.put(SNAPSHOT_KEY, encodeSnapshotRecord(SNAPSHOT_KEY, record));
    for (let c = 0; c < chunks; c++) {
      const key = chunkKey(c);
      this.put(
        key,
        encodeChunk(key, data.subarray(c * SNAPSHOT_CHUNK_BYTES, (c + 1) * SNAPSHOT_CHUNK_BYTES)),
      );
    }
    for (let c = chunks; c < oldChunks; c++) this.del(chunkKey(c));
    return chunks;
  }
}

function isCount(n: unknown, min: number): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= min;
}

/** Throws STORAGE_INVALID_ARGUMENT unless `cs` is a well-formed membership. */
function checkConfState(cs: ConfState, what: string, bad: (m: string) => StorageError): void {
  if (typeof cs !== "object" || cs === null || !Array.isArray(cs.voters) || !Array.isArray(cs.learners))
    throw bad(`${what}: confState must have voters and learners lists`);
  const all = [...cs.voters, ...cs.learners];
  if (!all.every((id) => isCount(id, 1))) throw bad(`${what}: confState ids must be positive integers`);
  if (new Set(all).size !== all.length) throw bad(`${what}: confState lists a node twice`);
}

function checkEntry(e: Entry, bad: (m: string) => StorageError): void {
  if (typeof e !== "object" || e === null) throw bad("an entry is not an object");
  if (!isCount(e.index, 1) || !isCount(e.term, 1))
    throw bad(`entry index ${String(e.index)} term ${String(e.term)} must be positive integers`);
  if (!ENTRY_TYPES.has(e.type)) throw bad(`entry ${e.index} has unknown type ${String(e.type)}`);
  if (!(e.data instanceof Uint8Array)) throw bad(`entry ${e.index} data must be a Uint8Array`);
  if (e.data.byteLength >= 2 ** 32) throw bad(`entry ${e.index} data is too large`);
}

function checkHardState(hs: HardState, bad: (m: string) => StorageError): void {
  if (
    typeof hs !== "object" ||
    hs === null ||
    !isCount(hs.term, 0) ||
    !isCount(hs.vote, 0) ||
    !isCount(hs.commit, 0)
  )
    throw bad(`hard state ${JSON.stringify(hs)} must hold non-negative integers term, vote, commit`);
}

function checkSnapshot(s: Snapshot, bad: (m: string) => StorageError): void {
  if (typeof s !== "object" || s === null || typeof s.metadata !== "object" || s.metadata === null)
    throw bad("snapshot must have metadata");
  const { index, term, confState } = s.metadata;
  if (!isCount(index, 1) || !isCount(term, 1))
    throw bad(`snapshot index ${String(index)} term ${String(term)} must be positive integers`);
  checkConfState(confState, `snapshot ${index}`, bad);
  if (!(s.data instanceof Uint8Array)) throw bad(`snapshot ${index} data must be a Uint8Array`);
}

/** Plans the batch for one save(). Throws STORAGE_INVALID_ARGUMENT (nothing written) on bad input. */
export function planSave(m: MemoryStorage, snapshotChunks: number, rd: SaveInput, dir: string): WritePlan {
  const bad = (message: string): StorageError =>
    new StorageError(StorageErrorCode.InvalidArgument, dir, `save: ${message}`);
  if (typeof rd !== "object" || rd === null || !Array.isArray(rd.entries))
    throw bad("expected { hardState?, entries: Entry[], snapshot? }");
  const ops = new OpList();
  const held = m.hardState();
  const oldFirst = m.firstIndex();
  const oldLast = m.lastIndex();

  // State after the snapshot, before the entries.
  let floorIndex = oldFirst - 1;
  let floorTerm = m.term(floorIndex);
  let last = oldLast;
  let snapIndex = m.snapshot().metadata.index;
  let chunks = snapshotChunks;
  const snap = rd.snapshot;
  if (snap !== undefined) {
    checkSnapshot(snap, bad);
    if (snap.metadata.index <= snapIndex)
      throw bad(
        `snapshot at index ${snap.metadata.index} is not newer than the held snapshot at ${snapIndex}`,
      );
    chunks = ops.putSnapshot(snap.metadata, snap.data, snapshotChunks);
    floorIndex = snap.metadata.index;
    floorTerm = snap.metadata.term;
    last = floorIndex;
    snapIndex = floorIndex;
    ops.put(FLOOR_KEY, encodeFloor(FLOOR_KEY, { index: floorIndex, term: floorTerm }));
  }

  // Entries at or below the floor are already covered by the compaction point; skip them.
  const ents = rd.entries;
  for (const e of ents) checkEntry(e, bad);
  for (let i = 1; i < ents.length; i++)
    if (ents[i]!.index !== ents[i - 1]!.index + 1)
      throw bad(`entries are not contiguous: ${ents[i]!.index} follows ${ents[i - 1]!.index}`);
  const kept =
    ents.length > 0 && ents[0]!.index <= floorIndex ? ents.slice(floorIndex + 1 - ents[0]!.index) : ents;
  let newLast = last;
  if (kept.length > 0) {
    const first = kept[0]!;
    if (first.index > last + 1)
      throw bad(`entry ${first.index} would leave a gap after the last entry ${last}`);
    let prevTerm = first.index - 1 === floorIndex ? floorTerm : m.term(first.index - 1);
    for (const e of kept) {
      if (e.term < prevTerm)
        throw bad(`entry ${e.index} has term ${e.term}, below the preceding entry's ${prevTerm}`);
      prevTerm = e.term;
      if (e.index <= Math.min(last, held.commit) && e.term !== m.term(e.index))
        throw bad(
          `entry ${e.index} (term ${e.term}) would replace committed entry of term ${m.term(e.index)}`,
        );
      const key = entryKey(e.index);
      ops.put(key, encodeEntry(key, e));
    }
    newLast = kept.at(-1)!.index;
  }

  // Delete every entry key that existed before and does not exist after.
  const keepLo = snap !== undefined ? (kept[0]?.index ?? newLast + 1) : oldFirst;
  if (keepLo > newLast) ops.delEntries(oldFirst, oldLast);
  else {
    ops.delEntries(oldFirst, Math.min(oldLast, keepLo - 1));
    ops.delEntries(Math.max(oldFirst, newLast + 1), oldLast);
  }

  const hs = rd.hardState;
  if (hs !== undefined) {
    checkHardState(hs, bad);
    if (hs.term < held.term) throw bad(`hard state term ${hs.term} is below the held term ${held.term}`);
    if (hs.commit < held.commit)
      throw bad(`hard state commit ${hs.commit} is below the held commit ${held.commit}`);
    ops.put(HARD_STATE_KEY, encodeHardState(HARD_STATE_KEY, hs));
  }
  const commit = hs?.commit ?? held.commit;
  if (commit > newLast) throw bad(`commit ${commit} would be past the last entry ${newLast}`);
  if (commit < snapIndex) throw bad(`commit ${commit} would be below the snapshot at index ${snapIndex}`);

  return {
    ops: ops.ops,
    bytes: ops.bytes,
    snapshotChunks: chunks,
    apply: () => {
      if (snap !== undefined) m.applySnapshot(snap);
      m.append(ents);
      if (hs !== undefined) m.setHardState(hs);
    },
  };
}

/**
 * Plans the batch for createSnapshot(): the snapshot at `index` and, when `index - keepEntries`
 * is past the compaction point, the compaction up to there. A snapshot not newer than the held one
 * throws RaftError SnapshotOutOfDate (as MemoryStorage does); other bad input STORAGE_INVALID_ARGUMENT.
 */
export function planSnapshot(
  m: MemoryStorage,
  snapshotChunks: number,
  args: { index: number; confState: ConfState; data: Uint8Array; keepEntries: number },
  dir: string,
): WritePlan & { snapshot: () => Snapshot } {
  const bad = (message: string): StorageError =>
    new StorageError(StorageErrorCode.InvalidArgument, dir, `createSnapshot: ${message}`);
  const { index, confState, data, keepEntries } = args;
  if (!isCount(index, 1)) throw bad(`index ${String(index)} must be a positive integer`);
  if (!isCount(keepEntries, 0))
    throw bad(`keepEntries ${String(keepEntries)} must be a non-negative integer`);
  checkConfState(confState, `snapshot ${index}`, bad);
  if (!(data instanceof Uint8Array)) throw bad("data must be a Uint8Array");
  const held = m.snapshot().metadata.index;
  if (index <= held)
    throw new RaftError(
      RaftErrorCode.SnapshotOutOfDate,
      `createSnapshot(${index}): not newer than held ${held}`,
    );
  const commit = m.hardState().commit;
  if (index > commit) throw bad(`index ${index} is past the committed index ${commit}`);

  const ops = new OpList();
  const term = m.term(index);
  const metadata = {
    index,
    term,
    confState: { voters: [...confState.voters], learners: [...confState.learners] },
  };
  const chunks = ops.putSnapshot(metadata, data, snapshotChunks);
  const floor = m.firstIndex() - 1;
  const compactTo = index - keepEntries;
  const compacts = compactTo > floor;
  if (compacts) {
    ops.put(FLOOR_KEY, encodeFloor(FLOOR_KEY, { index: compactTo, term: m.term(compactTo) }));
    ops.delEntries(floor + 1, compactTo);
  }
  return {
    ops: ops.ops,
    bytes: ops.bytes,
    snapshotChunks: chunks,
    apply: () => {
      m.createSnapshot(index, metadata.confState, data);
      if (compacts) m.compact(compactTo);
    },
    snapshot: () => m.snapshot(),
  };
}
