// Crash safety with a real process: a child appends with sync and acknowledges each save on
// stdout; after ~300 acknowledgements it is killed with SIGKILL mid-write. Reopening must show
// every acknowledged entry, intact, in a contiguous log. Two crash rounds, each bounded.

import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import test, { type ExecutionContext } from "ava";
import { DurableStorage } from "./durable-storage.ts";
import { StorageErrorCode } from "./errors.ts";
import { CLUSTER, crashPayload, openStorage, tempDir } from "./test-helpers.ts";

const WRITER = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));
const ACKS_BEFORE_KILL = 300;
/** Longest the writer may take to start (tsx compiles on the fly). */
const STARTUP_MS = 20_000;
/** Longest a round runs after the first acknowledgement. */
const ROUND_MS = 5_000;

interface Round {
  /** Highest index acknowledged, and every acknowledged batch end. */
  acked: number[];
}

/** Runs the writer until ~300 acks (or the time limit), checks the lock from here, then kills it. */
async function crashRound(t: ExecutionContext, dir: string): Promise<Round> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", WRITER, dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  });
  const acked: number[] = [];
  let stderr = "";
  let partial = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    let roundTimer: NodeJS.Timeout | undefined;
    const startTimer = setTimeout(
      () => reject(new Error(`writer did not acknowledge within ${STARTUP_MS} ms: ${stderr}`)),
      STARTUP_MS,
    );
    child.once("exit", (code, signal) =>
      reject(new Error(`writer exited early (${code ?? signal}): ${stderr}`)),
    );
    child.stdout!.on("data", (d: Buffer) => {
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop()!; // a line cut by the kill was never fully acknowledged
      for (const line of lines) acked.push(Number(line));
      if (acked.length > 0 && roundTimer === undefined) {
        clearTimeout(startTimer);
        roundTimer = setTimeout(resolve, ROUND_MS);
      }
      if (acked.length >= ACKS_BEFORE_KILL) {
        clearTimeout(roundTimer);
        resolve();
      }
    });
  });
  // The writer holds the LevelDB lock: another process cannot open the directory.
  await t.throwsAsync(DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 1 }), {
    code: StorageErrorCode.Locked,
  });
  child.kill("SIGKILL");
  await exited;
  t.is(child.signalCode, "SIGKILL");
  return { acked };
}

test("entries acknowledged before a kill -9 are all present after reopen", async (t) => {
  t.timeout(2 * (STARTUP_MS + ROUND_MS) + 10_000);
  const dir = await tempDir(t);
  const all: number[] = [];
  for (let round = 0; round < 2; round++) {
    const { acked } = await crashRound(t, dir);
    t.true(acked.length > 0);
    all.push(...acked);
    t.log(`round ${round + 1}: ${acked.length} saves acknowledged, last index ${acked.at(-1)}`);
  }
  for (let i = 1; i < all.length; i++) t.true(all[i]! > all[i - 1]!, "acknowledged indexes increase");

  const s = await openStorage(t, dir);
  t.false(s.isNew);
  const maxAcked = all.at(-1)!;
  t.true(s.lastIndex() >= maxAcked, `last index ${s.lastIndex()} covers acknowledged ${maxAcked}`);
  t.true(s.hardState().commit >= maxAcked);
  const ents = s.entries(s.firstIndex(), s.lastIndex() + 1, Number.MAX_SAFE_INTEGER);
  t.is(ents.length, s.lastIndex() - s.firstIndex() + 1);
  let bad = 0;
  ents.forEach((e, k) => {
    if (e.index !== s.firstIndex() + k || e.term !== 1 || !Buffer.from(e.data).equals(crashPayload(e.index)))
      bad++;
  });
  t.is(bad, 0, "every entry is contiguous and holds exactly what was written");
  t.is(s.firstIndex(), 2, "the log starts right after the bootstrap snapshot");
});
