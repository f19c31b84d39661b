// Child process of crash.test.ts: opens the storage in argv[2] and appends entries forever in
// batches of 1-8 (sync), printing a batch's last index only after its save() resolved.

import { EntryType } from "../raft/index.ts";
import { DurableStorage } from "./durable-storage.ts";
import { CLUSTER, crashPayload } from "./test-helpers.ts";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: crash-writer.ts <dir>");
const storage = await DurableStorage.open({ dir, clusterId: CLUSTER, nodeId: 1, initialVoters: [1] });
let last = storage.lastIndex();
for (let round = 0; ; round++) {
  const n = 1 + (round % 8);
  const entries = [];
  for (let i = last + 1; i <= last + n; i++)
    entries.push({ index: i, term: 1, type: EntryType.Normal, data: crashPayload(i) });
  await storage.save({ entries, hardState: { term: 1, vote: 1, commit: last + n } }, true);
  last += n;
  process.stdout.write(`${last}\n`);
}
