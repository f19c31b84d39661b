// Leader election: §5.2 (timeouts, one vote per term, at most one leader per term), §5.4.1 (the
// election restriction), §9.6 pre-vote, check-quorum and leases, and the startup quiet period.

import test from "ava";
import { MemoryCluster } from "./memory-cluster.ts";
import { SeededRandom } from "./rand.ts";
import {
  appliedData,
  drainReadies,
  enc,
  leaderAmong,
  msg,
  newCluster,
  newNode,
  proposeAndSettle,
  Tap,
  tickNodes,
  tickUntil,
} from "./test-helpers.ts";
import { MessageType, StateType } from "./types.ts";

const noLeaseNoPreVote = { checkQuorum: false, preVote: false };

for (const size of [3, 5]) {
  test(`§5.2: a ${size}-node cluster elects one leader by election timeout and every node follows it`, (t) => {
    // Default options: the startup quiet period is on, as in production.
    const c = new MemoryCluster(Array.from({ length: size }, (_, i) => i + 1));
    const ticks = tickUntil(c, () => c.leader() !== undefined, 100);
    t.true(ticks >= 10, "nobody campaigns before an election timeout");
    const leader = c.leader()!;
    for (const n of c.nodes.values()) {
      t.is(n.rn.raft.lead, leader.id, `node ${n.id} follows the leader`);
      t.is(n.rn.raft.term, leader.rn.raft.term);
      if (n !== leader) t.is(n.rn.raft.state, StateType.Follower);
    }
  });
}

test("§5.2 election safety: at most one leader per term under 400 ticks of random partitions", (t) => {
  const rnd = new SeededRandom(4242);
  const c = newCluster(5, { electionTicks: 6, startupQuietTicks: 0 });
  const leaders = new Map<number, Set<number>>();
  const record = (): void => {
    for (const n of c.nodes.values()) {
      if (n.rn.raft.state !== StateType.Leader) continue;
      const ids = leaders.get(n.rn.raft.term) ?? new Set<number>();
      ids.add(n.id);
      leaders.set(n.rn.raft.term, ids);
    }
  };
  const tap = new Tap(c);
  tap.afterStep = record;
  let proposed = 0;
  for (let tick = 0; tick < 400; tick++) {
    if (tick % 15 === 0) {
      // A fresh fault every 15 ticks: heal, isolate the leader, isolate anyone, or cut random links.
      c.heal();
      const r = rnd.int(4);
      const l = c.leader();
      if (r === 1 && l) c.isolate(l.id);
      else if (r === 2) c.isolate(1 + rnd.int(5));
      else if (r === 3) {
        for (let k = 0; k < 4; k++) {
          const a = 1 + rnd.int(5);
          const b = 1 + rnd.int(5);
          if (a !== b) c.cut.add(`${a}->${b}`);
        }
      }
    }
    c.tickAll();
    record();
    const l = c.leader();
    if (l && rnd.int(3) === 0) l.rn.propose(enc(`v${proposed++}`));
    c.stabilize();
    record();
  }
  t.log(`terms with a leader: ${leaders.size}, proposals: ${proposed}`);
  t.true(leaders.size >= 5, `several terms had leaders (${leaders.size})`);
  for (const [term, ids] of leaders) t.is(ids.size, 1, `term ${term} had leaders ${[...ids]}`);
  // State machine safety as a bonus: applied sequences are prefixes of one another.
  const seqs = [...c.nodes.values()].map(appliedData);
  const longest = seqs.reduce((a, b) => (a.length >= b.length ? a : b));
  for (const s of seqs) t.deepEqual(s, longest.slice(0, s.length));
});

test("§5.2: a node grants at most one vote per term (a repeated request from the same candidate is granted again)", (t) => {
  const { rn, storage } = newNode(3, [1, 2, 3], noLeaseNoPreVote);
  rn.step(msg(MessageType.Vote, 1, 3, 2, { index: 1, logTerm: 1 }));
  rn.step(msg(MessageType.Vote, 2, 3, 2, { index: 1, logTerm: 1 }));
  rn.step(msg(MessageType.Vote, 1, 3, 2, { index: 1, logTerm: 1 }));
  const resps = drainReadies(rn, storage).filter((m) => m.type === MessageType.VoteResp);
  t.deepEqual(
    resps.map((m) => [m.to, m.reject]),
    [
      [1, false],
      [2, true],
      [1, false],
    ],
  );
  t.deepEqual(storage.hardState(), { term: 2, vote: 1, commit: 1 }, "the vote is persisted with the term");
});

test("§5.2: a candidate that hears from a leader of its term becomes its follower", (t) => {
  const { rn, storage } = newNode(2, [1, 2, 3], noLeaseNoPreVote);
  rn.campaign();
  t.is(rn.raft.state, StateType.Candidate);
  t.is(rn.raft.term, 2);
  drainReadies(rn, storage);
  rn.step(msg(MessageType.App, 1, 2, 2, { index: 1, logTerm: 1 }));
  t.is(rn.raft.state, StateType.Follower);
  t.is(rn.raft.lead, 1);
  t.is(rn.raft.term, 2);
});

test("§5.4.1: a candidate whose log is behind a majority loses, and the voters say why", (t) => {
  const c = newCluster(3, noLeaseNoPreVote);
  c.elect(1);
  c.cut.add("1->3");
  for (const v of ["a", "b", "c"]) proposeAndSettle(c, 1, v);
  t.true(c.node(3).rn.raft.raftLog.lastIndex() < c.node(1).rn.raft.raftLog.lastIndex());
  c.heal();
  const tap = new Tap(c);
  c.node(3).rn.campaign();
  c.stabilize();
  const resps = tap.delivered.filter((m) => m.type === MessageType.VoteResp && m.to === 3);
  t.deepEqual(resps.map((m) => [m.from, m.reject]).sort(), [
    [1, true],
    [2, true],
  ]);
  t.not(c.node(3).rn.raft.state, StateType.Leader);
  tickUntil(c, () => c.leader() !== undefined);
  t.not(c.leader()!.id, 3, "only a node holding every committed entry can win");
  t.deepEqual(appliedData(c.leader()!), ["a", "b", "c"]);
});

test("§9.6 pre-vote: a candidate with a stale log is refused at the pre-vote and no term moves", (t) => {
  const c = newCluster(3, { checkQuorum: false, preVote: true });
  c.elect(1);
  c.cut.add("1->3");
  proposeAndSettle(c, 1, "a");
  c.heal();
  const tap = new Tap(c);
  c.node(3).rn.campaign();
  c.stabilize();
  t.is(
    tap.count((m) => m.type === MessageType.PreVoteResp && m.reject),
    2,
  );
  t.is(
    tap.count((m) => m.type === MessageType.Vote),
    0,
    "no real election started",
  );
  for (const n of c.nodes.values()) t.is(n.rn.raft.term, 2);
  t.is(c.leader()?.id, 1);
});

test("§9.6 pre-vote: a partitioned node rejoining does not disrupt the leader (terms unchanged)", (t) => {
  const c = newCluster(3);
  c.elect(1);
  const term = c.node(1).rn.raft.term;
  c.isolate(3);
  tickNodes(c, [1, 2, 3], 60);
  t.is(c.node(3).rn.raft.term, term, "pre-campaigns did not raise the isolated node's term");
  t.not(c.node(3).rn.raft.state, StateType.Leader);
  c.heal();
  tickNodes(c, [1, 2, 3], 5);
  t.is(c.leader()?.id, 1);
  for (const n of c.nodes.values()) {
    t.is(n.rn.raft.term, term, `node ${n.id} term`);
    t.is(n.rn.raft.lead, 1);
  }
  proposeAndSettle(c, 1, "after");
  t.deepEqual(appliedData(c.node(3)), ["after"]);
});

test("without pre-vote or check-quorum, the same rejoining node does disrupt the term (contrast)", (t) => {
  const c = newCluster(3, noLeaseNoPreVote);
  c.elect(1);
  const term = c.node(1).rn.raft.term;
  c.isolate(3);
  tickNodes(c, [1, 2, 3], 60);
  t.true(c.node(3).rn.raft.term > term);
  c.heal();
  tickNodes(c, [1, 2, 3], 30);
  t.true(c.node(1).rn.raft.term > term, "the leader was deposed by a higher term");
});

test("check-quorum: a leader cut off from the quorum steps down within two election timeouts", (t) => {
  const c = newCluster(3);
  c.elect(1);
  c.isolate(1);
  const ticks = tickUntil(c, () => c.node(1).rn.raft.state !== StateType.Leader, 20, [1]);
  t.true(ticks <= 20, `stepped down after ${ticks} ticks`);
  t.is(c.node(1).rn.raft.lead, 0);
});

test("check-quorum: a leader that hears from a quorum keeps leading, even with one follower gone", (t) => {
  const c = newCluster(3);
  c.elect(1);
  c.isolate(3);
  tickNodes(c, [1, 2], 100);
  t.is(c.node(1).rn.raft.state, StateType.Leader);
});

test("check-quorum lease: a follower that heard from the leader within an election timeout ignores vote requests", (t) => {
  const c = newCluster(3);
  c.elect(1);
  const n2 = c.node(2);
  const term = n2.rn.raft.term;
  const last = n2.rn.raft.raftLog.lastIndex();
  const tap = new Tap(c);
  for (const type of [MessageType.Vote, MessageType.PreVote]) {
    n2.rn.step(msg(type, 3, 2, term + 1, { index: last + 5, logTerm: term }));
  }
  c.stabilize();
  t.is(
    tap.count((m) => m.to === 3),
    0,
    "no answer at all",
  );
  t.is(n2.rn.raft.term, term);
  t.is(n2.rn.raft.lead, 1);
  // Once an election timeout passes without the leader, the same request is granted.
  tickNodes(c, [2], 10);
  n2.rn.step(msg(MessageType.Vote, 3, 2, term + 1, { index: last + 5, logTerm: term }));
  c.stabilize();
  t.is(
    tap.count((m) => m.type === MessageType.VoteResp && m.to === 3 && !m.reject),
    1,
  );
});

test("startup quiet: a (re)started node refuses votes for startupQuietTicks ticks, then grants them", (t) => {
  const { rn, storage } = newNode(2, [1, 2, 3], { startupQuietTicks: 5, electionTicks: 20 });
  const vote = () => rn.step(msg(MessageType.Vote, 1, 2, 2, { index: 1, logTerm: 1 }));
  vote();
  for (let i = 0; i < 4; i++) rn.tick();
  vote();
  t.deepEqual(drainReadies(rn, storage), [], "ignored while quiet");
  t.is(rn.raft.term, 1);
  rn.tick();
  vote();
  const resps = drainReadies(rn, storage).filter((m) => m.type === MessageType.VoteResp);
  t.deepEqual(
    resps.map((m) => m.reject),
    [false],
  );
});

test("startup quiet: a cluster started with the default quiet period cannot elect before it ends", (t) => {
  const c = new MemoryCluster([1, 2, 3]);
  c.node(1).rn.campaign();
  c.stabilize();
  t.is(c.leader(), undefined);
  for (const n of c.nodes.values()) t.is(n.rn.raft.term, 1, "pre-vote kept every term");
  tickNodes(c, [2, 3], 10);
  c.node(1).rn.campaign();
  c.stabilize();
  t.is(c.leader()?.id, 1);
});

test("without check-quorum there is no startup quiet period", (t) => {
  const { rn, storage } = newNode(2, [1, 2, 3], { checkQuorum: false, startupQuietTicks: 50 });
  rn.step(msg(MessageType.Vote, 1, 2, 2, { index: 1, logTerm: 1 }));
  const resps = drainReadies(rn, storage).filter((m) => m.type === MessageType.VoteResp);
  t.deepEqual(
    resps.map((m) => m.reject),
    [false],
  );
});

test("a single-node cluster elects itself at once and commits alone", (t) => {
  const c = newCluster(1);
  c.node(1).rn.campaign();
  c.stabilize();
  t.is(c.leader()?.id, 1);
  proposeAndSettle(c, 1, "solo");
  t.deepEqual(appliedData(c.node(1)), ["solo"]);
  t.is(c.node(1).rn.raft.raftLog.committed, 3);
});

test("a single-node cluster also elects itself by election timeout", (t) => {
  const c = newCluster(1);
  tickUntil(c, () => c.leader() !== undefined, 30);
  t.is(c.leader()?.id, 1);
});

test("a partitioned minority cannot elect a leader; the majority side can", (t) => {
  const c = newCluster(5);
  c.elect(1);
  for (const a of [1, 2]) {
    for (const b of [3, 4, 5]) {
      c.cut.add(`${a}->${b}`);
      c.cut.add(`${b}->${a}`);
    }
  }
  tickUntil(c, () => leaderAmong(c, [3, 4, 5]) !== undefined, 100);
  tickNodes(c, [1, 2, 3, 4, 5], 50);
  t.is(leaderAmong(c, [1, 2]), undefined, "the old leader stepped down and no one replaced it");
  t.not(leaderAmong(c, [3, 4, 5]), undefined);
});
