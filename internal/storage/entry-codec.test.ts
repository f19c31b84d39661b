// The key layout and value codecs: keys sort in index order, every record round-trips, and a
// value that is truncated, padded, flipped or moved to another key fails to decode.

import { crc32 } from "node:zlib";
import test from "ava";
import { EntryType } from "../raft/index.ts";
import {
  DecodeError,
  decodeEntry,
  decodeHardState,
  decodeMeta,
  decodeSnapshotRecord,
  encodeEntry,
  encodeHardState,
  encodeMeta,
  encodeSnapshotRecord,
} from "./entry-codec.ts";
import { chunkKey, describeKey, entryKey, HARD_STATE_KEY, META_KEY, parseKey, SNAPSHOT_KEY } from "./keys.ts";

test("entry keys sort in numeric index order, up to 2^53-1, and parse back", (t) => {
  const indexes = [1, 2, 255, 256, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
  const keys = indexes.map(entryKey);
  const sorted = [...keys].sort((a, b) => Buffer.compare(a, b));
  t.deepEqual(sorted, keys);
  t.deepEqual(
    keys.map((k) => parseKey(k)),
    indexes.map((index) => ({ kind: "entry", index })),
  );
  t.is(describeKey(entryKey(42)), "E/42");
  t.deepEqual(parseKey(chunkKey(3)), { kind: "chunk", n: 3 });
  t.deepEqual(parseKey(Uint8Array.of(0x45, 1)), { kind: "unknown" });
});

test("an entry round-trips with every type and large numbers", (t) => {
  for (const type of [EntryType.Normal, EntryType.ConfChange]) {
    const e = { index: 2 ** 40 + 3, term: 2 ** 33, type, data: new Uint8Array([1, 2, 3]) };
    const key = entryKey(e.index);
    const back = decodeEntry(key, encodeEntry(key, e));
    t.deepEqual({ ...back, data: [...back.data] }, { ...e, data: [1, 2, 3] });
  }
});

test("hard state, snapshot record and meta round-trip", (t) => {
  const hs = { term: 7, vote: 3, commit: 99 };
  t.deepEqual(decodeHardState(HARD_STATE_KEY, encodeHardState(HARD_STATE_KEY, hs)), hs);
  const rec = { index: 5, term: 2, confState: { voters: [1, 2], learners: [9] }, dataBytes: 10, chunks: 1 };
  t.deepEqual(decodeSnapshotRecord(SNAPSHOT_KEY, encodeSnapshotRecord(SNAPSHOT_KEY, rec)), rec);
  const meta = {
    format: 1,
    kind: "raftvs-raft-log",
    clusterId: "c",
    nodeId: 2,
    createdAt: "2024-01-01T00:00:00.000Z",
  };
  t.deepEqual(decodeMeta(META_KEY, encodeMeta(META_KEY, meta)), meta);
});

test("a damaged value fails to decode: flipped bit, truncation, padding, another key", (t) => {
  const key = entryKey(5);
  const good = encodeEntry(key, { index: 5, term: 1, type: EntryType.Normal, data: new Uint8Array([1, 2]) });
  const flipped = Uint8Array.from(good);
  flipped[10]! ^= 0x04;
  const cases: [string, Uint8Array, Uint8Array][] = [
    ["flipped bit", key, flipped],
    ["truncated", key, good.subarray(0, good.length - 1)],
    ["padded", key, Uint8Array.from([...good, 0])],
    ["shorter than its CRC", key, good.subarray(0, 3)],
    ["under another key", entryKey(6), good],
  ];
  for (const [name, k, v] of cases) t.throws(() => decodeEntry(k, v), { instanceOf: DecodeError }, name);
});

test("a value with a valid CRC but a bad body still fails to decode", (t) => {
  // Bodies that are internally wrong, with a correct CRC: an unknown entry type, a length past the end.
  const key = entryKey(1);
  const e = encodeEntry(key, { index: 1, term: 1, type: EntryType.Normal, data: new Uint8Array([1]) });
  const reframe = (mutate: (body: Uint8Array) => void): Uint8Array => {
    const framed = Uint8Array.from(e);
    const body = framed.subarray(4);
    mutate(body);
    new DataView(framed.buffer).setUint32(0, crc32(body, crc32(key)));
    return framed;
  };
  t.throws(
    () =>
      decodeEntry(
        key,
        reframe((b) => (b[0] = 7)),
      ),
    { message: /unknown entry type 7/ },
  );
  t.throws(
    () =>
      decodeEntry(
        key,
        reframe((b) => (b[20] = 9)),
      ),
    { message: /truncated/ },
  );
});
