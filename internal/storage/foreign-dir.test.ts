// Opening a directory that is not this node's log: another cluster's or node's log, random files,
// another program's LevelDB. Each is STORAGE_FOREIGN_DIR, and the directory is left untouched.

import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { Level } from "level";
import { DurableStorage } from "./durable-storage.ts";
import { type StorageError, StorageErrorCode } from "./errors.ts";
import { CLUSTER, entries, openStorage, tempDir } from "./test-helpers.ts";

const FOREIGN = { code: StorageErrorCode.ForeignDir };

async function logWithData(t: Parameters<typeof openStorage>[0]): Promise<string> {
  const dir = await tempDir(t);
  const s = await openStorage(t, dir);
  await s.save({ entries: entries(1, 3, 1), hardState: { term: 1, vote: 1, commit: 3 } }, true);
  await s.close();
  return dir;
}

test("another cluster's log is refused, naming both clusters, and stays intact", async (t) => {
  const dir = await logWithData(t);
  const err = await t.throwsAsync<StorageError>(
    DurableStorage.open({ dir, clusterId: "raftvs-other", nodeId: 1 }),
    FOREIGN,
  );
  t.regex(err!.message, /cluster "raftvs-test" node 1, but this node is cluster "raftvs-other" node 1/);
  t.is(err!.dir, dir);
  const s = await openStorage(t, dir);
  t.is(s.lastIndex(), 3, "the refused open changed nothing");
});

test("another node's log is refused, naming both node ids", async (t) => {
  const dir = await logWithData(t);
  const err = await t.throwsAsync(DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 2 }), FOREIGN);
  t.regex(err!.message, /node 1, but this node is cluster "raftvs-test" node 2/);
});

test("a directory of random files is refused and left as it was", async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, "notes.txt"), "hello");
  await mkdir(join(dir, "photos"));
  const err = await t.throwsAsync(DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 1 }), FOREIGN);
  t.regex(err!.message, /holds no raft log \(found .*notes\.txt/);
  t.deepEqual((await readdir(dir)).sort(), ["notes.txt", "photos"]);
});

test("random files inside raft-log are refused", async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, "raft-log"));
  await writeFile(join(dir, "raft-log", "data.json"), "{}");
  await t.throwsAsync(DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 1 }), FOREIGN);
});

test("another program's LevelDB (no raftvs meta record) is refused", async (t) => {
  const dir = await tempDir(t);
  const other = new Level(join(dir, "raft-log"));
  await other.put("user:1", "alice");
  await other.close();
  const err = await t.throwsAsync(DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 1 }), FOREIGN);
  t.regex(err!.message, /no raftvs meta record/);
});

test("a path that is a file is refused", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "file");
  await writeFile(file, "x");
  await t.throwsAsync(DurableStorage.open({ dir: file, clusterId: CLUSTER, nodeId: 1 }), FOREIGN);
});

test("an empty directory, or one holding only lost+found, is new", async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, "lost+found"));
  const s = await openStorage(t, dir);
  t.true(s.isNew);
});
