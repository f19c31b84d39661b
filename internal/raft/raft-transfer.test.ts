// Leadership transfer (thesis §3.10): catching the transferee up, TimeoutNow, the forced election
// through leases, refusing proposals meanwhile, refusing non-voters, and the transfer timeout.

import test from "ava";
import { RaftError, RaftErrorCode } from "./errors.ts";
import type { MemoryCluster } from "./memory-cluster.ts";
import {
  appliedData,
  dec,
  enc,
  newCluster,
  proposeAndSettle,
  Tap,
  tickNodes,
  tickUntil,
} from "./test-helpers.ts";
import { ConfChangeType, MessageType, NONE, StateType } from "./types.ts";

const dropped = { instanceOf: RaftError, code: RaftErrorCode.ProposalDropped };

function electedCluster(): MemoryCluster {
  const c = newCluster(3);
  c.elect(1);
  proposeAndSettle(c, 1, "a");
  return c;
}

test("§3.10: transfer to an up-to-date follower: TimeoutNow at once, it wins the next term", (t) => {
  const c = electedCluster();
  const term = c.node(1).rn.raft.term;
  const tap = new Tap(c);
  c.node(1).rn.transferLeadership(2);
  c.stabilize();
  t.is(c.leader()?.id, 2);
  t.is(c.node(2).rn.raft.term, term + 1);
  for (const n of c.nodes.values()) t.is(n.rn.raft.lead, 2);
  t.is(
    tap.count((m) => m.type === MessageType.TimeoutNow && m.to === 2),
    1,
  );
  // The transferee campaigns for real at once (no pre-vote) and its request overrides leases:
  // node 3 heard from node 1 moments ago and still votes.
  const votes = tap.delivered.filter((m) => m.type === MessageType.Vote);
  t.true(votes.length > 0);
  t.is(
    tap.count((m) => m.type === MessageType.PreVote),
    0,
  );
  for (const v of votes) t.is(dec(v.context ?? new Uint8Array()), "transfer");
  proposeAndSettle(c, 2, "b");
  t.deepEqual(appliedData(c.node(3)), ["a", "b"]);
});

test("§3.10: transfer to a lagging follower first catches it up, then sends TimeoutNow", (t) => {
  const c = electedCluster();
  c.cut.add("1->2");
  for (const v of ["b", "c", "d"]) proposeAndSettle(c, 1, v);
  c.heal();
  const lastIndex = c.node(1).rn.raft.raftLog.lastIndex();
  t.true(c.node(2).rn.raft.raftLog.lastIndex() < lastIndex);
  const tap = new Tap(c);
  let transfereeLastAtTimeoutNow = -1;
  tap.drop = (m) => {
    if (m.type === MessageType.TimeoutNow) transfereeLastAtTimeoutNow = c.node(2).rn.raft.raftLog.lastIndex();
    return false;
  };
  c.node(1).rn.transferLeadership(2);
  t.is(c.node(1).rn.raft.leadTransferee, 2);
  c.stabilize();
  t.is(transfereeLastAtTimeoutNow, lastIndex, "TimeoutNow only once the transferee held the whole log");
  t.is(c.leader()?.id, 2);
  t.deepEqual(appliedData(c.node(2)), ["a", "b", "c", "d"]);
});

test("§3.10: proposals are dropped while a transfer is in progress", (t) => {
  const c = electedCluster();
  c.cut.add("1->2"); // the TimeoutNow is lost: the transfer stays pending
  c.node(1).rn.transferLeadership(2);
  c.stabilize();
  t.is(c.node(1).rn.raft.leadTransferee, 2);
  t.throws(() => c.node(1).rn.propose(enc("during")), dropped);
  t.is(c.node(1).rn.status().leadTransferee, 2);
});

test("§3.10: a transfer that does not finish within an election timeout makes the leader step down", (t) => {
  const c = electedCluster();
  const term = c.node(1).rn.raft.term;
  c.cut.add("1->2");
  c.node(1).rn.transferLeadership(2);
  c.stabilize();
  const ticks = tickUntil(c, () => c.node(1).rn.raft.state !== StateType.Leader, 20, [1]);
  t.true(ticks <= 10, `stepped down after ${ticks} ticks`);
  t.is(c.node(1).rn.raft.term, term, "stepping down does not start a term by itself");
  t.is(c.node(1).rn.raft.leadTransferee, NONE);
  c.heal();
  tickUntil(c, () => c.leader() !== undefined, 100);
  proposeAndSettle(c, c.leader()!.id, "after");
  t.deepEqual(appliedData(c.node(3)), ["a", "after"]);
});

test("a transfer requested on a follower is forwarded to the leader", (t) => {
  const c = electedCluster();
  c.node(3).rn.transferLeadership(3);
  c.stabilize();
  t.is(c.leader()?.id, 3);
});

test("a transfer to a learner or to an unknown node is refused; the leader keeps leading", (t) => {
  const c = electedCluster();
  const learner = c.addEmptyNode(4);
  c.node(1).rn.proposeConfChange({ type: ConfChangeType.AddLearner, nodeId: 4, context: new Uint8Array() });
  c.stabilize();
  tickNodes(c, [1, 2, 3, 4], 3);
  t.true(learner.rn.raft.isLearner);
  for (const target of [4, 9]) {
    c.node(1).rn.transferLeadership(target);
    c.stabilize();
    t.is(c.node(1).rn.raft.leadTransferee, NONE, `transfer to ${target}`);
    t.is(c.leader()?.id, 1);
  }
  proposeAndSettle(c, 1, "still-leading");
  t.deepEqual(appliedData(c.node(2)), ["a", "still-leading"]);
});

test("a transfer to the leader itself is a no-op", (t) => {
  const c = electedCluster();
  c.node(1).rn.transferLeadership(1);
  c.stabilize();
  t.is(c.node(1).rn.raft.leadTransferee, NONE);
  t.is(c.leader()?.id, 1);
  proposeAndSettle(c, 1, "b");
  t.deepEqual(appliedData(c.node(2)), ["a", "b"]);
});
