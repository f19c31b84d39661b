// Builds the daemon configuration from defaults, a YAML file, RAFTVS_* environment variables and
// command-line flags (later wins), then validates it; every problem is named in one ConfigError.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import {
  CONFIG_DEFAULTS,
  ConfigError,
  type DaemonConfig,
  type InitialMember,
  validateConfig,
} from "./schema.ts";

type Parser = (raw: string) => unknown;

const int: Parser = (raw) => (/^-?\d+$/.test(raw.trim()) ? Number(raw) : raw);
const bool: Parser = (raw) =>
  raw === "true" || raw === "1" ? true : raw === "false" || raw === "0" ? false : raw;
const text: Parser = (raw) => raw;
const pretty: Parser = (raw) => (raw === "auto" ? "auto" : bool(raw));

/** "1=peerHost:port/clientHost:port,2=..." → members (left unvalidated: validateConfig names problems). */
export function parseInitialCluster(raw: string): InitialMember[] | string {
  if (raw.trim() === "") return [];
  return raw.split(",").map((part) => {
    const m = /^\s*(\d+)=([^/\s]+)\/([^/\s]+)\s*$/.exec(part);
    if (!m) return { id: Number.NaN, peer: part, client: "" };
    return { id: Number(m[1]), peer: m[2]!, client: m[3]! };
  });
}

/** One setting reachable from flags and environment: --flag-name and RAFTVS_FLAG_NAME. */
const SETTINGS: Array<{ flag: string; path: string[]; parse: Parser; help: string }> = [
  { flag: "id", path: ["id"], parse: int, help: "this node's id (positive integer)" },
  {
    flag: "cluster-id",
    path: ["clusterId"],
    parse: text,
    help: "cluster name, checked against the data dir",
  },
  { flag: "data-dir", path: ["dataDir"], parse: text, help: "directory of the node's LevelDB data" },
  { flag: "listen-peer", path: ["listen", "peer"], parse: text, help: "host:port for Raft peers" },
  { flag: "listen-client", path: ["listen", "client"], parse: text, help: "host:port for the admin API" },
  {
    flag: "initial-cluster",
    path: ["initialCluster"],
    parse: parseInitialCluster,
    help: "1=peer/client,2=... for a new cluster",
  },
  { flag: "join", path: ["join"], parse: bool, help: "start empty and wait to be added (true|false)" },
  {
    flag: "tls-peer-ca",
    path: ["tls", "peer", "ca"],
    parse: text,
    help: "cluster CA certificate (PEM) for peer mTLS",
  },
  {
    flag: "tls-peer-cert",
    path: ["tls", "peer", "cert"],
    parse: text,
    help: "this node's certificate (PEM)",
  },
  { flag: "tls-peer-key", path: ["tls", "peer", "key"], parse: text, help: "this node's private key (PEM)" },
  {
    flag: "tls-client-cert",
    path: ["tls", "client", "cert"],
    parse: text,
    help: "client API certificate (PEM)",
  },
  {
    flag: "tls-client-key",
    path: ["tls", "client", "key"],
    parse: text,
    help: "client API private key (PEM)",
  },
  {
    flag: "tls-client-ca",
    path: ["tls", "client", "ca"],
    parse: text,
    help: "CA whose client certificates may call the API",
  },
  { flag: "tick-ms", path: ["raft", "tickMs"], parse: int, help: "Raft tick in milliseconds" },
  { flag: "election-ticks", path: ["raft", "electionTicks"], parse: int, help: "election timeout in ticks" },
  {
    flag: "heartbeat-ticks",
    path: ["raft", "heartbeatTicks"],
    parse: int,
    help: "heartbeat interval in ticks",
  },
  {
    flag: "snapshot-every",
    path: ["raft", "snapshotEveryEntries"],
    parse: int,
    help: "entries between snapshots",
  },
  {
    flag: "snapshot-keep",
    path: ["raft", "snapshotKeepEntries"],
    parse: int,
    help: "entries kept behind a snapshot",
  },
  {
    flag: "peer-max-message-bytes",
    path: ["raft", "peerMaxMessageBytes"],
    parse: int,
    help: "largest peer message (and so log entry)",
  },
  { flag: "log-level", path: ["log", "level"], parse: text, help: "trace|debug|info|warn|error|fatal" },
  {
    flag: "log-pretty",
    path: ["log", "pretty"],
    parse: pretty,
    help: "pretty logs: true|false|auto (auto: on a terminal)",
  },
  {
    flag: "request-timeout-ms",
    path: ["requestTimeoutMs"],
    parse: int,
    help: "default client request timeout",
  },
];

export function envName(flag: string): string {
  return `RAFTVS_${flag.toUpperCase().replaceAll("-", "_")}`;
}

export function configUsage(): string {
  const rows = SETTINGS.map((s) => `  --${s.flag.padEnd(20)} ${s.help} (env ${envName(s.flag)})`);
  return [
    "usage: raftvsd [--config FILE] [flags]",
    "  --config FILE          YAML configuration file (env RAFTVS_CONFIG)",
    ...rows,
    "  --help                 this text",
  ].join("\n");
}

type Tree = Record<string, unknown>;

function setPath(tree: Tree, path: string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1]!] = value;
}

function isPlainObject(v: unknown): v is Tree {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? merge(out[k] as Tree, v) : v;
  return out;
}

/** Fields present in a file that the configuration does not know (typos must not pass silently). */
function unknownFields(tree: Tree, shape: Tree, prefix: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!(k in shape)) out.push(`${path}: unknown field`);
    else if (isPlainObject(v) && isPlainObject(shape[k]) && Object.keys(shape[k] as Tree).length > 0)
      out.push(...unknownFields(v, shape[k] as Tree, path));
  }
  return out;
}

const SHAPE: Tree = {
  ...CONFIG_DEFAULTS,
  id: 0,
  dataDir: "",
  tls: { peer: { ca: "", cert: "", key: "" }, client: { ca: "", cert: "", key: "" } },
  auth: { tokens: [], clientCertRoles: {} },
} as unknown as Tree;

export interface LoadedConfig {
  config: DaemonConfig;
  help: boolean;
}

/** Loads and validates; throws ConfigError listing every problem. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): LoadedConfig {
  const options: Record<string, { type: "string" | "boolean" }> = {
    config: { type: "string" },
    help: { type: "boolean" },
  };
  for (const s of SETTINGS) options[s.flag] = { type: "string" };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new ConfigError([(err as Error).message], "command line");
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { config: CONFIG_DEFAULTS as unknown as DaemonConfig, help: true };

  const problems: string[] = [];
  let fileTree: Tree = {};
  const file = (values.config as string | undefined) ?? env.RAFTVS_CONFIG;
  if (file) {
    try {
      const doc = parseYaml(readFileSync(file, "utf8")) as unknown;
      if (doc !== null && !isPlainObject(doc)) problems.push(`${file}: must hold a mapping of settings`);
      else fileTree = doc ?? {};
    } catch (err) {
      throw new ConfigError([`${file}: ${(err as Error).message}`], "config file");
    }
    problems.push(...unknownFields(fileTree, SHAPE, ""));
  }
  const envTree: Tree = {};
  const flagTree: Tree = {};
  for (const s of SETTINGS) {
    const fromEnv = env[envName(s.flag)];
    if (fromEnv !== undefined) setPath(envTree, s.path, s.parse(fromEnv));
    const fromFlag = values[s.flag];
    if (typeof fromFlag === "string") setPath(flagTree, s.path, s.parse(fromFlag));
  }
  const merged = merge(
    merge(merge(CONFIG_DEFAULTS as unknown as Tree, fileTree), envTree),
    flagTree,
  ) as unknown as DaemonConfig;
  problems.push(...validateConfig(merged));
  if (problems.length > 0)
    throw new ConfigError(problems, file ? `file ${file}, environment and flags` : "environment and flags");
  return { config: merged, help: false };
}
