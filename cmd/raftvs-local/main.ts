// `npm start`: a local 3-node raftvs cluster on loopback, data under one folder, ports printed;
// Ctrl-C stops all nodes cleanly.

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { LocalCluster, type LogLine } from "../../internal/launcher/index.ts";

const USAGE = `usage: npm start -- [--nodes 1|3|5|7] [--data-dir DIR] [--peer-port P] [--client-port C] [--quiet]
Starts a local raftvs cluster on 127.0.0.1: node i listens for peers on P+i-1 and for clients on
C+i-1, with its data in DIR/node-i (default .raftvs-local). Ctrl-C stops every node.`;

const OPTIONS = {
  nodes: { type: "string", default: "3" },
  "data-dir": { type: "string", default: ".raftvs-local" },
  "peer-port": { type: "string", default: "7001" },
  "client-port": { type: "string", default: "8001" },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>;
try {
  parsed = parseArgs({ options: OPTIONS });
} catch (err) {
  process.stderr.write(`raftvs-local: ${(err as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = (raw: string, name: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535 - 7) {
    process.stderr.write(`raftvs-local: --${name} must be a port in 1..65528 (got ${raw})\n`);
    process.exit(2);
  }
  return n;
};
const nodes = Number(values.nodes);
if (![1, 3, 5, 7].includes(nodes)) {
  process.stderr.write("raftvs-local: --nodes must be 1, 3, 5 or 7\n");
  process.exit(2);
}

const LEVELS: Record<number, string> = { 20: "debug", 30: "info", 40: "WARN", 50: "ERROR", 60: "FATAL" };
const print = (l: LogLine): void => {
  if (values.quiet && l.level < 40) return;
  const extra = Object.entries(l.fields)
    .filter(([k]) => k !== "component")
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
  process.stdout.write(`[node ${l.node}] ${LEVELS[l.level] ?? l.level} ${l.msg} ${extra}\n`);
};

const dataRoot = resolve(values["data-dir"]);
const cluster = new LocalCluster({
  nodes,
  dataRoot,
  clusterId: "raftvs-local",
  host: "127.0.0.1",
  basePeerPort: port(values["peer-port"], "peer-port"),
  baseClientPort: port(values["client-port"], "client-port"),
  onLog: print,
});
cluster.startAll();

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  process.stdout.write("\nstopping the cluster...\n");
  await cluster.stopAll();
  process.stdout.write("all nodes stopped\n");
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
for (const p of cluster.procs.values()) {
  void p.exited.then((code) => {
    if (!stopping)
      process.stdout.write(`[node ${p.plan.id}] exited (${code})${p.stderr ? `: ${p.stderr.trim()}` : ""}\n`);
  });
}

try {
  const leader = await cluster.waitForLeader(30_000);
  const endpoints = cluster.plans.map((p) => p.client).join(",");
  process.stdout.write(
    [
      "",
      `raftvs local cluster is up: ${nodes} nodes, leader is node ${leader}, data under ${dataRoot}`,
      ...cluster.plans.map(
        (p) => `  node ${p.id}: peer ${p.peer}  client ${p.client}  pid ${cluster.procs.get(p.id)?.pid}`,
      ),
      "try:",
      `  npx tsx cmd/raftvsctl/main.ts --endpoints ${endpoints} status`,
      `  npx tsx cmd/raftvsctl/main.ts --endpoints ${endpoints} kv put hello world`,
      `  npx tsx cmd/raftvsctl/main.ts --endpoints ${endpoints} member list`,
      "Ctrl-C stops all nodes.",
      "",
    ].join("\n"),
  );
} catch (err) {
  process.stderr.write(`raftvs-local: ${(err as Error).message}\n`);
  await cluster.stopAll(2000);
  process.exit(1);
}
