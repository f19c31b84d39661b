// Tests for the safety checkers on synthetic histories: each property accepts a correct history
// and reports a broken one with its kind.

import test from "ava";
import { type Entry, EntryType } from "../types.ts";
import { type LeaderLog, SafetyChecker, ViolationKind } from "./checkers.ts";

function entry(index: number, term: number, data = `v${index}.${term}`): Entry {
  return { index, term, type: EntryType.Normal, data: new TextEncoder().encode(data) };
}

/** termAt over a log given as terms from index 1 (index 0 has term 0). */
function termsOf(terms: number[]): (i: number) => number {
  return (i) => (i === 0 ? 0 : terms[i - 1]!);
}

function leader(nodeId: number, term: number, terms: number[], snapIndex = 0): LeaderLog {
  return { nodeId, term, snapIndex, terms: terms.slice(snapIndex) };
}

function kinds(c: SafetyChecker): string[] {
  return c.violations.map((v) => v.slice(0, v.indexOf(":")));
}

test("one leader per term passes; a second leader in the same term is reported", (t) => {
  const c = new SafetyChecker();
  c.voteDelivered(2, 1, 3);
  c.leaderElected(leader(1, 3, []), [1, 2, 3]);
  c.leaderElected(leader(1, 3, []), [1, 2, 3]); // the same leader reported again is fine
  c.voteDelivered(3, 2, 4);
  c.leaderElected(leader(2, 4, []), [1, 2, 3]);
  t.deepEqual(c.violations, []);
  c.voteDelivered(3, 2, 3);
  c.leaderElected(leader(2, 3, []), [1, 2, 3]);
  t.deepEqual(kinds(c), [ViolationKind.ElectionSafety]);
  t.is(c.leadersElected, 2);
});

test("a leader without votes of its own term from a quorum is reported", (t) => {
  const c = new SafetyChecker();
  c.voteDelivered(2, 1, 4); // a vote of an older term does not count for term 5
  c.leaderElected(leader(1, 5, []), [1, 2, 3]);
  t.deepEqual(kinds(c), [ViolationKind.ElectionQuorum]);
  const ok = new SafetyChecker();
  ok.voteDelivered(2, 1, 5);
  ok.voteDelivered(3, 1, 5);
  ok.voteDelivered(4, 1, 5); // not a voter of this configuration
  ok.leaderElected(leader(1, 5, []), [1, 2, 3]);
  t.deepEqual(ok.violations, []);
});

test("log matching: same index and term means same entry after the same predecessor", (t) => {
  const c = new SafetyChecker();
  c.persisted(1, [entry(1, 1), entry(2, 1), entry(3, 2)], termsOf([1, 1, 2]));
  c.persisted(2, [entry(1, 1), entry(2, 1)], termsOf([1, 1]));
  c.persisted(2, [entry(3, 2)], termsOf([1, 1, 2]));
  t.deepEqual(c.violations, []);
  c.persisted(3, [entry(2, 1, "other")], termsOf([1, 1]));
  t.deepEqual(kinds(c), [ViolationKind.LogMatching]);
  // Same entry at (3, 2) but after a different predecessor term: prefixes differ.
  const d = new SafetyChecker();
  d.persisted(1, [entry(3, 2)], termsOf([1, 1, 2]));
  d.persisted(2, [entry(3, 2)], termsOf([1, 2, 2]));
  t.deepEqual(kinds(d), [ViolationKind.LogMatching]);
});

test("state machine safety: two different entries applied at one index are reported", (t) => {
  const c = new SafetyChecker();
  c.applied(1, entry(1, 1), 1);
  c.applied(2, entry(1, 1), 2);
  t.deepEqual(c.violations, []);
  c.applied(3, entry(1, 2, "x"), 2);
  t.deepEqual(kinds(c), [ViolationKind.StateMachineSafety]);
});

test("leader completeness: a later leader must hold every entry applied before its term", (t) => {
  const c = new SafetyChecker();
  c.applied(1, entry(1, 1), 1);
  c.applied(1, entry(2, 1), 1);
  c.voteDelivered(2, 3, 2);
  c.leaderElected(leader(3, 2, [1, 1, 2]), [1, 2, 3]);
  t.deepEqual(c.violations, []);
  c.voteDelivered(1, 2, 3);
  c.leaderElected(leader(2, 3, [1]), [1, 2, 3]); // lacks entry 2
  t.deepEqual(kinds(c), [ViolationKind.LeaderCompleteness]);
});

test("leader completeness is also checked when the entry is applied after the election", (t) => {
  const c = new SafetyChecker();
  c.voteDelivered(3, 2, 5);
  c.leaderElected(leader(2, 5, [1, 3]), [1, 2, 3]);
  // Applied by a node in term 4: committed in term <= 4, so leader 5 must hold it, and does not.
  c.applied(1, entry(2, 4), 4);
  t.deepEqual(kinds(c), [ViolationKind.LeaderCompleteness]);
  // An entry applied by a node already in term 5 may have been committed in term 5 (no claim).
  const d = new SafetyChecker();
  d.voteDelivered(3, 2, 5);
  d.leaderElected(leader(2, 5, [1, 3]), [1, 2, 3]);
  d.applied(1, entry(3, 5), 5);
  t.deepEqual(d.violations, []);
});

test("entries inside a leader's snapshot are not looked up in its log", (t) => {
  const c = new SafetyChecker();
  c.applied(1, entry(1, 1), 1);
  c.voteDelivered(1, 2, 2);
  c.leaderElected(leader(2, 2, [1, 1, 2], 2), [1, 2, 3]);
  t.deepEqual(c.violations, []);
});

test("a leader may commit by counting only an entry of its own term", (t) => {
  const c = new SafetyChecker();
  c.leaderCommitted(1, 4, 10, 4);
  t.deepEqual(c.violations, []);
  c.leaderCommitted(1, 4, 9, 3);
  t.deepEqual(kinds(c), [ViolationKind.CommitRule]);
});

test("state machine snapshots at the same index must agree", (t) => {
  const c = new SafetyChecker();
  c.stateAt(1, 20, "a");
  c.stateAt(2, 20, "a");
  c.stateAt(2, 40, "b");
  t.deepEqual(c.violations, []);
  c.stateAt(3, 40, "c");
  t.deepEqual(kinds(c), [ViolationKind.StateDivergence]);
});

test("violations are de-duplicated and capped per kind", (t) => {
  const c = new SafetyChecker();
  c.report(ViolationKind.Liveness, "same");
  c.report(ViolationKind.Liveness, "same");
  for (let i = 0; i < 10; i++) c.report(ViolationKind.CommitRule, `x${i}`);
  c.report(ViolationKind.LogMatching, "y");
  t.is(c.violations.filter((v) => v.startsWith("liveness")).length, 1);
  t.is(c.violations.filter((v) => v.startsWith("commit rule")).length, 5);
  t.is(c.suppressed.get(ViolationKind.CommitRule), 5);
  t.true(c.violations.includes("log matching: y"), "a noisy kind does not hide another");
});
