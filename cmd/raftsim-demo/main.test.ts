// Runs `npm run demo`'s entry point as a process: it must finish with exit code 0 and the final
// identical-state line, and refuse bad arguments with exit code 2.

import { spawnSync } from "node:child_process";
import test from "ava";

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--import=tsx", "cmd/raftsim-demo/main.ts", ...args], { encoding: "utf8" });

test("the demo exits 0 and ends with the identical-state check", (t) => {
  const r = run();
  t.is(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  t.regex(lines.at(-1)!, /^check {7}all 4 nodes hold identical state: sha256 [0-9a-f]{64}$/);
});

test("the demo refuses a bad seed with exit code 2", (t) => {
  const r = run("--seed", "x");
  t.is(r.status, 2);
  t.regex(r.stderr, /--seed must be an integer/);
});
