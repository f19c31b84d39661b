// The table-scale bench's pure parts: the generated workload is valid for the service table and
// every change changes it; "seen on all nodes" is the latest of the nodes' first reports.

import test from "ava";
import { services } from "../../internal/state/index.ts";
import { SeenOnAll } from "./seen.ts";
import { summarize } from "./stats.ts";
import { addOps, batches, keyOf, vipOf, weightChange } from "./workload.ts";

test("the workload loads into the table in batches, and every weight change changes one server", (t) => {
  const table = new services.ServiceTable();
  let revision = 0;
  for (const [from, to] of batches(1_050, 500)) table.apply(addOps(from, to, 4), ++revision);
  t.is(revision, 3);
  t.is(table.size, 1_050);
  t.is(vipOf(0), "198.18.0.1");
  t.is(vipOf(255), "198.18.1.0");
  t.is(vipOf(2 ** 17 - 3), "198.19.255.254");
  for (let n = 0; n < 200; n++) {
    const op = weightChange(n, 1_050, 4);
    const changed = table.apply([op], ++revision);
    t.deepEqual(changed, [op.op === "server.edit" ? op.service : ""]);
  }
  t.truthy(table.get(keyOf(0)));
});

test("seen on all nodes: the latest first report at or after a revision; waits resolve then", async (t) => {
  const seen = new SeenOnAll(3);
  seen.record(0, 5, 10);
  seen.record(1, 7, 12);
  t.is(seen.timeOnAll(5), undefined);
  const wait = seen.waitAll(6, 1_000);
  seen.record(2, 6, 15);
  t.is(seen.timeOnAll(6), undefined, "node 1 is still at 5");
  seen.record(0, 8, 18);
  t.is(await wait, 18);
  t.is(seen.timeOnAll(5), 15);
  t.is(seen.timeOnAll(7), undefined);
  seen.record(2, 9, 21);
  t.is(seen.timeOnAll(7), 21);
  t.deepEqual(seen.timesOf(7), [18, 12, 21]);
  seen.fail(new Error("watch broke"));
  await t.throwsAsync(seen.waitAll(10, 1_000), { message: "watch broke" });
});

test("summaries use nearest-rank percentiles", (t) => {
  const s = summarize(Array.from({ length: 100 }, (_, i) => i + 1));
  t.is(s.p50, 50);
  t.is(s.p99, 99);
  t.is(s.max, 100);
  t.is(summarize([]).n, 0);
});
