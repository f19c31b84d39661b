// Tests for one simulated node inside a calm cluster: the Ready loop, crash and restart from the
// persisted state, pause and resume with the missed ticks first, and joining through a snapshot.

import test from "ava";
import { MemoryStorage } from "../storage.ts";
import { ConfChangeType, StateType } from "../types.ts";
import type { Cluster } from "./cluster.ts";
import type { Host } from "./host.ts";
import { CALM_NETWORK } from "./network.ts";
import { buildWorld } from "./world.ts";

/** A 3-node cluster with no faults and no clients; returns it once a leader is stable. */
function calmCluster(seed: number): Cluster {
  const { cluster } = buildWorld(seed, { nodes: 3 });
  cluster.network.faults = CALM_NETWORK;
  cluster.clients.issuing = false;
  runUntil(cluster, 100, () => leaderOf(cluster) !== undefined);
  return cluster;
}

function leaderOf(c: Cluster): Host | undefined {
  const l = c.leader();
  if (l === undefined) return undefined;
  for (const h of c.hosts.values()) if (h.status === "up" && h.lead !== l.id) return undefined;
  return l;
}

function runUntil(c: Cluster, maxTicks: number, done: () => boolean): boolean {
  for (let i = 0; i < maxTicks; i++) {
    if (done()) return true;
    c.runTick();
  }
  return done();
}

let seq = 0;
function write(c: Cluster, leader: Host, n: number): void {
  for (let i = 0; i < n; i++) {
    seq++;
    const r = leader.submit({ kind: "put", clientId: 1, seq, key: `k${i % 3}`, value: `v${seq}` });
    if (r.kind !== "accepted") throw new Error("write refused");
    c.runTick();
  }
}

function allApplied(c: Cluster, index: number): boolean {
  for (const h of c.hosts.values()) if (h.status !== "stopped" && h.applied < index) return false;
  return true;
}

test("a calm cluster elects one leader and applies writes on every node", (t) => {
  const c = calmCluster(1);
  const leader = leaderOf(c)!;
  write(c, leader, 10);
  t.true(runUntil(c, 50, () => allApplied(c, leader.applied)));
  const digests = new Set([...c.hosts.values()].map((h) => h.kvDigest));
  t.is(digests.size, 1);
  t.deepEqual(c.checker.violations, []);
});

test("a crash loses what was not persisted; a restart recovers the rest and catches up", (t) => {
  const c = calmCluster(2);
  const leader = leaderOf(c)!;
  write(c, leader, 5);
  runUntil(c, 20, () => allApplied(c, leader.applied));
  const before = leader.storage.lastIndex();
  t.is(leader.submit({ kind: "put", clientId: 1, seq: 999, key: "k", value: "lost" }).kind, "accepted");
  leader.crash(); // before its next Ready: the proposal was never persisted nor sent
  t.is(leader.storage.lastIndex(), before);
  t.is(leader.status, "crashed");
  t.true(runUntil(c, 100, () => leaderOf(c) !== undefined));
  const next = leaderOf(c)!;
  write(c, next, 3);
  leader.start();
  t.true(runUntil(c, 100, () => allApplied(c, next.applied) && leader.kvDigest === next.kvDigest));
  t.false(leader.kvDigest.includes("lost"));
  t.deepEqual(c.checker.violations, []);
});

test("a paused node gets the ticks it missed before its queued messages", (t) => {
  const c = calmCluster(3);
  const leader = leaderOf(c)!;
  const oldTerm = leader.term;
  leader.pause();
  for (let i = 0; i < 35; i++) c.runTick();
  t.is(leader.missedTicks, 35);
  t.is(leader.status, "paused");
  t.true(runUntil(c, 60, () => [...c.hosts.values()].some((h) => h.isLeader && h.id !== leader.id)));
  leader.resume();
  t.is(leader.missedTicks, 0);
  t.is(leader.status, "up");
  t.true(runUntil(c, 50, () => leaderOf(c) !== undefined && leader.lead !== leader.id));
  t.true(leaderOf(c)!.term > oldTerm);
  t.deepEqual(c.checker.violations, []);
});

test("a learner with empty storage joins through a snapshot, is promoted, then removed and stopped", (t) => {
  const c = calmCluster(4);
  const leader = leaderOf(c)!;
  write(c, leader, 60); // more than snapshotEvery: the log is compacted
  t.true(runUntil(c, 50, () => allApplied(c, leader.applied)));
  t.true(leader.storage.firstIndex() > 2, "the leader compacted its log");
  const joiner = c.addHost(9, new MemoryStorage(), 12345);
  c.joining.add(9);
  t.true(
    leader.proposeConfChange({ type: ConfChangeType.AddLearner, nodeId: 9, context: new Uint8Array(0) }),
  );
  t.true(runUntil(c, 100, () => joiner.applied === leader.applied && joiner.confState.learners.includes(9)));
  t.true(c.stats.snapshotsInstalled >= 1);
  t.is(joiner.kvDigest, leader.kvDigest);
  t.false(c.joining.has(9));
  t.true(leader.proposeConfChange({ type: ConfChangeType.AddNode, nodeId: 9, context: new Uint8Array(0) }));
  t.true(runUntil(c, 100, () => c.committedConf.cs.voters.includes(9)));
  t.true(
    leader.proposeConfChange({ type: ConfChangeType.RemoveNode, nodeId: 9, context: new Uint8Array(0) }),
  );
  t.true(runUntil(c, 100, () => joiner.status === "stopped"));
  t.false(c.members().includes(9));
  t.deepEqual(c.checker.violations, []);
});

test("client requests to a follower are redirected to the leader", (t) => {
  const c = calmCluster(5);
  const leader = leaderOf(c)!;
  const follower = [...c.hosts.values()].find((h) => h.id !== leader.id)!;
  t.deepEqual(follower.submit({ kind: "get", clientId: 1, seq: 1, key: "k" }), {
    kind: "rejected",
    leaderHint: leader.id,
  });
  t.is(follower.rawNode?.status().softState.state, StateType.Follower);
});
