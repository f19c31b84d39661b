// The node run loop over an in-process network: elections, proposals resolved on apply, read
// barriers, membership through the log, snapshots, transfers, and bad input refused.

import test from "ava";
import { bootstrapStorage, silentLogger } from "../raft/index.ts";
import { ReplicatedState } from "../state/index.ts";
import { NodeError, NodeErrorCode } from "./errors.ts";
import { RaftNode } from "./raft-node.ts";
import { InProcessNetwork, MemoryNodeStorage } from "./testing.ts";

const TICK_MS = 5;

function startNode(net: InProcessNetwork, id: number, storage: MemoryNodeStorage): RaftNode {
  const node = new RaftNode({
    id,
    storage,
    tickMs: TICK_MS,
    raft: { electionTicks: 10, heartbeatTicks: 1 },
    snapshotEveryEntries: 50,
    snapshotKeepEntries: 5,
    logger: silentLogger,
  });
  net.nodes.set(id, node);
  node.start(net.transportFor(id));
  return node;
}

function cluster(n: number): { net: InProcessNetwork; nodes: RaftNode[] } {
  const net = new InProcessNetwork();
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const nodes = ids.map((id) => {
    const storage = new MemoryNodeStorage();
    bootstrapStorage(storage.mem, ids);
    return startNode(net, id, storage);
  });
  return { net, nodes };
}

async function waitFor<T>(what: string, f: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const leaderOf = (nodes: RaftNode[]) => () => nodes.find((n) => n.isLeader());

test("a 3-node cluster elects a leader, applies a put on every node and answers the proposer", async (t) => {
  const { nodes } = cluster(3);
  t.teardown(() => Promise.all(nodes.map((n) => n.close())));
  const leader = await waitFor("leader", leaderOf(nodes));
  const r = await leader.propose({ op: "put", key: "a", value: "1" }, 2000);
  t.true(r.revision >= 1);
  await waitFor(
    "applied everywhere",
    () => nodes.every((n) => n.state.kv.get("a")?.value === "1") || undefined,
  );
  const hashes = new Set(nodes.map((n) => n.state.hash()));
  await waitFor("same state hash", () => new Set(nodes.map((n) => n.state.hash())).size === 1 || undefined);
  t.true(hashes.size >= 1);
});

test("a follower forwards a proposal to the leader over Raft and answers once it applied it; bad commands are refused", async (t) => {
  const { nodes } = cluster(3);
  t.teardown(() => Promise.all(nodes.map((n) => n.close())));
  const leader = await waitFor("leader", leaderOf(nodes));
  const follower = nodes.find((n) => n !== leader)!;
  await waitFor("follower knows leader", () => follower.leaderId() === leader.id || undefined);
  const r = await follower.propose({ op: "put", key: "a", value: "1" }, 2000);
  t.true(r.revision > 0);
  t.is(follower.state.kv.get("a")?.value, "1", "applied on the follower when it answers");
  const bad = t.throws(() => leader.propose({ op: "put", key: "", value: "1" }, 1000), {
    instanceOf: NodeError,
  });
  t.is(bad?.code, NodeErrorCode.InvalidArgument);
  t.regex(bad?.message ?? "", /key/);
});

test("with no leader known, a proposal is refused at once with NotLeader", (t) => {
  const net = new InProcessNetwork();
  const storage = new MemoryNodeStorage();
  bootstrapStorage(storage.mem, [1, 2, 3]);
  const lonely = startNode(net, 1, storage);
  t.teardown(() => lonely.close());
  const err = t.throws(() => lonely.propose({ op: "put", key: "a", value: "1" }, 1000), {
    instanceOf: NodeError,
  });
  t.is(err?.code, NodeErrorCode.NotLeader);
});

test("a read barrier on a follower waits until the follower applied every acknowledged write", async (t) => {
  const { nodes } = cluster(3);
  t.teardown(() => Promise.all(nodes.map((n) => n.close())));
  const leader = await waitFor("leader", leaderOf(nodes));
  const follower = nodes.find((n) => n !== leader)!;
  await waitFor("follower knows leader", () => follower.leaderId() === leader.id || undefined);
  for (let i = 0; i < 20; i++) await leader.propose({ op: "put", key: "k", value: String(i) }, 2000);
  await follower.readBarrier(2000);
  t.is(follower.state.kv.get("k")?.value, "19");
});

test("snapshots are taken every N entries and a node cut off meanwhile catches up through one", async (t) => {
  const { net, nodes } = cluster(3);
  t.teardown(() => Promise.all(nodes.map((n) => n.close())));
  const leader = await waitFor("leader", leaderOf(nodes));
  const lagging = nodes.find((n) => n !== leader)!;
  net.down.add(lagging.id);
  for (let i = 0; i < 120; i++) await leader.propose({ op: "put", key: `k${i % 7}`, value: String(i) }, 2000);
  t.true(leader.status().snapshotIndex > 50, "the leader took a snapshot");
  net.down.delete(lagging.id);
  await waitFor(
    "lagging node catches up",
    () => lagging.state.appliedIndex >= leader.state.appliedIndex || undefined,
  );
  await waitFor("same hash", () => lagging.state.hash() === leader.state.hash() || undefined);
  t.is(lagging.state.kv.get("k0")?.value, leader.state.kv.get("k0")?.value);
});

test("membership: a learner joins from an empty log, is promoted, and a member is removed", async (t) => {
  const { net, nodes } = cluster(3);
  t.teardown(() => Promise.all([...net.nodes.values()].map((n) => n.close())));
  const leader = await waitFor("leader", leaderOf(nodes));
  await leader.propose({ op: "put", key: "x", value: "1" }, 2000);
  const fresh = startNode(net, 4, new MemoryNodeStorage());
  await leader.addLearner({ id: 4, peerAddress: "127.0.0.1:7004", clientAddress: "127.0.0.1:8004" }, 2000);
  await waitFor("learner caught up", () => fresh.state.kv.get("x")?.value === "1" || undefined);
  t.deepEqual(leader.status().confState.learners, [4]);
  await leader.promoteMember(4, 2000);
  t.deepEqual(leader.status().confState.voters, [1, 2, 3, 4]);
  await waitFor(
    "promotion applied on the new node",
    () => fresh.state.members.get(4)?.learner === false || undefined,
  );
  const victim = nodes.find((n) => n !== leader)!;
  await leader.removeMember(victim.id, 2000);
  t.false(leader.status().confState.voters.includes(victim.id));
  await leader.propose({ op: "put", key: "y", value: "2" }, 2000);
  await waitFor("new member applies", () => fresh.state.kv.get("y")?.value === "2" || undefined);
});

test("leadership transfer moves the leader and writes continue on the new one", async (t) => {
  const { nodes } = cluster(3);
  t.teardown(() => Promise.all(nodes.map((n) => n.close())));
  const leader = await waitFor("leader", leaderOf(nodes));
  const target = nodes.find((n) => n !== leader)!;
  await waitFor("caught up", () => target.state.appliedIndex >= leader.state.appliedIndex || undefined);
  await leader.transferLeadership(target.id, 3000);
  await waitFor("target leads", () => target.isLeader() || undefined);
  const r = await target.propose({ op: "put", key: "after", value: "transfer" }, 2000);
  t.true(r.revision > 0);
});

test("the state snapshot round-trips and hashes equal for equal state", (t) => {
  const a = new ReplicatedState();
  a.apply(2, 1000, { op: "put", key: "b", value: "2" });
  a.apply(3, 999, { op: "put", key: "a", value: "1" });
  const b = new ReplicatedState();
  b.restore(a.snapshot());
  t.is(b.hash(), a.hash());
  t.is(b.entryTimeMs, 1000, "entry time never moves backwards");
});

test("snapshots on durable storage: the deferred commit index is written before the snapshot", async (t) => {
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { DurableStorage } = await import("../storage/index.ts");
  const dir = mkdtempSync(join(tmpdir(), "raftvs-node-snap-"));
  const storage = await DurableStorage.open({ dir, clusterId: "t", nodeId: 1, initialVoters: [1] });
  const node = new RaftNode({
    id: 1,
    storage,
    tickMs: TICK_MS,
    raft: { electionTicks: 10, heartbeatTicks: 1, startupQuietTicks: 0 },
    snapshotEveryEntries: 20,
    snapshotKeepEntries: 5,
    logger: silentLogger,
  });
  node.start({ send: () => {}, setPeer: () => {}, removePeer: () => {} });
  t.teardown(async () => {
    await node.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await waitFor("leader", () => node.isLeader() || undefined);
  for (let i = 0; i < 60; i++) await node.propose({ op: "put", key: `k${i}`, value: "v" }, 2000);
  t.true(node.status().snapshotIndex >= 40, "snapshots were taken without a fatal error");
  t.is(node.state.kv.size, 60);
});

test("a proposal whose log entry would not fit in one peer message is refused with a hint to split it", async (t) => {
  const storage = new MemoryNodeStorage();
  bootstrapStorage(storage.mem, [1]);
  const node = new RaftNode({
    id: 1,
    storage,
    tickMs: TICK_MS,
    raft: { electionTicks: 10, heartbeatTicks: 1, startupQuietTicks: 0 },
    snapshotEveryEntries: 1000,
    snapshotKeepEntries: 5,
    maxEntryBytes: 4096,
    logger: silentLogger,
  });
  node.start({ send: () => {}, setPeer: () => {}, removePeer: () => {} });
  t.teardown(() => node.close());
  await waitFor("leader", () => node.isLeader() || undefined);
  const err = t.throws(() => node.propose({ op: "put", key: "k", value: "x".repeat(5000) }, 1000), {
    instanceOf: NodeError,
  });
  t.is(err?.code, NodeErrorCode.InvalidArgument);
  t.regex(err?.message ?? "", /split it/);
  t.is(node.state.kv.size, 0);
});
