// kill -9 of the leader of 3 and of 5 real raftvsd processes under concurrent clients: a new leader
// serves, no acknowledged write is lost, and the recorded history is linearizable (simulator's checker).

import test, { type ExecutionContext } from "ava";
import { kvModel } from "../internal/raft/sim/kv-model.ts";
import { checkLinearizable } from "../internal/raft/sim/linearizability.ts";
import { ItCluster } from "./support/cluster.ts";
import { History, lostAcknowledgedPuts } from "./support/history.ts";
import { sleep } from "./support/wait.ts";

const CLIENTS = 4;
const KEYS = ["k0", "k1", "k2"];
const LOAD_MS = 6000;
const KILL_AT_MS = 2000;
const MAX_OPS_PER_CLIENT = 1500;
/** A client skips an endpoint this long after it failed to connect to it. */
const AVOID_MS = 300;

async function failover(t: ExecutionContext, nodes: number): Promise<void> {
  const c = await ItCluster.create(t, { nodes, timeoutMs: 2000 });
  c.startAll();
  const firstLeader = await c.waitForLeader(30_000);
  await c.waitServing();
  const endpoints = c.endpoints(c.initialIds);
  const history = new History();
  const start = performance.now();
  const end = start + LOAD_MS;

  const client = async (clientId: number): Promise<void> => {
    const avoid = new Map<string, number>();
    let seq = 0;
    for (let i = 0; i < MAX_OPS_PER_CLIENT && performance.now() < end; i++) {
      const now = performance.now();
      const usable = endpoints.filter((ep) => (avoid.get(ep) ?? 0) < now);
      const pool = usable.length > 0 ? usable : endpoints;
      const ep = pool[Math.floor(Math.random() * pool.length)]!;
      const key = KEYS[Math.floor(Math.random() * KEYS.length)]!;
      try {
        if (Math.random() < 0.5) {
          const value = `c${clientId}-${seq++}`;
          await history.put(clientId, key, value, () => c.api.put(ep, key, value));
        } else {
          await history.get(clientId, key, () => c.api.get(ep, key));
        }
      } catch (err) {
        if (/No connection established|ECONNREFUSED/.test(String((err as Error).message)))
          avoid.set(ep, now + AVOID_MS);
        await sleep(10);
      }
    }
  };
  // A write-only probe with a short deadline measures how soon writes work again, whatever the
  // other clients are stuck on.
  const probeId = CLIENTS + 1;
  const probe = async (): Promise<void> => {
    const avoid = new Map<string, number>();
    for (let i = 0; i < MAX_OPS_PER_CLIENT && performance.now() < end; i++) {
      const now = performance.now();
      const usable = endpoints.filter((ep) => (avoid.get(ep) ?? 0) < now);
      const pool = usable.length > 0 ? usable : endpoints;
      const ep = pool[i % pool.length]!;
      const value = `probe-${i}`;
      try {
        await history.put(probeId, "probe", value, () => c.api.put(ep, "probe", value, 500));
      } catch (err) {
        if (/No connection established|ECONNREFUSED/.test(String((err as Error).message)))
          avoid.set(ep, now + AVOID_MS);
      }
      await sleep(20);
    }
  };
  const load = Promise.all([...Array.from({ length: CLIENTS }, (_, i) => client(i + 1)), probe()]);

  // Kill the leader of the moment (not necessarily the first one) after ~2 s of load.
  await sleep(KILL_AT_MS);
  const victim = await c.waitForLeader(5000, c.initialIds);
  const killedAt = performance.now();
  await c.kill(victim);
  const survivors = c.initialIds.filter((id) => id !== victim);
  const newLeader = await c.waitForLeader(10_000, survivors);
  const electedMs = performance.now() - killedAt;
  await load;

  // Final reads: linearizable, through a surviving node, recorded as one more client.
  const finalValues = new Map<string, string | undefined>();
  for (const key of [...KEYS, "probe"]) {
    let value: string | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        value = await history.get(99, key, () =>
          c.api.get(c.endpoint(survivors[attempt % survivors.length]!), key),
        );
        break;
      } catch (err) {
        if (attempt >= 50) throw err;
        await sleep(100);
      }
    }
    finalValues.set(key, value);
  }

  const afterKill = history.ackedPutsAfter(killedAt).filter((o) => o.call >= killedAt);
  const firstAck = (ops: typeof afterKill) =>
    ops.length > 0 ? Math.min(...ops.map((o) => o.return)) - killedAt : Number.NaN;
  const firstPutMs = firstAck(afterKill);
  const probeMs = firstAck(afterKill.filter((o) => o.clientId === probeId));
  t.log(`${nodes} nodes: first leader ${firstLeader}, killed leader ${victim}, new leader ${newLeader}`);
  t.log(
    `failover: new leader seen after ${electedMs.toFixed(0)} ms; first acknowledged put after ${firstPutMs.toFixed(0)} ms (write probe: ${probeMs.toFixed(0)} ms)`,
  );
  t.log(`history: ${history.ops.length} operations; ${history.summary()}`);

  t.not(newLeader, victim, "a surviving node leads");
  t.true(afterKill.length > 0, "writes are acknowledged after the kill");
  t.true(probeMs < 5000, `writes work again within 5 s of the kill (${probeMs.toFixed(0)} ms)`);
  t.true(history.putsOk >= 20, `enough acknowledged writes to mean something (${history.putsOk})`);
  t.deepEqual(lostAcknowledgedPuts(history.ops, finalValues), [], "no acknowledged put is lost");
  const verdict = checkLinearizable(kvModel, history.ops, { maxSteps: 20_000_000 });
  t.is(verdict.verdict, "ok", verdict.explanation ?? "");
}

test.serial(
  "3 nodes: after kill -9 of the leader a new leader serves, no acknowledged write is lost, the history is linearizable",
  (t) => failover(t, 3),
);

test.serial(
  "5 nodes: after kill -9 of the leader a new leader serves, no acknowledged write is lost, the history is linearizable",
  (t) => failover(t, 5),
);

// PRODUCT BUG (reported to the lead): a linearizable Get on a follower sends a ReadIndex to the
// leader it knows; when that leader dies the request is lost, and the read barrier
// (internal/node/raft-node.ts readBarrier/#settleReads) is neither re-sent to the new leader nor
// failed on the leader change: the Get hangs for the whole requestTimeoutMs although a new leader
// serves soon after. Made deterministic with a 1-2 s election timeout (the followers believe in
// the dead leader for >= 1 s, so the reads surely go to it) and an 8 s request timeout: fixed, a
// read ends ~1-2 s after the kill; today it ends after 8 s. Remove `.failing` once fixed.
test.serial(
  "a linearizable read waiting on a leader that is killed is answered or refused soon after a new leader is elected",
  async (t) => {
    const c = await ItCluster.create(t, {
      nodes: 3,
      timeoutMs: 10_000,
      dumpLogsOnFailure: false,
      extraArgs: ["--election-ticks", "100", "--request-timeout-ms", "8000"],
    });
    c.startAll();
    await c.waitForLeader(30_000);
    await c.waitServing();
    await c.putRetry("r", "before");
    const leader = await c.waitForLeader(5000);
    const followers = c.initialIds.filter((id) => id !== leader);
    // Warm the channels, so the reads below leave at once.
    for (const id of followers) await c.getRetry("r", [id]);
    const killedAt = performance.now();
    await c.kill(leader);
    const reads = followers.map(async (id) => {
      const outcome = await c.api.get(c.endpoint(id), "r").then(
        (r) => `value ${r.value}`,
        (err: Error) => err.message.split("\n")[0]!,
      );
      return { id, ms: performance.now() - killedAt, outcome };
    });
    const elected = c.waitForLeader(15_000, followers).then(() => performance.now() - killedAt);
    const results = await Promise.all(reads);
    t.log(`new leader after ${(await elected).toFixed(0)} ms`);
    for (const r of results)
      t.log(`read on node ${r.id}: done ${r.ms.toFixed(0)} ms after the kill: ${r.outcome}`);
    const electedMs = await elected;
    t.true(
      results.every((r) => r.ms < electedMs + 1500),
      "every read finished (answered or refused) within 1.5 s of the new leader's election",
    );
  },
);
