// Tests for the raftsim command line: argument checking, the summary and exit codes, failing
// seeds with their replay command, and tracing.

import { spawnSync } from "node:child_process";
import test from "ava";

function sim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "cmd/raftsim/main.ts", ...args], {
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("a clean range exits 0 with progress and a summary", (t) => {
  const r = sim("--seeds", "2", "--from", "10", "--ticks", "200");
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^runs: 2, violations: 0, failing seeds: 0, time: [\d.]+s$/m);
  t.regex(r.stderr, /progress: 2\/2 seeds, 0 failing/);
});

test("a failing seed is printed with its violations and replay command, and exits 1", (t) => {
  const r = sim("--seeds", "1", "--from", "5", "--nodes", "3", "--bug", "countStaleVotes");
  t.is(r.code, 1);
  t.regex(
    r.stdout,
    /^FAIL seed 5 .*election quorum: .*reproduce with: npm run sim -- --seeds 1 --from 5 --nodes 3 --bug countStaleVotes --trace$/m,
  );
  t.regex(r.stdout, /runs: 1, violations: \d+, failing seeds: 1 \[5\]/);
});

test("--trace prints the run's events", (t) => {
  const r = sim("--seeds", "1", "--from", "3", "--ticks", "100", "--trace");
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /seed 3: profile=\w+ nodes=\d/);
  t.regex(r.stdout, /t=\d+ n\d leader term=\d+/);
  t.regex(r.stdout, /end: recovered in \d+ ticks/);
});

test("bad arguments are refused with a clear message and exit 2", (t) => {
  const cases: [string[], RegExp][] = [
    [[], /--seeds is required/],
    [["--seeds", "0"], /--seeds must be an integer in \[1, 10000000\] \(got "0"\)/],
    [["--seeds", "x"], /--seeds must be an integer/],
    [["--seeds", "3", "--nodes", "8"], /--nodes must be an integer in \[3, 7\]/],
    [["--seeds", "3", "--from=-1"], /--from must be an integer/],
    [["--seeds", "3", "--from", "-1"], /--from.* ambiguous/],
    [["--seeds", "3", "--bug", "nope"], /--bug "nope" is not one of: countStaleVotes/],
    [["--seeds", "3", "--profile", "chaos"], /--profile must be one of: mixed, churn/],
    [["--seeds", "3", "--read-only", "fast"], /--read-only must be one of: safe, leaseBased/],
    [["--seeds", "3", "--frm", "2"], /Unknown option '--frm'/],
    [["--seeds", "3", "stray"], /Unexpected argument 'stray'/],
  ];
  for (const [args, message] of cases) {
    const r = sim(...args);
    t.is(r.code, 2, args.join(" "));
    t.regex(r.stderr, message, args.join(" "));
    t.regex(r.stderr, /usage: npm run sim/);
  }
});

test("--help prints the usage and exits 0", (t) => {
  const r = sim("--help");
  t.is(r.code, 0);
  t.regex(r.stdout, /usage: npm run sim -- --seeds N/);
});
