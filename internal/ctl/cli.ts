// raftvsctl's command line: global flags, dispatch to the commands, help texts and exit codes
// (0 ok, 1 error, 2 bad usage, 3 refused by the cluster's rules, 4 unreachable, 5 timeout, 6 not found).

import { readFileSync } from "node:fs";
import { readFile as readFileAsync } from "node:fs/promises";
import { parseArgs } from "node:util";
import { certCommand } from "./cert-commands.ts";
import { AdminClient, type ClientCredentialsOptions, CtlError } from "./client.ts";
import {
  type CommandContext,
  kvCommand,
  leaderCommand,
  memberCommand,
  snapshotCommand,
  statusCommand,
} from "./cluster-commands.ts";
import { completionScript } from "./completion.ts";
import { APPLY_USAGE, applyCommand } from "./declarative/index.ts";
import { IMPORT_USAGE, importCommand } from "./importers/index.ts";
import { isIpvsadmInvocation, runIpvsadmMode } from "./ipvsadm/index.ts";
import type { OutputFormat } from "./output.ts";
import { type ListFormat, serviceCommand } from "./service-commands.ts";
import { type TableClient, tableClient } from "./table-client.ts";

export const DEFAULT_ENDPOINTS = "127.0.0.1:8001,127.0.0.1:8002,127.0.0.1:8003";

const HELP: Record<string, string> = {
  "": `usage: raftvsctl [global flags] COMMAND ...

commands:
  status                              every node's role, term, indexes, lease and state hash
  member list|add|promote|remove      cluster membership (add: learner, catch up, then voter)
  leader transfer ID                  hand leadership to node ID
  snapshot save                       snapshot the state and compact the log on one node
  kv put KEY VALUE | get KEY | del KEY   the replicated key-value table
  cert ca|node                        make a development CA and node certificates for peer mTLS
  service list|show KEY               the virtual-service table (-o table|json|yaml)
  get -o yaml                         the whole table as a file "apply -f" takes back
  apply -f FILE [--dry-run]           make the table equal to FILE: shows the diff, one transaction
  import FILE [--format haproxy|keepalived] [--dry-run]   migrate an haproxy.cfg or keepalived.conf
  completion bash|zsh                 shell completion script

global flags:
  --endpoints H:P,...   client endpoints to try in order (env RAFTVSCTL_ENDPOINTS; default ${DEFAULT_ENDPOINTS})
  -o, --output table|json|yaml
  --timeout-ms N        per-call deadline (default 5000)
  --token T             bearer token (env RAFTVSCTL_TOKEN)
  --cacert F            CA of the servers' certificates: talk TLS (env RAFTVSCTL_CACERT)
  --cert F --key F      client certificate and key (env RAFTVSCTL_CERT, RAFTVSCTL_KEY)
  -h, --help            help (also: raftvsctl COMMAND --help)`,
  member: `usage: raftvsctl member list
       raftvsctl member add ID --peer HOST:PORT --client HOST:PORT [--no-promote] [--wait-ms N]
       raftvsctl member promote ID
       raftvsctl member remove ID
A new node starts with raftvsd --join true; "add" makes it a learner, waits until it has caught up
(by snapshot if the log was compacted), then promotes it to voter.`,
  leader: "usage: raftvsctl leader transfer ID\nHands leadership to voter ID once it has caught up.",
  snapshot:
    "usage: raftvsctl snapshot save\nSnapshots the applied state on the first reachable endpoint and compacts its log.",
  kv: "usage: raftvsctl kv put KEY VALUE | kv get KEY [--serializable] | kv del KEY\nReads are linearizable unless --serializable.",
  status:
    "usage: raftvsctl status\nQueries every member's client endpoint (from the member list) or the --endpoints given.",
  cert: `usage: raftvsctl cert ca --out DIR [--days N]
       raftvsctl cert node --id N --host NAME_OR_IP[,..] --ca-dir DIR --out DIR [--days N]
Writes PEM files: ca.pem/ca-key.pem, node-N.pem/node-N-key.pem.`,
};

/** Token from --token or RAFTVSCTL_TOKEN; TLS files from --cacert/--cert/--key (or RAFTVSCTL_*). */
function clientCredentials(
  flags: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
): ClientCredentialsOptions {
  const pick = (flag: string, envName: string): string | undefined => {
    const v = flags[flag] ?? env[envName];
    return typeof v === "string" && v.length > 0 ? v : undefined;
  };
  const read = (path: string | undefined, what: string): Buffer | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`cannot read the ${what} ${path}: ${(err as Error).message}`);
    }
  };
  const token = pick("token", "RAFTVSCTL_TOKEN");
  const caPem = read(pick("cacert", "RAFTVSCTL_CACERT"), "CA certificate");
  const certPem = read(pick("cert", "RAFTVSCTL_CERT"), "client certificate");
  const keyPem = read(pick("key", "RAFTVSCTL_KEY"), "client key");
  if ((certPem === undefined) !== (keyPem === undefined)) throw new Error("--cert and --key go together");
  if (certPem && !caPem) throw new Error("--cert needs --cacert (the CA of the servers' certificates)");
  return {
    ...(token ? { token } : {}),
    ...(caPem ? { caPem } : {}),
    ...(certPem ? { certPem } : {}),
    ...(keyPem ? { keyPem } : {}),
  };
}

export interface CtlIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** All of standard input (ipvsadm -R, apply -f -); none when absent. */
  stdin?: () => Promise<string>;
}

/** Global flags that take a value and may stand before an ipvsadm-style command. */
const GLOBAL_VALUE_FLAGS = new Set(["--endpoints", "--timeout-ms", "--token", "--cacert", "--cert", "--key"]);

/** Splits leading global flags (`--endpoints X`, `--token=Y`) from the command after them. */
function leadingGlobals(argv: string[]): { globals: Record<string, string>; rest: string[] } {
  const globals: Record<string, string> = {};
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (!GLOBAL_VALUE_FLAGS.has(name)) break;
    if (eq > 0) {
      globals[name.slice(2)] = a.slice(eq + 1);
      i++;
    } else {
      globals[name.slice(2)] = argv[i + 1] ?? "";
      i += 2;
    }
  }
  return { globals, rest: argv.slice(i) };
}

function endpointList(flag: string | undefined, env: NodeJS.ProcessEnv): string[] {
  return (flag ?? env.RAFTVSCTL_ENDPOINTS ?? DEFAULT_ENDPOINTS)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Commands with a command line of their own (ipvsadm's; apply; import), run against the table
 * with the client the leading global flags describe.
 */
async function runTableCommand(
  globals: Record<string, string>,
  io: CtlIo,
  run: (table: TableClient, readFile: (path: string) => Promise<string>) => Promise<number>,
): Promise<number> {
  let auth: ClientCredentialsOptions;
  try {
    auth = clientCredentials(globals, io.env);
  } catch (err) {
    io.err(`raftvsctl: ${(err as Error).message}`);
    return 2;
  }
  const timeout = Number(globals["timeout-ms"] ?? 5000);
  const client = new AdminClient(
    endpointList(globals.endpoints, io.env),
    Number.isFinite(timeout) && timeout > 0 ? timeout : 5000,
    auth,
  );
  const stdin = io.stdin ?? (async () => "");
  const readFile = (path: string): Promise<string> => (path === "-" ? stdin() : readFileAsync(path, "utf8"));
  try {
    return await run(tableClient(client), readFile);
  } catch (err) {
    io.err(`raftvsctl: ${(err as Error).message}`);
    return err instanceof CtlError ? err.exitCode : 1;
  } finally {
    client.close();
  }
}

export async function runCtl(argv: string[], io: CtlIo): Promise<number> {
  const { globals, rest } = leadingGlobals(argv);
  const [first, ...more] = rest;
  if (isIpvsadmInvocation(rest))
    return runTableCommand(globals, io, (table) =>
      runIpvsadmMode(rest, {
        list: () => table.list(),
        apply: (ops) => table.apply(ops),
        stdin: io.stdin ?? (async () => ""),
        out: io.out,
        err: io.err,
      }),
    );
  if (first === "apply" || first === "import") {
    if (more.includes("--help") || more.includes("-h")) {
      io.out(first === "apply" ? APPLY_USAGE : IMPORT_USAGE);
      return 0;
    }
    const command = first === "apply" ? applyCommand : importCommand;
    return runTableCommand(globals, io, (table, readFile) =>
      command(more, { ...table, readFile, out: io.out, err: io.err }),
    );
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        endpoints: { type: "string" },
        output: { type: "string", short: "o" },
        "timeout-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
        peer: { type: "string" },
        client: { type: "string" },
        "no-promote": { type: "boolean" },
        "wait-ms": { type: "string" },
        serializable: { type: "boolean" },
        out: { type: "string" },
        "ca-dir": { type: "string" },
        id: { type: "string" },
        host: { type: "string" },
        days: { type: "string" },
        token: { type: "string" },
        cacert: { type: "string" },
        cert: { type: "string" },
        key: { type: "string" },
      },
    });
  } catch (err) {
    io.err(`raftvsctl: ${(err as Error).message}\n\n${HELP[""]}`);
    return 2;
  }
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  const [command, ...args] = parsed.positionals;
  if (flags.help || command === undefined || command === "help") {
    const topic = command === "help" ? (args[0] ?? "") : (command ?? "");
    io.out(HELP[topic] ?? HELP[""]!);
    return command === undefined && !flags.help ? 2 : 0;
  }
  const format = (flags.output ?? "table") as OutputFormat;
  if (format !== "table" && format !== "json" && format !== "yaml") {
    io.err(`raftvsctl: -o must be table, json or yaml (got ${JSON.stringify(format)})`);
    return 2;
  }
  const timeoutRaw = (flags["timeout-ms"] as string | undefined) ?? "5000";
  if (!/^\d+$/.test(timeoutRaw) || Number(timeoutRaw) <= 0) {
    io.err(`raftvsctl: --timeout-ms must be a positive integer (got ${JSON.stringify(timeoutRaw)})`);
    return 2;
  }
  const endpoints = endpointList(flags.endpoints as string | undefined, io.env);
  let auth: ClientCredentialsOptions;
  try {
    auth = clientCredentials(flags, io.env);
  } catch (err) {
    io.err(`raftvsctl: ${(err as Error).message}`);
    return 2;
  }
  const client = new AdminClient(endpoints, Number(timeoutRaw), auth);
  const ctx: CommandContext = { client, format, print: io.out };
  try {
    switch (command) {
      case "status":
        await statusCommand(ctx);
        break;
      case "member":
        await memberCommand(ctx, args, flags);
        break;
      case "leader":
        await leaderCommand(ctx, args);
        break;
      case "snapshot":
        await snapshotCommand(ctx, args);
        break;
      case "kv":
        await kvCommand(ctx, args, flags);
        break;
      case "cert":
        await certCommand(ctx, args, flags);
        break;
      case "service":
        await serviceCommand(ctx, tableClient(client), args, format as ListFormat);
        break;
      case "get":
        await serviceCommand(ctx, tableClient(client), ["list"], format as ListFormat);
        break;
      case "completion":
        io.out(completionScript(args[0]));
        break;
      default:
        throw new CtlError(`unknown command ${JSON.stringify(command)}; see raftvsctl --help`, 2);
    }
    return 0;
  } catch (err) {
    if (err instanceof CtlError) {
      io.err(`raftvsctl: ${err.message}`);
      return err.exitCode;
    }
    io.err(`raftvsctl: ${(err as Error).message}`);
    return 1;
  } finally {
    client.close();
  }
}
