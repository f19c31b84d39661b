// The binary encoding of every value in the log database: a CRC32 frame around each value, and
// the codecs for entries, hard state, log floor, snapshot metadata and the meta record.
//
// Value frame: u32 big-endian CRC32 (over the key, then the body) ‖ body. Covering the key means a
// value found under the wrong key fails its check too. Numbers are big-endian; "u64" fields hold
// integers up to Number.MAX_SAFE_INTEGER. Bodies:
//   entry      u8 type (0 normal, 1 confChange) ‖ u64 term ‖ u64 index ‖ u32 data length ‖ data
//   hard state u64 term ‖ u64 vote ‖ u64 commit
//   floor      u64 index ‖ u64 term
//   snapshot   u64 index ‖ u64 term ‖ u32 n ‖ n × u64 voter ‖ u32 m ‖ m × u64 learner
//              ‖ u64 data length ‖ u32 chunk count
//   chunk      raw snapshot data bytes
//   meta       UTF-8 JSON {format, kind, clusterId, nodeId, createdAt}; this frame never changes
//              across formats, so any future build can read `format` and refuse what it doesn't know.

import { crc32 } from "node:zlib";
import type { ConfState, Entry, EntryType, HardState } from "../raft/index.ts";

/** The storage format this build writes and reads. */
export const META_FORMAT = 1;
/** Marks a meta record as ours. */
export const META_KIND = "raftvs-raft-log";

/** A value that does not decode; the loader turns it into STORAGE_DAMAGED naming the key. */
export class DecodeError extends Error {
  override name = "DecodeError";
}

const TWO_32 = 2 ** 32;
const ENTRY_TYPE_CODES: Record<EntryType, number> = { normal: 0, confChange: 1 };
const ENTRY_TYPES: readonly EntryType[] = ["normal", "confChange"];

/** Sequential writes into a body of known size. */
class Writer {
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  #pos: number;

  /** Allocates the whole value (frame + body); the body starts after the 4-byte CRC. */
  constructor(bodyBytes: number) {
    this.bytes = new Uint8Array(4 + bodyBytes);
    this.#view = new DataView(this.bytes.buffer);
    this.#pos = 4;
  }

  u8(n: number): this {
    this.#view.setUint8(this.#pos, n);
    this.#pos += 1;
    return this;
  }

  u32(n: number): this {
    this.#view.setUint32(this.#pos, n);
    this.#pos += 4;
    return this;
  }

  u64(n: number): this {
    this.#view.setUint32(this.#pos, Math.floor(n / TWO_32));
    this.#view.setUint32(this.#pos + 4, n >>> 0);
    this.#pos += 8;
    return this;
  }

  raw(data: Uint8Array): this {
    this.bytes.set(data, this.#pos);
    this.#pos += data.byteLength;
    return this;
  }

  /** Fills in the CRC and returns the finished value. */
  seal(key: Uint8Array): Uint8Array {
    if (this.#pos !== this.bytes.byteLength)
      throw new Error(`codec bug: wrote ${this.#pos} of ${this.bytes.byteLength}`);
    this.#view.setUint32(0, checksum(key, this.bytes.subarray(4)));
    return this.bytes;
  }
}

/** Sequential reads from a body; every read is bounds-checked. */
class Reader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #pos = 0;

  constructor(body: Uint8Array) {
    this.#bytes = body;
    this.#view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  }

  #need(n: number, what: string): void {
    if (this.#pos + n > this.#bytes.byteLength)
      throw new DecodeError(
        `truncated: ${what} needs ${n} bytes at offset ${this.#pos} of ${this.#bytes.byteLength}`,
      );
  }

  u8(what: string): number {
    this.#need(1, what);
    return this.#view.getUint8(this.#pos++);
  }

  u32(what: string): number {
    this.#need(4, what);
    const n = this.#view.getUint32(this.#pos);
    this.#pos += 4;
    return n;
  }

  u64(what: string): number {
    this.#need(8, what);
    const hi = this.#view.getUint32(this.#pos);
    const lo = this.#view.getUint32(this.#pos + 4);
    this.#pos += 8;
    if (hi >= 2 ** 21) throw new DecodeError(`${what} exceeds 2^53`);
    return hi * TWO_32 + lo;
  }

  raw(n: number, what: string): Uint8Array {
    this.#need(n, what);
    const out = this.#bytes.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  end(): void {
    if (this.#pos !== this.#bytes.byteLength)
      throw new DecodeError(`${this.#bytes.byteLength - this.#pos} trailing bytes`);
  }
}

function checksum(key: Uint8Array, body: Uint8Array): number {
  return crc32(body, crc32(key));
}

/** Checks a value's CRC and returns its body (a view, not a copy). */
export function unframe(key: Uint8Array, value: Uint8Array): Uint8Array {
  if (value.byteLength < 4)
    throw new DecodeError(`value of ${value.byteLength} bytes is shorter than its CRC`);
  const stored = new DataView(value.buffer, value.byteOffset, 4).getUint32(0);
  const body = value.subarray(4);
  const actual = checksum(key, body);
  if (stored !== actual)
    throw new DecodeError(
      `checksum mismatch: stored ${stored.toString(16).padStart(8, "0")}, computed ${actual.toString(16).padStart(8, "0")}`,
    );
  return body;
}

export function encodeEntry(key: Uint8Array, e: Entry): Uint8Array {
  return new Writer(21 + e.data.byteLength)
    .u8(ENTRY_TYPE_CODES[e.type])
    .u64(e.term)
    .u64(e.index)
    .u32(e.data.byteLength)
    .raw(e.data)
    .seal(key);
}

export function decodeEntry(key: Uint8Array, value: Uint8Array): Entry {
  const r = new Reader(unframe(key, value));
  const code = r.u8("type");
  const type = ENTRY_TYPES[code];
  if (type === undefined) throw new DecodeError(`unknown entry type ${code}`);
  const term = r.u64("term");
  const index = r.u64("index");
  const data = r.raw(r.u32("data length"), "data");
  r.end();
  return { term, index, type, data };
}

export function encodeHardState(key: Uint8Array, hs: HardState): Uint8Array {
  return new Writer(24).u64(hs.term).u64(hs.vote).u64(hs.commit).seal(key);
}

export function decodeHardState(key: Uint8Array, value: Uint8Array): HardState {
  const r = new Reader(unframe(key, value));
  const hs = { term: r.u64("term"), vote: r.u64("vote"), commit: r.u64("commit") };
  r.end();
  return hs;
}

/** The entry just before the log's first index: what a compaction (or a snapshot install) left. */
export interface LogFloor {
  index: number;
  term: number;
}

export function encodeFloor(key: Uint8Array, f: LogFloor): Uint8Array {
  return new Writer(16).u64(f.index).u64(f.term).seal(key);
}

export function decodeFloor(key: Uint8Array, value: Uint8Array): LogFloor {
  const r = new Reader(unframe(key, value));
  const f = { index: r.u64("index"), term: r.u64("term") };
  r.end();
  return f;
}

/** What the "S" key holds: the snapshot without its data, plus how the data is chunked. */
export interface SnapshotRecord {
  index: number;
  term: number;
  confState: ConfState;
  dataBytes: number;
  chunks: number;
}

export function encodeSnapshotRecord(key: Uint8Array, s: SnapshotRecord): Uint8Array {
  const { voters, learners } = s.confState;
  const w = new Writer(16 + 4 + 8 * voters.length + 4 + 8 * learners.length + 12);
  w.u64(s.index).u64(s.term).u32(voters.length);
  for (const v of voters) w.u64(v);
  w.u32(learners.length);
  for (const l of learners) w.u64(l);
  return w.u64(s.dataBytes).u32(s.chunks).seal(key);
}

export function decodeSnapshotRecord(key: Uint8Array, value: Uint8Array): SnapshotRecord {
  const r = new Reader(unframe(key, value));
  const index = r.u64("index");
  const term = r.u64("term");
  const ids = (what: string): number[] => {
    const n = r.u32(`${what} count`);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(r.u64(what));
    return out;
  };
  const voters = ids("voter");
  const learners = ids("learner");
  const dataBytes = r.u64("data length");
  const chunks = r.u32("chunk count");
  r.end();
  return { index, term, confState: { voters, learners }, dataBytes, chunks };
}

export function encodeChunk(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Writer(data.byteLength).raw(data).seal(key);
}

export function decodeChunk(key: Uint8Array, value: Uint8Array): Uint8Array {
  return unframe(key, value);
}

/** The identity record written once, when the database is created. */
export interface StorageMeta {
  format: number;
  kind: string;
  clusterId: string;
  nodeId: number;
  /** ISO 8601 time of creation, for people; never compared. */
  createdAt: string;
}

export function encodeMeta(key: Uint8Array, m: StorageMeta): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(m));
  return new Writer(json.byteLength).raw(json).seal(key);
}

/** Decodes the meta record; checks its shape but not its format (the caller reports that). */
export function decodeMeta(key: Uint8Array, value: Uint8Array): StorageMeta {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(unframe(key, value)));
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError(`meta is not UTF-8 JSON: ${(err as Error).message}`);
  }
  const m = parsed as Partial<StorageMeta> | null;
  if (
    typeof m !== "object" ||
    m === null ||
    typeof m.format !== "number" ||
    typeof m.kind !== "string" ||
    typeof m.clusterId !== "string" ||
    typeof m.nodeId !== "number" ||
    typeof m.createdAt !== "string"
  )
    throw new DecodeError(`meta lacks a field of {format, kind, clusterId, nodeId, createdAt}`);
  return m as StorageMeta;
}
