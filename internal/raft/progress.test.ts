// Leader-side flow control and quorum arithmetic: the Inflights window, Progress state rules
// (probe / replicate / snapshot), and quorumValue / voteResult checked against naive versions.

import test from "ava";
import { RaftError, RaftErrorCode } from "./errors.ts";
import { Inflights } from "./inflights.ts";
import { Progress, ProgressState } from "./progress.ts";
import { quorumValue, VoteResult, voteResult } from "./quorum.ts";
import { SeededRandom } from "./rand.ts";

test("Inflights fills to capacity, then refuses more with an invariant error", (t) => {
  const inf = new Inflights(3);
  inf.add(1);
  inf.add(2);
  t.false(inf.full());
  inf.add(3);
  t.true(inf.full());
  t.is(inf.count(), 3);
  t.throws(() => inf.add(4), { instanceOf: RaftError, code: RaftErrorCode.Invariant });
});

test("Inflights.freeLE(i) frees every message whose last index is <= i, oldest first", (t) => {
  const inf = new Inflights(10);
  for (const i of [2, 4, 6, 8]) inf.add(i);
  inf.freeLE(1);
  t.is(inf.count(), 4);
  inf.freeLE(5);
  t.is(inf.count(), 2);
  inf.freeLE(6);
  t.is(inf.count(), 1);
  inf.freeLE(100);
  t.is(inf.count(), 0);
  inf.reset();
  t.is(inf.count(), 0);
});

test("Inflights keeps its order when the ring wraps around", (t) => {
  const inf = new Inflights(4);
  let next = 1;
  let freed = 0;
  // Keep the window full while sliding it far past its capacity.
  for (let round = 0; round < 50; round++) {
    while (!inf.full()) inf.add(next++);
    inf.freeLE(freed + 2);
    freed += 2;
    t.is(inf.count(), next - 1 - freed);
  }
  inf.freeLE(next - 2);
  t.is(inf.count(), 1, "only the newest message is still in flight");
  inf.add(next);
  inf.freeLE(next - 1);
  t.is(inf.count(), 1);
});

test("Progress.maybeUpdate moves match forward only, and next to at least match+1", (t) => {
  const pr = new Progress(5, 4, false);
  t.true(pr.maybeUpdate(3));
  t.is(pr.match, 3);
  t.is(pr.next, 5, "next is not pulled back");
  t.false(pr.maybeUpdate(2), "an older acknowledgment changes nothing");
  t.is(pr.match, 3);
  t.true(pr.maybeUpdate(7));
  t.is(pr.next, 8);
});

test("Progress.maybeDecrTo in probe: only a rejection of the last probe counts; next follows the hint", (t) => {
  const pr = new Progress(10, 4, false);
  pr.match = 2;
  pr.sentEntries(0, 9);
  t.true(pr.probeSent);
  t.false(pr.maybeDecrTo(5, 3), "a rejection of some older probe is stale");
  t.is(pr.next, 10);
  t.true(pr.maybeDecrTo(9, 4));
  t.is(pr.next, 5, "next = hint + 1");
  t.false(pr.probeSent, "a rejection unpauses the probe");
  t.true(pr.maybeDecrTo(4, 0));
  t.is(pr.next, 3, "never below match + 1");
});

test("Progress.maybeDecrTo in replicate: rejections at or below match are stale; others reset next to match+1", (t) => {
  const pr = new Progress(3, 4, false);
  pr.maybeUpdate(5);
  pr.becomeReplicate();
  pr.sentEntries(3, 8);
  t.is(pr.next, 9);
  t.false(pr.maybeDecrTo(4, 0), "already matched");
  t.is(pr.next, 9);
  t.true(pr.maybeDecrTo(7, 6));
  t.is(pr.next, 6);
});

test("Progress.isPaused: probe after one unanswered message, replicate when the window is full, always in snapshot", (t) => {
  const pr = new Progress(1, 2, false);
  t.is(pr.state, ProgressState.Probe);
  t.false(pr.isPaused());
  pr.sentEntries(1, 1);
  t.true(pr.isPaused());
  t.is(pr.next, 1, "probing does not advance next optimistically");
  pr.maybeUpdate(1);
  t.false(pr.isPaused(), "an acknowledgment unpauses the probe");

  pr.becomeReplicate();
  t.is(pr.next, 2);
  pr.sentEntries(1, 2);
  t.false(pr.isPaused());
  pr.sentEntries(2, 4);
  t.true(pr.isPaused(), "two messages in flight with maxInflight 2");
  t.is(pr.next, 5, "replicate advances next optimistically");
  pr.sentEntries(0, 4);
  t.is(pr.inflights.count(), 2, "an empty append takes no window slot");
  pr.inflights.freeLE(2);
  t.false(pr.isPaused());

  pr.becomeSnapshot(10);
  t.true(pr.isPaused());
  t.is(pr.pendingSnapshot, 10);
  t.is(pr.inflights.count(), 0);
});

test("Progress.becomeProbe after a snapshot resumes after the snapshot index", (t) => {
  const pr = new Progress(1, 4, false);
  pr.maybeUpdate(3);
  pr.becomeSnapshot(20);
  pr.becomeProbe();
  t.is(pr.state, ProgressState.Probe);
  t.is(pr.next, 21);
  t.is(pr.pendingSnapshot, 0);
  pr.becomeReplicate();
  pr.becomeProbe();
  t.is(pr.next, 4, "otherwise after what the peer is known to hold");
});

/** The obvious definition: the largest v such that a majority reported >= v. */
function naiveQuorumValue(voters: number[], reported: Map<number, number>): number {
  if (voters.length === 0) return 0;
  const candidates = [0, ...voters.map((id) => reported.get(id) ?? 0)];
  let best = 0;
  for (const v of candidates) {
    const atLeast = voters.filter((id) => (reported.get(id) ?? 0) >= v).length;
    if (atLeast > voters.length / 2 && v > best) best = v;
  }
  return best;
}

test("quorumValue equals a naive majority computation on 2,000 random inputs", (t) => {
  const rnd = new SeededRandom(20240601);
  for (let i = 0; i < 2000; i++) {
    const n = rnd.int(8);
    const voters = Array.from({ length: n }, (_, k) => k + 1);
    const reported = new Map<number, number>();
    for (const id of voters) if (rnd.int(5) > 0) reported.set(id, rnd.int(10));
    const got = quorumValue(new Set(voters), (id) => reported.get(id));
    const want = naiveQuorumValue(voters, reported);
    if (got !== want) {
      t.fail(`voters=${n} reported=${JSON.stringify([...reported])}: got ${got}, want ${want}`);
      return;
    }
  }
  t.pass();
});

test("quorumValue: an empty voter set yields 0; missing voters count as 0", (t) => {
  t.is(
    quorumValue(new Set(), () => 5),
    0,
  );
  t.is(
    quorumValue(new Set([1, 2, 3]), (id) => (id === 1 ? 9 : undefined)),
    0,
  );
  t.is(
    quorumValue(new Set([1, 2, 3]), (id) => (id === 3 ? undefined : id * 10)),
    10,
  );
});

/** The obvious definition of an election's outcome. */
function naiveVoteResult(voters: number[], votes: Map<number, boolean>): VoteResult {
  const q = Math.floor(voters.length / 2) + 1;
  const yes = voters.filter((id) => votes.get(id) === true).length;
  const no = voters.filter((id) => votes.get(id) === false).length;
  if (yes >= q) return VoteResult.Won;
  if (no > voters.length - q) return VoteResult.Lost;
  return VoteResult.Pending;
}

test("voteResult equals a naive tally on 2,000 random elections (votes of non-voters ignored)", (t) => {
  const rnd = new SeededRandom(7);
  for (let i = 0; i < 2000; i++) {
    const n = 1 + rnd.int(7);
    const voters = Array.from({ length: n }, (_, k) => k + 1);
    const votes = new Map<number, boolean>();
    for (let id = 1; id <= n + 2; id++) {
      const r = rnd.int(3);
      if (r === 1) votes.set(id, true);
      else if (r === 2) votes.set(id, false);
    }
    const got = voteResult(new Set(voters), votes);
    const want = naiveVoteResult(voters, votes);
    if (got !== want) {
      t.fail(`voters=${n} votes=${JSON.stringify([...votes])}: got ${got}, want ${want}`);
      return;
    }
  }
  t.pass();
});

test("voteResult: 2 of 3 wins, 2 rejections of 3 lose, 1-1 of 3 is pending, 2-2 of 4 is pending then lost", (t) => {
  const v3 = new Set([1, 2, 3]);
  t.is(voteResult(v3, new Map([[1, true]])), VoteResult.Pending);
  t.is(
    voteResult(
      v3,
      new Map([
        [1, true],
        [2, true],
      ]),
    ),
    VoteResult.Won,
  );
  t.is(
    voteResult(
      v3,
      new Map([
        [1, true],
        [2, false],
      ]),
    ),
    VoteResult.Pending,
  );
  t.is(
    voteResult(
      v3,
      new Map([
        [2, false],
        [3, false],
      ]),
    ),
    VoteResult.Lost,
  );
  const v4 = new Set([1, 2, 3, 4]);
  const votes = new Map([
    [1, true],
    [2, true],
    [3, false],
  ]);
  t.is(voteResult(v4, votes), VoteResult.Pending, "2 of 4 is not a majority yet");
  votes.set(4, false);
  t.is(voteResult(v4, votes), VoteResult.Lost);
});
