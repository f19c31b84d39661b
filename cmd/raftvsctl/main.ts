// raftvsctl: the admin client of a raftvs cluster (see internal/ctl for the commands).

import { text } from "node:stream/consumers";
import { runCtl } from "../../internal/ctl/index.ts";

process.exitCode = await runCtl(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  stdin: () => text(process.stdin),
});
