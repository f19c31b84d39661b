// Opening the LevelDB of a data directory (mapping its failures to StorageError codes) and
// creating a new log in it: the meta record and the initial state, in one synced batch.

import { Level } from "level";
import { bootstrapStorage, MemoryStorage } from "../raft/index.ts";
import type { DataDirState } from "./data-dir.ts";
import { encodeFloor, encodeMeta, META_FORMAT, META_KIND, type StorageMeta } from "./entry-codec.ts";
import { StorageError, StorageErrorCode } from "./errors.ts";
import { FLOOR_KEY, META_KEY } from "./keys.ts";
import type { LogDb } from "./load.ts";
import type { ResolvedOptions } from "./options.ts";
import { type BatchOp, planSave } from "./write-plan.ts";

/** Opens (or, for a fresh directory, creates) the LevelDB; never creates over existing files. */
export async function openLogDb(dir: string, state: DataDirState): Promise<LogDb> {
  const db: LogDb = new Level<Uint8Array, Uint8Array>(state.dbPath, {
    keyEncoding: "view",
    valueEncoding: "view",
    createIfMissing: state.fresh,
    errorIfExists: false,
  });
  try {
    await db.open();
  } catch (err) {
    throw openFailure(dir, state.dbPath, err);
  }
  return db;
}

function openFailure(dir: string, dbPath: string, err: unknown): StorageError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === "LEVEL_LOCKED")
    return new StorageError(
      StorageErrorCode.Locked,
      dir,
      `the raft log is in use by another process or another open storage (LevelDB lock ${dbPath}/LOCK is held); ` +
        "stop the other raftvsd using this directory",
      { cause: err },
    );
  if (cause?.code === "LEVEL_CORRUPTION")
    return new StorageError(StorageErrorCode.Damaged, dir, `LevelDB reports corruption: ${cause.message}`, {
      cause: err,
    });
  const detail = cause?.message ?? (err as Error).message;
  // inspectDataDir saw CURRENT; a file it names that is gone means the database is damaged.
  if (/No such file or directory/.test(detail))
    return new StorageError(StorageErrorCode.Damaged, dir, `a LevelDB file is missing: ${detail}`, {
      cause: err,
    });
  const message = `cannot open the LevelDB at ${dbPath}: ${detail}`;
  return new StorageError(StorageErrorCode.Io, dir, message, { cause: err });
}

/** Writes the meta record and the initial state (bootstrapped or empty) in one synced batch. */
export async function createLog(db: LogDb, o: ResolvedOptions): Promise<MemoryStorage> {
  const mirror = new MemoryStorage();
  if (o.initialVoters !== undefined) bootstrapStorage(mirror, o.initialVoters, o.initialData);
  const meta: StorageMeta = {
    format: META_FORMAT,
    kind: META_KIND,
    clusterId: o.clusterId,
    nodeId: o.nodeId,
    createdAt: new Date().toISOString(),
  };
  // Plan the initial state as a save into an empty log, so it passes the same checks.
  const empty = new MemoryStorage();
  const snap = mirror.snapshot();
  const plan = planSave(
    empty,
    0,
    {
      hardState: mirror.hardState(),
      entries: [],
      snapshot: snap.metadata.index > 0 ? snap : undefined,
    },
    o.dir,
  );
  const ops: BatchOp[] = [{ type: "put", key: META_KEY, value: encodeMeta(META_KEY, meta) }, ...plan.ops];
  // A snapshot writes the floor; an empty log needs its 0/0 floor written here.
  if (snap.metadata.index === 0)
    ops.push({ type: "put", key: FLOOR_KEY, value: encodeFloor(FLOOR_KEY, { index: 0, term: 0 }) });
  try {
    await db.batch(ops, { sync: true });
  } catch (err) {
    const message = `cannot write the new raft log: ${(err as Error).message}`;
    throw new StorageError(StorageErrorCode.Io, o.dir, message, { cause: err });
  }
  return mirror;
}
