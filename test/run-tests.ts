// The `npm test` entry: runs the whole ava suite with the TAP reporter, passes its output through,
// and ends with the one summary line CI reads: `tests: N passed, N failed[, N skipped]`.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const ava = spawn(
  process.execPath,
  ["node_modules/ava/entrypoints/cli.mjs", "--tap", ...process.argv.slice(2)],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = createInterface({ input: ava.stdout });
lines.on("line", (line) => {
  process.stdout.write(`${line}\n`);
  if (/^not ok \d+/.test(line)) {
    if (/#\s*TODO/i.test(line)) skipped++;
    else failed++;
  } else if (/^ok \d+/.test(line)) {
    if (/#\s*(SKIP|TODO)/i.test(line)) skipped++;
    else passed++;
  }
});
ava.on("close", (code) => {
  // ava exits non-zero on failures and also on problems outside any test (a crashed file, an
  // uncaught error); count such a problem as a failure so the summary never hides it.
  if (code !== 0 && failed === 0) failed = 1;
  const skip = skipped > 0 ? `, ${skipped} skipped` : "";
  process.stdout.write(`tests: ${passed} passed, ${failed} failed${skip}\n`);
  process.exitCode = failed > 0 ? 1 : 0;
});
