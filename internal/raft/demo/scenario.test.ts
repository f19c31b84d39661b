// Runs the `npm run demo` demo in-process with its output captured, so the demo cannot rot: it must
// print the elections, the commits and the snapshots, and end with identical state on every node.

import test from "ava";
import { type DemoSummary, runDemo } from "./scenario.ts";

function capture(seed?: number): { lines: string[]; summary: DemoSummary } {
  const lines: string[] = [];
  const summary = runDemo({ ...(seed === undefined ? {} : { seed }), write: (l) => lines.push(l) });
  return { lines, summary };
}

const matching = (lines: string[], re: RegExp): string[] => lines.filter((l) => re.test(l));

test("the demo prints the first election, the failover and the transfer", (t) => {
  const { lines, summary } = capture();
  const elected = matching(lines, /\belection\s+node \d is elected leader of term \d+/);
  t.true(elected.length >= 3, elected.join("\n"));
  t.deepEqual(
    summary.elections.map((e) => e.term),
    [2, 3, 4],
  );
  // The leader cut off in act 3 is a different node from its successor, and gets leadership back.
  const [first, second, third] = summary.elections;
  t.not(first!.leader, second!.leader);
  t.is(third!.leader, first!.leader);
  t.true(
    matching(lines, /step-down node \d steps down as leader of term \d+: no quorum answered/).length === 1,
  );
  t.true(matching(lines, /asks for pre-votes/).length >= 2);
  t.true(matching(lines, /transfer\s+node \d hands leadership to node \d/).length === 1);
});

test("the demo prints each commit, the catch-ups and the snapshot installs", (t) => {
  const { lines, summary } = capture();
  const commits = matching(lines, /\bcommit\s+#\d+ set \S+=\S+ at index \d+ \(term \d+\), applied on /);
  t.is(commits.length, summary.committed);
  t.is(summary.committed, summary.proposed - summary.refused);
  t.true(summary.committed >= 10);
  t.is(summary.refused, 1);
  t.true(matching(commits, /applied on all 3 nodes/).length >= 4);
  t.true(matching(commits, /applied on all 4 nodes/).length >= 2);
  t.true(matching(commits, /not yet on/).length >= 4);
  t.is(matching(lines, /catch-up\s+node \d catches up by replication: 2 missed command/).length, 1);
  t.is(summary.snapshotsInstalled, 2);
  t.is(matching(lines, /snapshot\s+node \d installs the leader's snapshot at index \d+/).length, 2);
  t.true(matching(lines, /member\s+applied: voters 1,2,3,4/).length === 1);
});

test("every node ends with the same state hash, printed in the summary", (t) => {
  const { lines, summary } = capture();
  t.true(summary.identical);
  t.is(summary.nodes.length, 4);
  const hashes = new Set(summary.nodes.map((n) => n.stateHash));
  t.is(hashes.size, 1);
  const hash = [...hashes][0]!;
  t.regex(hash, /^[0-9a-f]{64}$/);
  t.is(new Set(summary.nodes.map((n) => n.appliedIndex)).size, 1);
  t.is(lines.at(-1), `check       all 4 nodes hold identical state: sha256 ${hash}`);
  for (const n of summary.nodes) t.is(n.commands, summary.committed);
});

test("the demo is deterministic for a seed, and the seed changes only the values written", (t) => {
  const a = capture(7);
  const b = capture(7);
  t.deepEqual(a.lines, b.lines);
  const c = capture(8);
  t.true(c.summary.identical);
  t.notDeepEqual(a.lines, c.lines);
  t.deepEqual(
    c.summary.elections.map((e) => [e.term, e.leader]),
    a.summary.elections.map((e) => [e.term, e.leader]),
  );
  t.not(c.summary.nodes[0]!.stateHash, a.summary.nodes[0]!.stateHash);
});
