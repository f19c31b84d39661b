// Runs one raftvsd as a child process with flags built from a plan, streams its JSON log lines to
// a callback, and stops it gracefully (SIGTERM, then SIGKILL after a grace period) or at once.

import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const RAFTVSD = fileURLToPath(new URL("../../cmd/raftvsd/main.ts", import.meta.url));

export interface NodePlan {
  id: number;
  clusterId: string;
  dataDir: string;
  peer: string;
  client: string;
  /** "1=peer/client,...": the new cluster's members, or (with join) the existing ones to reach. */
  initialCluster: string;
  /** Start empty and wait to be added (`raftvsctl member add`). */
  join?: boolean;
  /** Extra raftvsd flags (e.g. ["--tick-ms", "10"]). */
  extraArgs?: string[];
}

export interface LogLine {
  node: number;
  level: number;
  msg: string;
  fields: Record<string, unknown>;
}

export class NodeProcess {
  readonly plan: NodePlan;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  stderr = "";

  constructor(plan: NodePlan, onLog: (line: LogLine) => void) {
    this.plan = plan;
    const args = [
      "--import",
      "tsx",
      RAFTVSD,
      "--id",
      String(plan.id),
      "--cluster-id",
      plan.clusterId,
      "--data-dir",
      plan.dataDir,
      "--listen-peer",
      plan.peer,
      "--listen-client",
      plan.client,
      "--log-pretty",
      "false",
      "--initial-cluster",
      plan.initialCluster,
      ...(plan.join ? ["--join", "true"] : []),
      ...(plan.extraArgs ?? []),
    ];
    this.child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    createInterface({ input: this.child.stdout! }).on("line", (text) => {
      try {
        const o = JSON.parse(text) as Record<string, unknown>;
        const { level, msg, time: _t, pid: _p, hostname: _h, node: _n, ...fields } = o;
        onLog({ node: plan.id, level: Number(level), msg: String(msg ?? ""), fields });
      } catch {
        onLog({ node: plan.id, level: 30, msg: text, fields: {} });
      }
    });
    this.child.stderr!.on("data", (b: Buffer) => {
      this.stderr += b.toString();
    });
    this.exited = new Promise((resolve) =>
      this.child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<number | string> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  /** kill -9. */
  kill(): Promise<number | string> {
    this.child.kill("SIGKILL");
    return this.exited;
  }
}

/** Builds the "1=peer/client,..." member list raftvsd takes for a new cluster. */
export function initialClusterFlag(plans: ReadonlyArray<Pick<NodePlan, "id" | "peer" | "client">>): string {
  return plans.map((p) => `${p.id}=${p.peer}/${p.client}`).join(",");
}
