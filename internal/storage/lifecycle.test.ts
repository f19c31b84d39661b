// The storage's lifecycle: one open per directory (STORAGE_LOCKED), close that is safe to repeat
// and refuses later calls (STORAGE_CLOSED), one save at a time (STORAGE_BUSY), validated options.

import test from "ava";
import { DurableStorage } from "./durable-storage.ts";
import { StorageErrorCode } from "./errors.ts";
import { CLUSTER, entries, openStorage, tempDir } from "./test-helpers.ts";

test("a second open of a directory already open is STORAGE_LOCKED", async (t) => {
  const dir = await tempDir(t);
  await openStorage(t, dir);
  const err = await t.throwsAsync(DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 1 }), {
    code: StorageErrorCode.Locked,
  });
  t.regex(err!.message, /in use by another process.*LOCK is held/);
});

test("close is idempotent; afterwards reads throw and writes reject with STORAGE_CLOSED", async (t) => {
  const dir = await tempDir(t);
  const s = await openStorage(t, dir);
  await s.save({ entries: entries(1, 2, 1), hardState: { term: 1, vote: 1, commit: 2 } }, true);
  await Promise.all([s.close(), s.close()]);
  await s.close();
  const closed = { code: StorageErrorCode.Closed };
  t.throws(() => s.lastIndex(), closed);
  t.throws(() => s.entries(1, 2, 100), closed);
  await t.throwsAsync(s.save({ entries: entries(3, 3, 1) }, true), closed);
  await t.throwsAsync(s.createSnapshot(2, { voters: [1], learners: [] }, new Uint8Array(0), 0), closed);
  const again = await openStorage(t, dir);
  t.is(again.lastIndex(), 2, "close released the lock");
});

test("close waits for a save already accepted", async (t) => {
  const dir = await tempDir(t);
  const s = await openStorage(t, dir);
  const saved = s.save({ entries: entries(1, 50, 1), hardState: { term: 1, vote: 1, commit: 0 } }, true);
  await s.close();
  await saved;
  t.is((await openStorage(t, dir)).lastIndex(), 50);
});

test("a save while another is in flight rejects with STORAGE_BUSY and changes nothing", async (t) => {
  const s = await openStorage(t, await tempDir(t));
  const first = s.save({ entries: entries(1, 5, 1) }, true);
  await t.throwsAsync(s.save({ entries: entries(6, 6, 1) }, true), { code: StorageErrorCode.Busy });
  await first;
  t.is(s.lastIndex(), 5);
  await s.save({ entries: entries(6, 6, 1) }, true);
  t.is(s.lastIndex(), 6);
});

test("createSnapshot called during a save runs after it, in call order", async (t) => {
  const s = await openStorage(t, await tempDir(t));
  await s.save({ entries: entries(1, 5, 1), hardState: { term: 1, vote: 1, commit: 5 } }, true);
  const saving = s.save({ entries: entries(6, 9, 1), hardState: { term: 1, vote: 1, commit: 9 } }, true);
  const snap = await s.createSnapshot(8, { voters: [1], learners: [] }, new Uint8Array(0), 0);
  await saving;
  t.is(snap.metadata.index, 8);
  t.is(s.firstIndex(), 9);
  t.is(s.lastIndex(), 9);
});

const badOptions: [string, object][] = [
  ["no dir", { dir: "", clusterId: CLUSTER, nodeId: 1 }],
  ["a cluster id with a space", { dir: "/tmp/x", clusterId: "my cluster", nodeId: 1 }],
  ["an empty cluster id", { dir: "/tmp/x", clusterId: "", nodeId: 1 }],
  ["node id 0", { dir: "/tmp/x", clusterId: CLUSTER, nodeId: 0 }],
  ["a fractional node id", { dir: "/tmp/x", clusterId: CLUSTER, nodeId: 1.5 }],
  ["a string node id", { dir: "/tmp/x", clusterId: CLUSTER, nodeId: "1" }],
  ["empty initial voters", { dir: "/tmp/x", clusterId: CLUSTER, nodeId: 1, initialVoters: [] }],
  ["duplicate initial voters", { dir: "/tmp/x", clusterId: CLUSTER, nodeId: 1, initialVoters: [1, 1] }],
  [
    "initial voters without this node",
    { dir: "/tmp/x", clusterId: CLUSTER, nodeId: 1, initialVoters: [2, 3] },
  ],
  ["a negative initial voter", { dir: "/tmp/x", clusterId: CLUSTER, nodeId: 1, initialVoters: [1, -2] }],
];

for (const [name, opts] of badOptions) {
  test(`options with ${name} are STORAGE_INVALID_ARGUMENT`, async (t) => {
    await t.throwsAsync(DurableStorage.open(opts as never), { code: StorageErrorCode.InvalidArgument });
  });
}
