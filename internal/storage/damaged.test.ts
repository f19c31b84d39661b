// Damage found on open: a flipped byte, a gap, a missing record, inconsistent records, a newer
// format, LevelDB files that are not a database. Each is a StorageError naming where, never a reset.

import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { DurableStorage } from "./durable-storage.ts";
import { encodeHardState, encodeMeta } from "./entry-codec.ts";
import { type StorageError, StorageErrorCode } from "./errors.ts";
import { entryKey, HARD_STATE_KEY, META_KEY } from "./keys.ts";
import { CLUSTER, entries, openStorage, rawDb, tempDir } from "./test-helpers.ts";

/** A closed log holding entries 1..10 (commit 8) and a raw handle on its LevelDB. */
async function damageable(t: ExecutionContext) {
  const dir = await tempDir(t);
  const s = await openStorage(t, dir);
  await s.save({ entries: entries(1, 10, 2), hardState: { term: 2, vote: 1, commit: 8 } }, true);
  await s.close();
  const db = await rawDb(t, dir);
  const open = async () => {
    await db.close();
    return DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 1 });
  };
  return { dir, db, open };
}

test("a flipped byte in an entry value is DAMAGED naming the index", async (t) => {
  const { db, open } = await damageable(t);
  const value = Uint8Array.from((await db.get(entryKey(5)))!);
  value[value.byteLength - 1]! ^= 0x01;
  await db.put(entryKey(5), value);
  const err = await t.throwsAsync<StorageError>(open(), { code: StorageErrorCode.Damaged });
  t.is(err!.index, 5);
  t.regex(err!.message, /entry 5 \(key E\/5\): checksum mismatch/);
});

test("an entry value stored under another index is DAMAGED (the CRC covers the key)", async (t) => {
  const { db, open } = await damageable(t);
  await db.put(entryKey(6), (await db.get(entryKey(7)))!);
  const err = await t.throwsAsync<StorageError>(open(), { code: StorageErrorCode.Damaged });
  t.is(err!.index, 6);
});

test("a gap in the log is DAMAGED naming the missing index", async (t) => {
  const { db, open } = await damageable(t);
  await db.del(entryKey(4));
  const err = await t.throwsAsync<StorageError>(open(), { code: StorageErrorCode.Damaged });
  t.is(err!.index, 4);
  t.regex(err!.message, /gap in the log: entry 5 follows entry 3/);
});

test("a missing hard state record is DAMAGED", async (t) => {
  const { db, open } = await damageable(t);
  await db.del(HARD_STATE_KEY);
  await t.throwsAsync(open(), {
    code: StorageErrorCode.Damaged,
    message: /hard state record \(key H\) is missing/,
  });
});

test("a commit index past the last entry is DAMAGED", async (t) => {
  const { db, open } = await damageable(t);
  await db.put(HARD_STATE_KEY, encodeHardState(HARD_STATE_KEY, { term: 2, vote: 1, commit: 11 }));
  await t.throwsAsync(open(), {
    code: StorageErrorCode.Damaged,
    message: /commit 11 is past the last log entry 10/,
  });
});

test("losing the newest entries below the commit index is DAMAGED", async (t) => {
  const { db, open } = await damageable(t);
  await db.batch([9, 10, 8].map((i) => ({ type: "del" as const, key: entryKey(i) })));
  await t.throwsAsync(open(), {
    code: StorageErrorCode.Damaged,
    message: /commit 8 is past the last log entry 7/,
  });
});

test("a damaged meta record is DAMAGED", async (t) => {
  const { db, open } = await damageable(t);
  const meta = Uint8Array.from((await db.get(META_KEY))!);
  meta[6]! ^= 0x20;
  await db.put(META_KEY, meta);
  await t.throwsAsync(open(), {
    code: StorageErrorCode.Damaged,
    message: /meta record \(key M\): checksum mismatch/,
  });
});

test("a log written in a newer storage format is STORAGE_VERSION", async (t) => {
  const { db, open } = await damageable(t);
  const meta = { format: 2, kind: "raftvs-raft-log", clusterId: CLUSTER, nodeId: 1, createdAt: "" };
  await db.put(META_KEY, encodeMeta(META_KEY, meta));
  await t.throwsAsync(open(), {
    code: StorageErrorCode.Version,
    message: /storage format 2 is not the format 1/,
  });
});

test("an unknown key is DAMAGED", async (t) => {
  const { db, open } = await damageable(t);
  await db.put(Uint8Array.of(0x5a, 1), Uint8Array.of(0));
  await t.throwsAsync(open(), { code: StorageErrorCode.Damaged, message: /unknown key 0x5a01/ });
});

test("LevelDB files without CURRENT are DAMAGED and left in place", async (t) => {
  const { dir, db } = await damageable(t);
  await db.close();
  await rm(join(dir, "raft-log", "CURRENT"));
  await t.throwsAsync(DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 1 }), {
    code: StorageErrorCode.Damaged,
    message: /no CURRENT file/,
  });
  t.true(
    (await readdir(join(dir, "raft-log"))).some((f) => f.startsWith("MANIFEST-")),
    "nothing was deleted",
  );
});

test("a garbage CURRENT file, or one naming a missing manifest, is DAMAGED", async (t) => {
  for (const content of ["garbage", "MANIFEST-999999\n"]) {
    const { dir, db } = await damageable(t);
    await db.close();
    await writeFile(join(dir, "raft-log", "CURRENT"), content);
    await t.throwsAsync(DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 1 }), {
      code: StorageErrorCode.Damaged,
    });
  }
});
