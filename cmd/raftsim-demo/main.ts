// `npm run demo`: parses arguments and runs the simulated-cluster demo
// (the scenario lives in internal/raft/demo/). Exits 1 if the nodes' final states differ.

import { parseArgs } from "node:util";
import { runDemo } from "../../internal/raft/demo/scenario.ts";

const USAGE = `usage: npm run demo -- [--seed N]

A simulated 3-node Raft cluster on an in-memory network: elections, writes, a leader failure,
healing, a leadership transfer, a node joining, and a lagging node caught up by snapshot.

  --seed N     chooses the values written (default 1; integer 0 to 4294967295)
  -h, --help   show this help
`;

function main(): number {
  let seed = 1;
  try {
    const { values, positionals } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: true,
      options: { seed: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
    if (values.seed !== undefined) {
      seed = Number(values.seed);
      if (values.seed.trim() === "" || !Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff)
        throw new Error(`--seed must be an integer from 0 to 4294967295 (got "${values.seed}")`);
    }
  } catch (err) {
    process.stderr.write(`raftsim-demo: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  const summary = runDemo({ seed, write: (line) => process.stdout.write(`${line}\n`) });
  return summary.identical ? 0 : 1;
}

process.exitCode = main();
