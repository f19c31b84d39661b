// The ipvsadm-compatible mode end to end: parse, then list/save through an injected table client
// or apply the command's ops (a restore as one transaction), with raftvsctl's exit codes
// (0 ok, 2 bad usage, 6 no such service to list; a failed apply exits with the client's code).

import type { VirtualService } from "../../state/services/index.ts";
import {
  formatConnections,
  formatList,
  formatSave,
  formatService,
  type TableStats,
  unsavedSettings,
} from "./format.ts";
import { IPVSADM_USAGE, parseIpvsadmArgs } from "./parse.ts";
import { commandToOps, type OpsResult, restoreToOps, type TableOp } from "./to-ops.ts";

export interface IpvsadmDeps {
  /** The whole table (a linearizable read in the real client). */
  list(): Promise<{ services: VirtualService[]; revision: number }>;
  /** Applies the ops as one transaction; throws on refusal (an `exitCode` on the error is used). */
  apply(ops: TableOp[]): Promise<{ revision: number }>;
  /** All of standard input (read only by -R). */
  stdin(): Promise<string>;
  /** Counters from the dataplane, when it reports them; without it every counter prints as 0. */
  stats?(): Promise<TableStats | undefined>;
  /** Writes text followed by a newline (like CtlIo.out); never called with an empty text. */
  out(text: string): void;
  /** Writes one message followed by a newline to stderr. */
  err(text: string): void;
}

/** Writes multi-line text (ending in "\n") through a line writer, or nothing at all when empty. */
function write(print: (text: string) => void, text: string): void {
  if (text !== "") print(text.endsWith("\n") ? text.slice(0, -1) : text);
}

/** Runs raftvsctl in ipvsadm-compatible mode; resolves to the exit code. */
export async function runIpvsadmMode(argv: readonly string[], deps: IpvsadmDeps): Promise<number> {
  const cmd = parseIpvsadmArgs(argv);
  if ("error" in cmd) {
    deps.err(`raftvsctl: ${cmd.error}`);
    return 2;
  }
  try {
    switch (cmd.command) {
      case "help":
        deps.out(IPVSADM_USAGE);
        return 0;
      case "list": {
        if (cmd.list.connection) {
          write(deps.out, formatConnections(cmd.list.persistentConn));
          return 0;
        }
        const { services } = await deps.list();
        const stats = deps.stats ? await deps.stats() : undefined;
        const format = { view: cmd.list.view, exact: cmd.list.exact, sort: cmd.list.sort };
        if (cmd.service) {
          const svc = services.find((s) => s.key === cmd.service!.key);
          if (!svc) {
            deps.err(`raftvsctl: No such service: ${cmd.service.key}`);
            return 6;
          }
          write(deps.out, formatService(svc, format, stats));
          return 0;
        }
        write(deps.out, formatList(services, format, stats));
        return 0;
      }
      case "save": {
        const { services } = await deps.list();
        write(deps.out, formatSave(services));
        for (const svc of services) {
          const lost = unsavedSettings(svc);
          if (lost.length > 0)
            deps.err(`raftvsctl: note: -S cannot express these settings of ${svc.key}: ${lost.join(", ")}`);
        }
        return 0;
      }
      case "restore": {
        const r = restoreToOps(await deps.stdin());
        if ("error" in r) {
          deps.err(`raftvsctl: -R: ${r.error} (nothing was applied)`);
          return 2;
        }
        return await applyOps(r, deps);
      }
      default: {
        const r = commandToOps(cmd);
        if ("error" in r) {
          deps.err(`raftvsctl: ${r.error}`);
          return 2;
        }
        return await applyOps(r, deps);
      }
    }
  } catch (err) {
    const e = err as { message?: string; exitCode?: unknown };
    deps.err(`raftvsctl: ${e.message ?? String(err)}`);
    return typeof e.exitCode === "number" ? e.exitCode : 1;
  }
}

async function applyOps(r: OpsResult, deps: IpvsadmDeps): Promise<number> {
  for (const w of r.warnings) deps.err(`raftvsctl: warning: ${w}`);
  // An empty restore input changes nothing (ipvsadm -R < /dev/null succeeds too).
  if (r.ops.length > 0) await deps.apply(r.ops);
  return 0;
}
