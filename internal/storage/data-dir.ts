// The data directory on disk: deciding whether it is new, ours, or something else (before LevelDB
// touches it), making a new one durable, and measuring its size.

import { readdirSync, statSync } from "node:fs";
import { mkdir, open, readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { StorageError, StorageErrorCode } from "./errors.ts";

/** The LevelDB's folder inside the data directory. */
export const LOG_DB_DIR = "raft-log";

/** Entries a data directory may hold besides the log: a filesystem's own lost+found. */
const TOLERATED = new Set(["lost+found"]);
/** File names LevelDB creates (see leveldb/db/filename.cc). */
const LEVELDB_FILE = /^(CURRENT|LOCK|LOG|LOG\.old|MANIFEST-\d+|\d+\.(log|ldb|sst|dbtmp))$/;

export interface DataDirState {
  /** Path of the LevelDB folder. */
  dbPath: string;
  /** True when nothing was ever written here: LevelDB may create the database. */
  fresh: boolean;
  /** True when this call created `dir` itself (its parent then needs an fsync). */
  createdDir: boolean;
}

function ioError(dir: string, what: string, err: unknown): StorageError {
  return new StorageError(StorageErrorCode.Io, dir, `${what}: ${(err as Error).message}`, { cause: err });
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

async function listDir(dir: string, path: string): Promise<string[] | undefined> {
  try {
    return await readdir(path);
  } catch (err) {
    if (errno(err) === "ENOENT") return undefined;
    if (errno(err) === "ENOTDIR")
      throw new StorageError(StorageErrorCode.ForeignDir, dir, `${path} is not a directory`, { cause: err });
    throw ioError(dir, `cannot list ${path}`, err);
  }
}

/**
 * Classifies `dir` without changing anything in it except creating it when missing. Never
 * answers `fresh` for a directory that holds anything LevelDB or we could have written.
 */
export async function inspectDataDir(dir: string): Promise<DataDirState> {
  const dbPath = join(dir, LOG_DB_DIR);
  const top = await listDir(dir, dir);
  if (top === undefined) {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw ioError(dir, "cannot create the data directory", err);
    }
    return { dbPath, fresh: true, createdDir: true };
  }
  if (!top.includes(LOG_DB_DIR)) {
    const others = top.filter((name) => !TOLERATED.has(name));
    if (others.length === 0) return { dbPath, fresh: true, createdDir: false };
    throw new StorageError(
      StorageErrorCode.ForeignDir,
      dir,
      `the data directory is not empty and holds no raft log (found ${sample(others)}); ` +
        "point the node at an empty or its own directory",
    );
  }
  const inner = (await listDir(dir, dbPath)) ?? [];
  if (inner.length === 0) return { dbPath, fresh: true, createdDir: false };
  const strangers = inner.filter((name) => !LEVELDB_FILE.test(name));
  if (strangers.length > 0)
    throw new StorageError(
      StorageErrorCode.ForeignDir,
      dir,
      `${dbPath} holds files that are not LevelDB's (${sample(strangers)})`,
    );
  if (!inner.includes("CURRENT"))
    throw new StorageError(
      StorageErrorCode.Damaged,
      dir,
      `${dbPath} holds LevelDB files but no CURRENT file (an interrupted creation or a damaged database); ` +
        "it is left untouched",
    );
  return { dbPath, fresh: false, createdDir: false };
}

function sample(names: string[]): string {
  const shown = names.slice(0, 5).join(", ");
  return names.length > 5 ? `${shown}, and ${names.length - 5} more` : shown;
}

/** fsyncs a directory so the names created in it survive a power loss. */
export async function fsyncDir(dir: string, path: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch (err) {
    throw ioError(dir, `cannot fsync directory ${path}`, err);
  } finally {
    await handle?.close();
  }
}

/** Makes a newly created database's directory entries durable. */
export async function syncNewDataDir(dir: string, state: DataDirState): Promise<void> {
  await fsyncDir(dir, dir);
  if (state.createdDir) await fsyncDir(dir, dirname(dir));
}

/** Bytes of the LevelDB files (a status-page figure; files vanishing meanwhile are skipped). */
export function diskBytes(dbPath: string): number {
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(dbPath);
  } catch {
    return 0;
  }
  for (const name of names) {
    try {
      total += statSync(join(dbPath, name)).size;
    } catch {
      // compaction removed it between the listing and the stat
    }
  }
  return total;
}
