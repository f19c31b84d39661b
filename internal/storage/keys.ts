// The LevelDB key layout of the durable Raft log: which record lives under which key, and the
// functions that build and parse those keys.
//
// The database lives in `<dir>/raft-log`. Keys are bytes; the first byte names the record:
//
//   "M"                       meta: {format, kind, clusterId, nodeId, createdAt} (JSON, see entry-codec)
//   "H"                       hard state: term, vote, commit
//   "F"                       log floor: index and term of the entry just before firstIndex
//                             (the compaction point; 0/0 for a log never compacted)
//   "S"                       snapshot metadata: index, term, confState, data length, chunk count
//   "D" + u32 big-endian n    snapshot data, chunk n (0-based, each at most SNAPSHOT_CHUNK_BYTES)
//   "E" + u64 big-endian i    log entry with index i
//
// Big-endian fixed-width numbers make LevelDB's byte order the numeric order, so entries iterate
// by index and a range of entries is one key range. Every value carries a CRC32 over its key and
// body (entry-codec.ts). Absent "S" means no snapshot; "M", "H" and "F" exist in every database
// this code created. One storage format: a change to any of this bumps META_FORMAT.

/** Snapshot data is split into values of at most this many bytes. */
export const SNAPSHOT_CHUNK_BYTES = 4 * 1024 * 1024;

const PREFIX_META = 0x4d; // "M"
const PREFIX_HARD_STATE = 0x48; // "H"
const PREFIX_FLOOR = 0x46; // "F"
const PREFIX_SNAPSHOT = 0x53; // "S"
const PREFIX_CHUNK = 0x44; // "D"
const PREFIX_ENTRY = 0x45; // "E"

export const META_KEY = Uint8Array.of(PREFIX_META);
export const HARD_STATE_KEY = Uint8Array.of(PREFIX_HARD_STATE);
export const FLOOR_KEY = Uint8Array.of(PREFIX_FLOOR);
export const SNAPSHOT_KEY = Uint8Array.of(PREFIX_SNAPSHOT);

const TWO_32 = 2 ** 32;

export function entryKey(index: number): Uint8Array {
  const key = new Uint8Array(9);
  key[0] = PREFIX_ENTRY;
  const view = new DataView(key.buffer);
  view.setUint32(1, Math.floor(index / TWO_32));
  view.setUint32(5, index >>> 0);
  return key;
}

export function chunkKey(n: number): Uint8Array {
  const key = new Uint8Array(5);
  key[0] = PREFIX_CHUNK;
  new DataView(key.buffer).setUint32(1, n);
  return key;
}

/** The half-open key range holding every log entry. */
export const ENTRY_RANGE = { gte: Uint8Array.of(PREFIX_ENTRY), lt: Uint8Array.of(PREFIX_ENTRY + 1) };

export type ParsedKey =
  | { kind: "meta" | "hardState" | "floor" | "snapshot" }
  | { kind: "chunk"; n: number }
  | { kind: "entry"; index: number }
  | { kind: "unknown" };

export function parseKey(key: Uint8Array): ParsedKey {
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  if (key.byteLength === 1) {
    switch (key[0]) {
      case PREFIX_META:
        return { kind: "meta" };
      case PREFIX_HARD_STATE:
        return { kind: "hardState" };
      case PREFIX_FLOOR:
        return { kind: "floor" };
      case PREFIX_SNAPSHOT:
        return { kind: "snapshot" };
    }
  }
  if (key.byteLength === 5 && key[0] === PREFIX_CHUNK) return { kind: "chunk", n: view.getUint32(1) };
  if (key.byteLength === 9 && key[0] === PREFIX_ENTRY) {
    const hi = view.getUint32(1);
    if (hi < 2 ** 21) return { kind: "entry", index: hi * TWO_32 + view.getUint32(5) };
  }
  return { kind: "unknown" };
}

/** A key as text for error messages: "E/42", "D/3", "H", or hex for anything else. */
export function describeKey(key: Uint8Array): string {
  const p = parseKey(key);
  switch (p.kind) {
    case "entry":
      return `E/${p.index}`;
    case "chunk":
      return `D/${p.n}`;
    case "unknown":
      return `0x${Buffer.from(key).toString("hex")}`;
    default:
      return String.fromCharCode(key[0]!);
  }
}
