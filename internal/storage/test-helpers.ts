// Helpers shared by the storage tests: temporary data directories removed after each test,
// storages closed after each test, entries, and a raw LevelDB handle for tampering. Test-only.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import { Level } from "level";
import { type Entry, EntryType } from "../raft/index.ts";
import { LOG_DB_DIR } from "./data-dir.ts";
import { DurableStorage } from "./durable-storage.ts";
import type { DurableStorageOptions } from "./options.ts";

export const CLUSTER = "raftvs-test";

/** A fresh directory under the OS temp dir, removed when the test ends. */
export async function tempDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "raftvs-storage-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a storage in `dir` (node 1 of CLUSTER unless overridden), closed when the test ends. */
export async function openStorage(
  t: ExecutionContext,
  dir: string,
  overrides: Partial<DurableStorageOptions> = {},
): Promise<DurableStorage> {
  const s = await DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 1, ...overrides });
  t.teardown(() => s.close());
  return s;
}

/** Closes `s` and opens the same directory again (as node 1 of CLUSTER unless overridden). */
export async function reopen(
  t: ExecutionContext,
  s: DurableStorage,
  overrides: Partial<DurableStorageOptions> = {},
): Promise<DurableStorage> {
  await s.close();
  return openStorage(t, s.dir, overrides);
}

const enc = new TextEncoder();

export function entry(index: number, term: number, data = `e${index}t${term}`): Entry {
  return { index, term, type: EntryType.Normal, data: enc.encode(data) };
}

/** Entries lo..hi (inclusive), all of `term`. */
export function entries(lo: number, hi: number, term: number): Entry[] {
  const out: Entry[] = [];
  for (let i = lo; i <= hi; i++) out.push(entry(i, term));
  return out;
}

/** Everything a reader sees of a storage's log, in a comparable shape. */
export function logView(s: {
  firstIndex(): number;
  lastIndex(): number;
  entries(lo: number, hi: number, max: number): Entry[];
}) {
  const first = s.firstIndex();
  const last = s.lastIndex();
  const ents = last >= first ? s.entries(first, last + 1, Number.MAX_SAFE_INTEGER) : [];
  return { first, last, entries: ents.map((e) => ({ ...e, data: Buffer.from(e.data).toString("hex") })) };
}

/** A raw handle on the LevelDB inside a (closed) data directory, closed when the test ends. */
export async function rawDb(t: ExecutionContext, dir: string): Promise<Level<Uint8Array, Uint8Array>> {
  const db = new Level<Uint8Array, Uint8Array>(join(dir, LOG_DB_DIR), {
    keyEncoding: "view",
    valueEncoding: "view",
    createIfMissing: false,
  });
  await db.open();
  t.teardown(() => db.close());
  return db;
}

/** The 256-byte payload the crash test writes at `index`: derived from the index alone. */
export function crashPayload(index: number): Uint8Array {
  const data = new Uint8Array(256);
  for (let i = 0; i < data.length; i++) data[i] = (index * 31 + i * 7) & 0xff;
  new DataView(data.buffer).setUint32(0, index);
  return data;
}
