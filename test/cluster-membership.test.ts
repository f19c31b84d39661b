// Membership of real raftvsd processes under write load: grow 3 → 5 with `raftvsctl member add`
// (learner, catch-up, promotion), shrink 5 → 3 removing the leader too; removed nodes stop voting.

import test, { type ExecutionContext } from "ava";
import { runCtl } from "../internal/ctl/index.ts";
import { describeError } from "./support/api.ts";
import { ItCluster } from "./support/cluster.ts";
import { mapLimit, sleep, waitFor } from "./support/wait.ts";

/** Runs raftvsctl in-process; returns its exit code and output. */
async function ctl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCtl(args, { out: (s) => out.push(s), err: (s) => err.push(s), env: {} });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/**
 * raftvsctl, tried again (at most twice more) only after failures that prove nothing happened
 * while an election was under way: no leader (exit 4) or the proposal lost its log slot to a new
 * leader (ABORTED). `afterRetry` are the exit codes a retry may then give (a first try that timed
 * out may have taken effect). Every retry is logged.
 */
async function ctlRetry(t: ExecutionContext, args: string[], afterRetry: number[] = [0]) {
  const transient = (r: { code: number; err: string }) =>
    r.code === 4 || (r.code === 1 && /ABORTED|lost its log slot|no leader/.test(r.err));
  let r = await ctl(args);
  for (let i = 0; i < 2 && transient(r); i++) {
    t.log(`raftvsctl ${args.slice(2).join(" ")}: exit ${r.code} (${r.err.trim()}); trying again`);
    await sleep(500);
    r = await ctl(args);
    if (afterRetry.includes(r.code)) return { ...r, code: 0 };
  }
  return r;
}

test("grow 3 → 5 and shrink 5 → 3 (removing the leader) under write load: writes keep succeeding, the removed nodes stop voting and do not disturb the remaining three", async (t) => {
  const c = await ItCluster.create(t, { nodes: 3, spares: 2, timeoutMs: 2000 });
  c.startAll();
  await c.waitForLeader(30_000);
  await c.waitServing();

  // ---- write load through the current members, bounded in count and time ----
  let pool = [...c.initialIds];
  let phase = "grow";
  const stats = new Map<string, { ok: number; failed: number }>();
  const acked = new Map<string, string>();
  const ackTimes: number[] = [];
  const errors = new Map<string, number>();
  let stop = false;
  const hardStop = performance.now() + 120_000;
  const writer = async (w: number): Promise<void> => {
    for (let seq = 0; seq < 20_000 && !stop && performance.now() < hardStop; seq++) {
      const id = pool[(w + seq) % pool.length]!;
      const key = `m-${w}-${seq}`;
      const st = stats.get(phase) ?? { ok: 0, failed: 0 };
      stats.set(phase, st);
      try {
        await c.api.put(c.endpoint(id), key, `v${seq}`);
        acked.set(key, `v${seq}`);
        ackTimes.push(performance.now());
        st.ok++;
      } catch (err) {
        st.failed++;
        const e = describeError(err).slice(0, 80);
        errors.set(e, (errors.get(e) ?? 0) + 1);
        await sleep(20);
      }
      await sleep(5);
    }
  };
  const load = Promise.all([1, 2].map(writer));
  const endpointsOf = (ids: number[]) => ["--endpoints", c.endpoints(ids).join(",")];

  // ---- grow: nodes 4 and 5 start empty (--join) and are added one at a time ----
  for (const id of [4, 5]) {
    // The joiner is told every current member (the leader among them; see the failing test below).
    c.setJoinTargets(id, pool);
    c.start(id);
    await waitFor(async () => (await c.status(id)) !== undefined, 20_000, `node ${id} answering Status`);
    const p = c.plan(id);
    const add = await ctlRetry(
      t,
      [
        ...endpointsOf(pool),
        ...["member", "add", String(id), "--peer", p.peer, "--client", p.client, "--wait-ms", "30000"],
      ],
      [0, 3],
    );
    t.is(add.code, 0, `member add ${id}: ${add.err}`);
    if (add.out === "") {
      // A retried add found the node already added by the first try: promote it now.
      const promote = await ctlRetry(t, [...endpointsOf(pool), "member", "promote", String(id)], [0, 3]);
      t.is(promote.code, 0, `member promote ${id}: ${promote.err}`);
    } else {
      t.regex(add.out, new RegExp(`node ${id} caught up and is now a voter`));
    }
    pool = [...pool, id];
  }
  const all = [1, 2, 3, 4, 5];
  await waitFor(
    async () =>
      [...(await c.statuses(all)).values()].every((s) => s?.voters.length === 5 && s.learners.length === 0),
    10_000,
    "all five nodes seeing five voters",
  );
  const lead5 = await c.waitForLeader(10_000, all);
  const ls5 = (await c.status(lead5))!;
  await waitFor(
    async () => {
      const st = await c.statuses([4, 5]);
      return [4, 5].every((id) => (st.get(id)?.appliedIndex ?? 0) >= ls5.commitIndex);
    },
    10_000,
    "nodes 4 and 5 applying the log",
  );
  t.true(
    c.logsOf(4, /installed a snapshot from the leader/).length > 0,
    "node 4 started from the leader's snapshot",
  );

  // ---- shrink: remove a follower, then the leader of the moment ----
  phase = "shrink";
  const leader = await c.waitForLeader(10_000, all);
  const follower = [...all].reverse().find((id) => id !== leader)!;
  const remaining = all.filter((id) => id !== leader && id !== follower);
  pool = [...remaining];
  t.log(`removing follower ${follower}, then leader ${leader}; remaining ${remaining.join(",")}`);
  const rmFollower = await ctlRetry(
    t,
    [...endpointsOf(remaining), "member", "remove", String(follower)],
    [0, 3],
  );
  t.is(rmFollower.code, 0, `member remove ${follower}: ${rmFollower.err}`);
  const rmLeader = await ctlRetry(t, [...endpointsOf(remaining), "member", "remove", String(leader)], [0, 3]);
  t.log(`member remove ${leader} (the leader): exit ${rmLeader.code} ${rmLeader.err.trim()}`);
  t.is(rmLeader.code, 0, `member remove of the leader: ${rmLeader.err}`);

  const newLeader = await c.waitForLeader(15_000, remaining);
  t.true(remaining.includes(newLeader), "one of the remaining nodes leads");
  await waitFor(
    async () =>
      [...(await c.statuses(remaining)).values()].every(
        (s) =>
          JSON.stringify([...(s?.voters ?? [])].sort((a, b) => a - b)) === JSON.stringify(remaining) &&
          s?.learners.length === 0,
      ),
    10_000,
    "the remaining nodes seeing exactly themselves as voters",
  );
  await waitFor(
    () => c.logsOf(leader, /this node was removed from the cluster/).length > 0,
    5000,
    "the old leader noting its removal",
  );
  const oldLeaderStatus = await c.status(leader);
  t.not(oldLeaderStatus?.role, "leader", "the removed leader stepped down");
  let listed: number[] = [];
  await waitFor(
    async () => {
      const r = await c.api
        .call<{ members: Array<{ id: number }> }>(c.endpoint(newLeader), "Cluster", "MemberList", {})
        .catch(() => undefined);
      listed = (r?.members ?? []).map((m) => m.id).sort((a, b) => a - b);
      return r !== undefined;
    },
    10_000,
    "a linearizable member list",
  );
  t.deepEqual(listed, remaining, "the member directory lists the remaining nodes");

  // ---- the removed nodes stay up but must not disturb: stable term while writes commit ----
  phase = "after";
  t.true(
    c.runningIds().includes(leader) && c.runningIds().includes(follower),
    "the removed nodes keep running",
  );
  // Writes forwarded to the leader just before it removed itself wait out their deadline (2 s):
  // start the 2 s window once writes flow again.
  const okAtShrink = stats.get("after")?.ok ?? 0;
  await waitFor(
    () => (stats.get("after")?.ok ?? 0) > okAtShrink,
    10_000,
    "writes committing after the shrink",
  );
  // The removed nodes are not voters in their own configuration: they never campaign, so their
  // term stays put. The remaining three keep one leader and term over a 2 s window while they
  // commit; on a starved machine an election of their own may intrude, so up to 3 windows.
  const removedTerms = await c.statuses([leader, follower]);
  let stableWindow = false;
  for (let window = 0; window < 3 && !stableWindow; window++) {
    const before = await c.statuses(remaining);
    const okBefore = stats.get("after")?.ok ?? 0;
    await sleep(2000);
    const after = await c.statuses(remaining);
    const view = (m: typeof after) =>
      remaining.map((id) => `${m.get(id)?.leader}@${m.get(id)?.term}`).join(" ");
    stableWindow =
      view(before) === view(after) &&
      new Set(view(after).split(" ")).size === 1 &&
      (stats.get("after")?.ok ?? 0) > okBefore;
    if (!stableWindow)
      t.log(`window ${window + 1}: ${view(before)} -> ${view(after)}; trying another window`);
  }
  t.true(stableWindow, "the remaining three commit under one leader and term while the removed nodes run");
  for (const id of [leader, follower]) {
    const s = await c.status(id);
    t.log(
      `removed node ${id}: role ${s?.role} term ${s?.term} leader ${s?.leader} voters ${s?.voters.join(",")}`,
    );
    t.not(s?.role, "leader", `removed node ${id} does not lead`);
    t.false(s?.voters.includes(id), `removed node ${id} knows it is no voter`);
    t.is(s?.term, removedTerms.get(id)?.term, `removed node ${id} never campaigns (term unchanged)`);
  }

  stop = true;
  await load;
  const gaps = ackTimes.slice(1).map((at, i) => at - ackTimes[i]!);
  const longestGap = Math.max(0, ...gaps);
  for (const [name, s] of stats) t.log(`writes during ${name}: ${s.ok} ok, ${s.failed} failed`);
  for (const [e, n] of errors) t.log(`  ${n} × ${e}`);
  t.log(`longest time without an acknowledged write: ${longestGap.toFixed(0)} ms`);
  // (The shrink itself lasts well under a second, during which writes may all wait on the
  // removed leader; the bound on the longest gap covers it.)
  for (const name of ["grow", "after"])
    t.true((stats.get(name)?.ok ?? 0) > 0, `writes succeed during ${name}`);
  t.true(longestGap < 5000, "writes are unavailable for less than 5 s at a time");

  // Every acknowledged write is readable from the remaining cluster.
  const missing: string[] = [];
  await mapLimit([...acked], 16, async ([key, value]) => {
    const r = await c.getRetry(key, remaining);
    if (r.value !== value) missing.push(key);
  });
  t.deepEqual(missing, [], `all ${acked.size} acknowledged writes are readable`);
});

// PRODUCT BUG (reported to the lead): a joining node (--join true) can reply only to the members
// its --initial-cluster lists until the leader's snapshot brings the member directory; the leader
// sends that snapshot only after the joiner answers its probe, and the joiner's answer to a leader
// it was not told about is dropped (internal/transport: "dropped messages to an unknown peer";
// the joiner logs "inbound stream from a node not in the peer list"). So a node joining through
// members that do not include the current leader never catches up. LocalCluster.planJoiner lists
// the initial members only, so this bites as soon as a later-joined node leads. Here node 1 is the
// only voter (always the leader) and node 3 is told only about node 2, a learner.
// Remove `.failing` once a joiner catches up through any reachable member.
test("a joining node that was told only about a non-leader member still catches up", async (t) => {
  const c = await ItCluster.create(t, { nodes: 1, spares: 2, dumpLogsOnFailure: false });
  c.startAll();
  await c.waitForLeader(30_000);
  c.start(2);
  await waitFor(async () => (await c.status(2)) !== undefined, 20_000, "node 2 answering Status");
  const p2 = c.plan(2);
  const add2 = await ctl([
    ...["--endpoints", c.endpoint(1), "member", "add", "2", "--peer", p2.peer, "--client", p2.client],
    ...["--no-promote"],
  ]);
  t.is(add2.code, 0, add2.err);
  await waitFor(
    async () => ((await c.status(2))?.appliedIndex ?? 0) > 1,
    15_000,
    "node 2 (learner) catching up",
  );

  c.setJoinTargets(3, [2]);
  c.start(3);
  await waitFor(async () => (await c.status(3)) !== undefined, 20_000, "node 3 answering Status");
  const p3 = c.plan(3);
  const add3 = await ctl([
    ...["--endpoints", c.endpoint(1), "member", "add", "3", "--peer", p3.peer, "--client", p3.client],
    ...["--no-promote"],
  ]);
  t.is(add3.code, 0, add3.err);
  const caughtUp = await waitFor(
    async () => ((await c.status(3))?.appliedIndex ?? 0) > 1,
    8000,
    "node 3 catching up",
  ).then(
    () => true,
    () => false,
  );
  t.log(`node 3 after 8 s: ${JSON.stringify(await c.status(3))}`);
  t.true(caughtUp, "node 3 caught up from the leader it was not told about");
});
