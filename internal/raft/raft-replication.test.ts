// Log replication and commitment: §5.3 (replication, log matching, repairing a follower, fast
// backtracking), flow control (pipelining, message size, batching), §5.4.2 (Figure 8) and dropping.

import test from "ava";
import type { RaftConfigInput } from "./config.ts";
import { RaftError, RaftErrorCode } from "./errors.ts";
import type { MemoryCluster } from "./memory-cluster.ts";
import {
  appliedData,
  enc,
  leaderAmong,
  newCluster,
  proposeAndSettle,
  Tap,
  tickNodes,
  tickUntil,
} from "./test-helpers.ts";
import { type Message, MessageType, StateType } from "./types.ts";

const dropped = { instanceOf: RaftError, code: RaftErrorCode.ProposalDropped };

/** Every node's log as [index, term] pairs from firstIndex. */
function logOf(c: MemoryCluster, id: number): number[][] {
  const log = c.node(id).rn.raft.raftLog;
  return (log.slice(log.firstIndex(), log.lastIndex() + 1, Number.MAX_SAFE_INTEGER) ?? []).map((e) => [
    e.index,
    e.term,
  ]);
}

const isApp = (from: number, to: number) => (m: Message) =>
  m.type === MessageType.App && m.from === from && m.to === to;

test("§5.3: entries proposed on the leader are committed, applied in order on every node", (t) => {
  const c = newCluster(3);
  c.elect(1);
  for (const v of ["a", "b", "c"]) proposeAndSettle(c, 1, v);
  for (const n of c.nodes.values()) {
    t.deepEqual(appliedData(n), ["a", "b", "c"], `node ${n.id}`);
    t.is(n.rn.raft.raftLog.committed, 5);
  }
});

test("a proposal made on a follower is forwarded to the leader and committed", (t) => {
  const c = newCluster(3);
  c.elect(1);
  proposeAndSettle(c, 2, "via-follower");
  for (const n of c.nodes.values()) t.deepEqual(appliedData(n), ["via-follower"]);
});

test("with disableProposalForwarding a follower refuses proposals with RAFT_PROPOSAL_DROPPED", (t) => {
  const c = newCluster(3, { disableProposalForwarding: true });
  c.elect(1);
  t.throws(() => c.node(2).rn.propose(enc("x")), dropped);
});

test("proposals are dropped with RAFT_PROPOSAL_DROPPED when no leader is known, or during an election", (t) => {
  const c = newCluster(3, { preVote: false });
  t.throws(() => c.node(1).rn.propose(enc("x")), dropped);
  c.node(1).rn.campaign();
  t.is(c.node(1).rn.raft.state, StateType.Candidate);
  t.throws(() => c.node(1).rn.propose(enc("x")), dropped);
  c.stabilize();
  proposeAndSettle(c, 1, "ok");
  t.deepEqual(appliedData(c.node(3)), ["ok"]);
});

test("§5.3: a follower's conflicting uncommitted entries are replaced by the leader's", (t) => {
  const c = newCluster(3);
  c.elect(1);
  c.isolate(1);
  for (const v of ["lost1", "lost2", "lost3"]) proposeAndSettle(c, 1, v);
  tickUntil(c, () => leaderAmong(c, [2, 3]) !== undefined, 100, [2, 3]);
  const leader = leaderAmong(c, [2, 3])!;
  for (const v of ["kept1", "kept2"]) proposeAndSettle(c, leader.id, v);
  c.heal();
  tickUntil(c, () => appliedData(c.node(1)).length === 2, 50);
  t.deepEqual(appliedData(c.node(1)), ["kept1", "kept2"]);
  t.deepEqual(logOf(c, 1), logOf(c, leader.id), "log matching: identical logs");
  t.is(c.node(1).rn.raft.state, StateType.Follower);
});

test("fast backtracking: repairing a follower that diverged over 100 entries of an old term takes O(terms) appends", (t) => {
  const c = newCluster(3);
  c.elect(1);
  c.isolate(1);
  // Node 1 (stale leader of term 2) appends 100 entries no one else sees.
  c.node(1).rn.proposeBatch(Array.from({ length: 100 }, (_, i) => enc(`old${i}`)));
  c.stabilize();
  // Nodes 2 and 3 move on: a leader of term 3 commits 50 entries, then hands over to the other.
  tickUntil(c, () => leaderAmong(c, [2, 3]) !== undefined, 100, [2, 3]);
  const first = leaderAmong(c, [2, 3])!;
  first.rn.proposeBatch(Array.from({ length: 50 }, (_, i) => enc(`new${i}`)));
  c.stabilize();
  const other = first.id === 2 ? 3 : 2;
  first.rn.transferLeadership(other);
  c.stabilize();
  t.is(leaderAmong(c, [2, 3])?.id, other);
  const tap = new Tap(c);
  c.heal();
  tickUntil(c, () => appliedData(c.node(1)).length === 50, 50);
  t.deepEqual(logOf(c, 1), logOf(c, other));
  const apps = tap.count(isApp(other, 1));
  const rejections = tap.count((m) => m.type === MessageType.AppResp && m.from === 1 && m.reject);
  t.log(`appends: ${apps}, rejections: ${rejections}`);
  t.true(rejections <= 2, `rejections: ${rejections}`);
  t.true(apps <= 4, `appends sent to repair the follower: ${apps} (one per entry would be ~100)`);
});

test("pipelining: at most maxInflightMsgs appends are in flight to a follower whose acks are slow", (t) => {
  const c = newCluster(3, { maxInflightMsgs: 3 });
  c.elect(1);
  const tap = new Tap(c);
  const held: Message[] = [];
  tap.drop = (m) => {
    if (m.type === MessageType.AppResp && m.from === 2) {
      held.push(m);
      return true;
    }
    return false;
  };
  for (let i = 0; i < 10; i++) proposeAndSettle(c, 1, `p${i}`);
  t.is(
    tap.count((m) => isApp(1, 2)(m) && m.entries.length > 0),
    3,
    "the window of 3 filled, then the leader waited",
  );
  t.is(
    tap.count((m) => isApp(1, 3)(m) && m.entries.length > 0),
    10,
    "the prompt follower got one per proposal",
  );
  t.is(c.node(1).rn.status().progress?.get(2)?.inflight, 3);
  t.is(c.node(2).rn.raft.raftLog.lastIndex(), 5);
  // The acks arrive late: the window opens and the follower catches up.
  tap.drop = () => false;
  for (const m of held) c.node(1).rn.step(m);
  c.stabilize();
  t.is(c.node(2).rn.raft.raftLog.lastIndex(), 12);
  tickNodes(c, [1, 2, 3], 1);
  t.is(appliedData(c.node(2)).length, 10);
});

// Regression (a bug fixed in raft.ts, HeartbeatResp handling + progress.ts isPaused): in the replicate state a follower
// is paused exactly while its Inflights window is full, and only an AppResp frees the window. When
// every append in the window is lost (a lossy link, no Unreachable report), nothing ever frees it:
// heartbeat responses call #sendAppends, which sees isPaused() and sends nothing, so the follower
// stays behind for the rest of the term. etcd-io/raft lets a heartbeat response unpause the flow
// and send one (possibly empty) append, whose rejection drops the peer back to probe.
// Reproduction: cluster of 3 with maxInflightMsgs 2; elect 1; cut 1->2; propose 3 entries (one per
// Ready); heal; tick 30 times: node 2's lastIndex stays at 2 while the leader's is 5.
test("a follower whose whole in-flight window of appends was lost catches up once the link heals", (t) => {
  const c = newCluster(3, { maxInflightMsgs: 2 });
  c.elect(1);
  c.cut.add("1->2");
  for (let i = 0; i < 3; i++) proposeAndSettle(c, 1, `p${i}`);
  c.heal();
  tickNodes(c, [1, 2, 3], 30);
  t.is(c.node(2).rn.raft.raftLog.lastIndex(), c.node(1).rn.raft.raftLog.lastIndex());
});

test("a follower whose in-flight appends were lost catches up after the transport reports it unreachable", (t) => {
  const c = newCluster(3, { maxInflightMsgs: 2 });
  c.elect(1);
  c.cut.add("1->2");
  for (let i = 0; i < 3; i++) proposeAndSettle(c, 1, `p${i}`);
  c.heal();
  c.node(1).rn.reportUnreachable(2);
  tickNodes(c, [1, 2, 3], 3);
  t.is(c.node(2).rn.raft.raftLog.lastIndex(), c.node(1).rn.raft.raftLog.lastIndex());
  t.deepEqual(appliedData(c.node(2)), ["p0", "p1", "p2"]);
});

test("maxSizePerMsgBytes splits a large backlog into several appends", (t) => {
  const c = newCluster(3, { maxSizePerMsgBytes: 100 });
  c.elect(1);
  const tap = new Tap(c);
  // Each entry counts 34 payload + 16 header = 50 bytes: two fit in 100 bytes.
  c.node(1).rn.proposeBatch(Array.from({ length: 10 }, (_, i) => enc(`entry-${i}`.padEnd(34, "."))));
  c.stabilize();
  const apps = tap.delivered.filter((m) => isApp(1, 2)(m) && m.entries.length > 0);
  t.is(apps.length, 5);
  for (const m of apps) t.true(m.entries.length <= 2, `an append carried ${m.entries.length} entries`);
  t.is(appliedData(c.node(2)).length, 10);
});

test("proposal batching: 100 proposals between two Readies go out as one append per follower", (t) => {
  const c = newCluster(3);
  c.elect(1);
  const tap = new Tap(c);
  for (let i = 0; i < 100; i++) c.node(1).rn.propose(enc(`b${i}`));
  c.stabilize();
  for (const to of [2, 3]) {
    const apps = tap.delivered.filter((m) => isApp(1, to)(m) && m.entries.length > 0);
    t.is(apps.length, 1, `appends to ${to}`);
    t.is(apps[0]?.entries.length, 100);
  }
  t.is(appliedData(c.node(3)).length, 100);
});

/**
 * Raft paper Figure 8, states (a) to (c), on five nodes (indexes shifted by one: index 1 is the
 * bootstrap snapshot, index 2 the first leader's empty entry). Returns the cluster in state (c):
 * node 1 leads term 4; index 3 holds "a" of term 2 on nodes 1-4, and node 1's own term-4 entry
 * (index 4) reached no one.
 */
function figure8(options: Partial<RaftConfigInput> = {}): { c: MemoryCluster; tap: Tap } {
  const c = newCluster(5, { checkQuorum: false, preVote: false, ...options });
  c.elect(1);
  // (a) Node 1 leads term 2 and replicates index 3 only to node 2.
  for (const id of [3, 4, 5]) {
    c.cut.add(`1->${id}`);
    c.cut.add(`${id}->1`);
  }
  proposeAndSettle(c, 1, "a");
  // (b) Node 1 crashes; node 5 wins term 3 with the votes of 3 and 4, appends index 3 in term 3, and
  // crashes before replicating it. (Node 5's vote request reaches node 1, which thereby restarts as a
  // follower of term 3; node 5's appends reach no one.)
  c.heal();
  c.isolate(1);
  c.cut.delete("5->1");
  c.cut.delete("1->5");
  const tap = new Tap(c);
  tap.drop = (m) => m.from === 5 && (m.type === MessageType.App || m.type === MessageType.Heartbeat);
  c.node(5).rn.campaign();
  c.stabilize();
  if (c.node(5).rn.raft.state !== StateType.Leader || c.node(5).rn.raft.term !== 3)
    throw new Error("setup (b)");
  // (c) Node 1 restarts and wins term 4; it replicates index 3 (term 2) to the others, but every
  // term-4 entry is stripped from its appends, as if lost. Node 5 stays down except for the vote
  // exchange that shows it term 4 (so it too restarts as a follower).
  c.heal();
  tap.drop = (m) => {
    if ((m.to === 5 && m.type !== MessageType.Vote) || (m.from === 5 && m.type !== MessageType.VoteResp))
      return true;
    if (m.type === MessageType.App && m.from === 1) m.entries = m.entries.filter((e) => e.term !== 4);
    return false;
  };
  for (let i = 0; i < 3 && c.node(1).rn.raft.state !== StateType.Leader; i++) {
    c.node(1).rn.campaign();
    c.stabilize();
  }
  if (c.node(1).rn.raft.state !== StateType.Leader || c.node(1).rn.raft.term !== 4)
    throw new Error("setup (c)");
  return { c, tap };
}

test("§5.4.2 Figure 8: a leader does not commit an entry of an earlier term by counting replicas", (t) => {
  const { c, tap } = figure8();
  const s1 = c.node(1).rn.raft;
  for (const id of [1, 2, 3, 4])
    t.is(c.node(id).rn.raft.raftLog.term(3), 2, `index 3 (term 2) is on node ${id}`);
  t.is(s1.raftLog.committed, 2, "held by 4 of 5 nodes, yet not committed");
  t.deepEqual(appliedData(c.node(1)), []);
  // (d) Why: if node 1 crashes now, node 5 (last entry of term 3) can be elected and overwrite it.
  c.heal();
  c.isolate(1);
  tap.drop = () => false;
  for (let i = 0; i < 3 && c.node(5).rn.raft.state !== StateType.Leader; i++) {
    c.node(5).rn.campaign();
    c.stabilize();
  }
  t.is(c.node(5).rn.raft.state, StateType.Leader);
  for (const id of [2, 3, 4])
    t.is(c.node(id).rn.raft.raftLog.term(3), 3, `node ${id}'s index 3 was overwritten`);
});

test("§5.4.2 Figure 8 (e): once an entry of the leader's term is on a majority, the earlier entry commits with it", (t) => {
  const { c, tap } = figure8();
  tap.drop = () => false;
  tickNodes(c, [1], 3);
  t.is(c.node(1).rn.raft.raftLog.committed, 4);
  t.deepEqual(appliedData(c.node(1)), ["a"]);
});

test("Figure 8 with the commitPreviousTermByCounting fault commits index 3 (the check above catches it)", (t) => {
  const { c } = figure8({ unsafeTestingFaults: { commitPreviousTermByCounting: true } });
  t.is(c.node(1).rn.raft.raftLog.committed, 3);
});

test("maxUncommittedEntriesBytes: the leader drops proposals past the limit until entries are applied", (t) => {
  const c = newCluster(3, { maxUncommittedEntriesBytes: 100 });
  c.elect(1);
  const sixty = "x".repeat(60);
  c.isolate(1);
  c.node(1).rn.propose(enc(sixty));
  t.throws(() => c.node(1).rn.propose(enc(sixty)), dropped);
  c.node(1).rn.propose(enc("x".repeat(40)));
  t.throws(() => c.node(1).rn.propose(enc("y")), dropped, "exactly at the limit: one more byte is too many");
  c.stabilize();
  c.heal();
  tickNodes(c, [1, 2, 3], 2);
  t.is(appliedData(c.node(1)).length, 2);
  c.node(1).rn.propose(enc(sixty));
  c.stabilize();
  t.is(appliedData(c.node(2)).length, 3);
});

test("maxUncommittedEntriesBytes: one proposal larger than the limit is taken when nothing is uncommitted", (t) => {
  const c = newCluster(3, { maxUncommittedEntriesBytes: 10 });
  c.elect(1);
  proposeAndSettle(c, 1, "x".repeat(50));
  t.is(appliedData(c.node(2)).length, 1);
});

test("a leader cut off from everyone cannot commit its new entries", (t) => {
  const c = newCluster(3);
  c.elect(1);
  const committed = c.node(1).rn.raft.raftLog.committed;
  c.isolate(1);
  proposeAndSettle(c, 1, "alone");
  t.is(c.node(1).rn.raft.raftLog.committed, committed);
  t.deepEqual(appliedData(c.node(1)), []);
});
