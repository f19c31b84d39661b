// Recovery on open: reads every record of an existing log database, verifies it (checksums,
// identity, contiguity, cross-record consistency) and rebuilds the in-memory mirror. Any failed
// check is a StorageError naming the key or index; nothing here writes.

import type { Level } from "level";
import type { Entry, HardState, Snapshot } from "../raft/index.ts";
import { MemoryStorage } from "../raft/index.ts";
import {
  DecodeError,
  decodeChunk,
  decodeEntry,
  decodeFloor,
  decodeHardState,
  decodeMeta,
  decodeSnapshotRecord,
  type LogFloor,
  META_FORMAT,
  META_KIND,
  type SnapshotRecord,
  type StorageMeta,
} from "./entry-codec.ts";
import { StorageError, StorageErrorCode } from "./errors.ts";
import { describeKey, META_KEY, parseKey } from "./keys.ts";

export type LogDb = Level<Uint8Array, Uint8Array>;

/** Everything an existing database held, verified. */
export interface Recovered {
  meta: StorageMeta;
  mirror: MemoryStorage;
  /** Chunks the stored snapshot's data occupies (0 without a snapshot). */
  snapshotChunks: number;
}

export interface Expected {
  dir: string;
  clusterId: string;
  nodeId: number;
}

const ITERATOR_BATCH = 1024;

/** Maps a LevelDB failure while reading to STORAGE_DAMAGED (corruption) or STORAGE_IO. */
export function readFailure(dir: string, what: string, err: unknown): StorageError {
  const code = (err as { code?: string }).code;
  const causeCode = (err as { cause?: { code?: string } }).cause?.code;
  const detail = (err as Error).message;
  if (code === "LEVEL_CORRUPTION" || causeCode === "LEVEL_CORRUPTION")
    return new StorageError(StorageErrorCode.Damaged, dir, `LevelDB reports corruption ${what}: ${detail}`, {
      cause: err,
    });
  return new StorageError(StorageErrorCode.Io, dir, `read failed ${what}: ${detail}`, { cause: err });
}

/**
 * Reads and checks the meta record. Returns undefined when the database holds no key at all
 * (LevelDB was created but our first batch never landed: nothing was ever acknowledged).
 */
export async function readMeta(db: LogDb, want: Expected): Promise<StorageMeta | undefined> {
  const { dir } = want;
  let value: Uint8Array | undefined;
  let anyKey: Uint8Array[];
  try {
    value = await db.get(META_KEY);
    anyKey = value === undefined ? await db.keys({ limit: 1 }).all() : [];
  } catch (err) {
    throw readFailure(dir, "reading the meta record", err);
  }
  if (value === undefined) {
    if (anyKey.length === 0) return undefined;
    throw new StorageError(
      StorageErrorCode.ForeignDir,
      dir,
      `the LevelDB holds data but no raftvs meta record (first key ${describeKey(anyKey[0]!)}): not a raftvs log`,
    );
  }
  let meta: StorageMeta;
  try {
    meta = decodeMeta(META_KEY, value);
  } catch (err) {
    throw new StorageError(StorageErrorCode.Damaged, dir, `meta record (key M): ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (meta.kind !== META_KIND)
    throw new StorageError(
      StorageErrorCode.ForeignDir,
      dir,
      `meta record kind "${meta.kind}" is not "${META_KIND}"`,
    );
  if (meta.format !== META_FORMAT)
    throw new StorageError(
      StorageErrorCode.Version,
      dir,
      `storage format ${meta.format} is not the format ${META_FORMAT} this build reads; use a matching raftvs build`,
    );
  if (meta.clusterId !== want.clusterId || meta.nodeId !== want.nodeId)
    throw new StorageError(
      StorageErrorCode.ForeignDir,
      dir,
      `the log belongs to cluster "${meta.clusterId}" node ${meta.nodeId}, but this node is cluster ` +
        `"${want.clusterId}" node ${want.nodeId}`,
    );
  return meta;
}

/** Reads every record after the meta record and verifies the whole log. */
export async function loadLog(db: LogDb, meta: StorageMeta, dir: string): Promise<Recovered> {
  const damaged = (message: string, index?: number): StorageError =>
    new StorageError(StorageErrorCode.Damaged, dir, message, index === undefined ? {} : { index });

  let hardState: HardState | undefined;
  let floor: LogFloor | undefined;
  let snap: SnapshotRecord | undefined;
  const chunks: Uint8Array[] = [];
  const entries: Entry[] = [];

  const it = db.iterator();
  try {
    for (;;) {
      let batch: [Uint8Array, Uint8Array][];
      try {
        batch = await it.nextv(ITERATOR_BATCH);
      } catch (err) {
        throw readFailure(dir, "iterating the log", err);
      }
      if (batch.length === 0) break;
      for (const [key, value] of batch) {
        const parsed = parseKey(key);
        const where = `key ${describeKey(key)}`;
        try {
          switch (parsed.kind) {
            case "meta":
              break;
            case "hardState":
              hardState = decodeHardState(key, value);
              break;
            case "floor":
              floor = decodeFloor(key, value);
              break;
            case "snapshot":
              snap = decodeSnapshotRecord(key, value);
              break;
            case "chunk":
              if (parsed.n !== chunks.length)
                throw damaged(
                  `snapshot data chunk ${parsed.n} found where chunk ${chunks.length} was expected`,
                );
              chunks.push(decodeChunk(key, value));
              break;
            case "entry": {
              const e = decodeEntry(key, value);
              if (e.index !== parsed.index)
                throw damaged(`${where} holds an entry with index ${e.index}`, parsed.index);
              const prev = entries.at(-1);
              if (prev !== undefined && e.index !== prev.index + 1)
                throw damaged(
                  `gap in the log: entry ${e.index} follows entry ${prev.index} (entry ${prev.index + 1} is missing)`,
                  prev.index + 1,
                );
              if (prev !== undefined && e.term < prev.term)
                throw damaged(
                  `entry ${e.index} has term ${e.term}, below the ${prev.term} of entry ${prev.index}`,
                  e.index,
                );
              entries.push(e);
              break;
            }
            case "unknown":
              throw damaged(`unknown ${where}`);
          }
        } catch (err) {
          if (err instanceof DecodeError) {
            const index = parsed.kind === "entry" ? parsed.index : undefined;
            const name = index === undefined ? where : `entry ${index} (${where})`;
            throw damaged(`${name}: ${err.message}`, index);
          }
          throw err;
        }
      }
    }
  } finally {
    await it.close().catch(() => {});
  }

  if (hardState === undefined) throw damaged("the hard state record (key H) is missing");
  if (floor === undefined) throw damaged("the log floor record (key F) is missing");
  const snapshot = snapshotFrom(snap, chunks, damaged);
  checkConsistency(hardState, floor, snapshot, entries, damaged);
  return { meta, mirror: buildMirror(hardState, floor, snapshot, entries), snapshotChunks: chunks.length };
}

type Damaged = (message: string, index?: number) => StorageError;

function snapshotFrom(
  snap: SnapshotRecord | undefined,
  chunks: Uint8Array[],
  damaged: Damaged,
): Snapshot | undefined {
  if (snap === undefined) {
    if (chunks.length > 0)
      throw damaged(`${chunks.length} snapshot data chunks but no snapshot record (key S)`);
    return undefined;
  }
  if (chunks.length !== snap.chunks)
    throw damaged(
      `snapshot at index ${snap.index} has ${chunks.length} data chunks, its record says ${snap.chunks}`,
    );
  const bytes = chunks.reduce((n, c) => n + c.byteLength, 0);
  if (bytes !== snap.dataBytes)
    throw damaged(
      `snapshot at index ${snap.index} has ${bytes} data bytes, its record says ${snap.dataBytes}`,
    );
  const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return {
    metadata: { index: snap.index, term: snap.term, confState: snap.confState },
    data: new Uint8Array(data),
  };
}

/** The cross-record invariants every save() and createSnapshot() preserves. */
function checkConsistency(
  hs: HardState,
  floor: LogFloor,
  snapshot: Snapshot | undefined,
  entries: Entry[],
  damaged: Damaged,
): void {
  const first = entries[0];
  if (first !== undefined && first.index !== floor.index + 1)
    throw damaged(
      `the log starts at entry ${first.index} but the compaction point is ${floor.index} (expected entry ${floor.index + 1})`,
      floor.index + 1,
    );
  if (first !== undefined && first.term < floor.term)
    throw damaged(
      `entry ${first.index} has term ${first.term}, below the compaction point's ${floor.term}`,
      first.index,
    );
  const lastIndex = entries.at(-1)?.index ?? floor.index;
  const snapIndex = snapshot?.metadata.index ?? 0;
  const snapTerm = snapshot?.metadata.term ?? 0;
  if (snapIndex < floor.index)
    throw damaged(`the log is compacted to ${floor.index}, past the snapshot at index ${snapIndex}`);
  if (snapIndex === floor.index && snapTerm !== floor.term)
    throw damaged(
      `the snapshot at index ${snapIndex} has term ${snapTerm}, the compaction point term ${floor.term}`,
    );
  if (snapIndex > floor.index) {
    if (snapIndex > lastIndex)
      throw damaged(`the snapshot at index ${snapIndex} is past the last log entry ${lastIndex}`, snapIndex);
    const t = entries[snapIndex - floor.index - 1]!.term;
    if (t !== snapTerm)
      throw damaged(
        `the snapshot at index ${snapIndex} has term ${snapTerm}, its log entry term ${t}`,
        snapIndex,
      );
  }
  if (hs.commit > lastIndex)
    throw damaged(`hard state commit ${hs.commit} is past the last log entry ${lastIndex}`);
  if (hs.commit < snapIndex)
    throw damaged(`hard state commit ${hs.commit} is below the snapshot at index ${snapIndex}`);
}

/** Rebuilds the MemoryStorage that the durable storage serves reads from. */
function buildMirror(
  hs: HardState,
  floor: LogFloor,
  snapshot: Snapshot | undefined,
  entries: Entry[],
): MemoryStorage {
  const m = new MemoryStorage();
  if (snapshot !== undefined && snapshot.metadata.index === floor.index) {
    m.applySnapshot(snapshot);
    m.append(entries);
  } else {
    if (floor.index > 0) {
      // A placeholder that sets the compaction point; replaced by the real snapshot just below.
      const confState = snapshot?.metadata.confState ?? { voters: [], learners: [] };
      m.applySnapshot({ metadata: { ...floor, confState }, data: new Uint8Array(0) });
    }
    m.append(entries);
    if (snapshot !== undefined)
      m.createSnapshot(snapshot.metadata.index, snapshot.metadata.confState, snapshot.data);
  }
  m.setHardState(hs);
  return m;
}
