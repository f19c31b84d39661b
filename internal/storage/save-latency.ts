// Measures save() latency (p50/p99) with sync for batches of 1 and 64 entries of 256 bytes, against
// a peer measured in the same run: a bare append + fdatasync of the same bytes to a plain file.
// The log is kept bounded as the node keeps it: a snapshot every 10,000 entries keeping 1,000
// (not timed). Run: npx tsx internal/storage/save-latency.ts [saves=500] [dir=os.tmpdir()]

import { closeSync, fdatasyncSync, openSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Entry, EntryType } from "../raft/index.ts";
import { DurableStorage } from "./durable-storage.ts";

const SAVES = Number(process.argv[2] ?? 500);
const ROOT = process.argv[3] ?? tmpdir();
const ENTRY_BYTES = 256;
const WARMUP = 20;
const SNAPSHOT_EVERY_ENTRIES = 10_000;
const SNAPSHOT_KEEP_ENTRIES = 1_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(ms: number[]): { p50: number; p99: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  return { p50: percentile(s, 50), p99: percentile(s, 99), mean };
}

async function measureStorage(batch: number, sync: boolean): Promise<number[]> {
  const dir = await mkdtemp(join(ROOT, "raftvs-save-bench-"));
  const s = await DurableStorage.open({ dir, clusterId: "raftvs-bench", nodeId: 1, initialVoters: [1] });
  const payload = new Uint8Array(ENTRY_BYTES).fill(0xab);
  const times: number[] = [];
  let last = s.lastIndex();
  for (let n = 0; n < SAVES + WARMUP; n++) {
    const entries: Entry[] = [];
    for (let i = 1; i <= batch; i++)
      entries.push({ index: last + i, term: 1, type: EntryType.Normal, data: payload });
    const t0 = performance.now();
    await s.save({ entries, hardState: { term: 1, vote: 1, commit: last } }, sync);
    if (n >= WARMUP) times.push(performance.now() - t0);
    last += batch;
    if (last - s.snapshot().metadata.index >= SNAPSHOT_EVERY_ENTRIES) {
      await s.save({ entries: [], hardState: { term: 1, vote: 1, commit: last } }, true);
      await s.createSnapshot(last, { voters: [1], learners: [] }, new Uint8Array(64), SNAPSHOT_KEEP_ENTRIES);
    }
  }
  await s.close();
  await rm(dir, { recursive: true, force: true });
  return times;
}

async function measureFileFsync(batch: number): Promise<number[]> {
  const dir = await mkdtemp(join(ROOT, "raftvs-fsync-bench-"));
  const fd = openSync(join(dir, "wal"), "a");
  const buf = new Uint8Array(batch * (ENTRY_BYTES + 30)).fill(0xcd);
  const times: number[] = [];
  for (let n = 0; n < SAVES + WARMUP; n++) {
    const t0 = performance.now();
    writeSync(fd, buf);
    fdatasyncSync(fd);
    if (n >= WARMUP) times.push(performance.now() - t0);
  }
  closeSync(fd);
  await rm(dir, { recursive: true, force: true });
  return times;
}

const fmt = (n: number): string => n.toFixed(3).padStart(8);
console.log(`save() latency, ${SAVES} saves each, ${ENTRY_BYTES}-byte entries, data in ${ROOT}`);
console.log("case                          p50 ms   p99 ms  mean ms   p50 vs write+fdatasync");
for (const batch of [1, 64]) {
  const peer = summary(await measureFileFsync(batch));
  for (const sync of [true, false]) {
    const r = summary(await measureStorage(batch, sync));
    const label = `${String(batch).padStart(2)} entries, sync=${sync}`.padEnd(28);
    console.log(`${label}${fmt(r.p50)} ${fmt(r.p99)} ${fmt(r.mean)}   ${(r.p50 / peer.p50).toFixed(2)}x`);
  }
  const label = `${String(batch).padStart(2)} entries, file+fdatasync`.padEnd(28);
  console.log(`${label}${fmt(peer.p50)} ${fmt(peer.p99)} ${fmt(peer.mean)}   1.00x`);
}
