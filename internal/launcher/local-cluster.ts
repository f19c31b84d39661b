// A local cluster of raftvsd processes on loopback, all data under one folder: starts them,
// waits for a leader, and stops them together. Used by `npm start` and the integration tests.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AdminClient } from "../ctl/index.ts";
import { initialClusterFlag, type LogLine, type NodePlan, NodeProcess } from "./node-process.ts";

export interface LocalClusterOptions {
  nodes: number;
  dataRoot: string;
  clusterId: string;
  host: string;
  basePeerPort: number;
  baseClientPort: number;
  extraArgs?: string[];
  onLog: (line: LogLine) => void;
}

export interface StatusRow {
  id: number;
  role: string;
  term: number;
  leader: number;
  commitIndex: number;
  appliedIndex: number;
  stateHash: string;
}

export class LocalCluster {
  readonly opts: LocalClusterOptions;
  readonly plans: NodePlan[];
  readonly procs = new Map<number, NodeProcess>();
  readonly client: AdminClient;

  constructor(opts: LocalClusterOptions) {
    this.opts = opts;
    const members = Array.from({ length: opts.nodes }, (_, i) => ({
      id: i + 1,
      peer: `${opts.host}:${opts.basePeerPort + i}`,
      client: `${opts.host}:${opts.baseClientPort + i}`,
    }));
    const initial = initialClusterFlag(members);
    this.plans = members.map((m) => ({
      ...m,
      clusterId: opts.clusterId,
      dataDir: join(opts.dataRoot, `node-${m.id}`),
      initialCluster: initial,
      ...(opts.extraArgs ? { extraArgs: opts.extraArgs } : {}),
    }));
    this.client = new AdminClient(
      members.map((m) => m.client),
      2000,
    );
  }

  /** The plan for an extra node that will join (ids after the initial ones). */
  planJoiner(id: number): NodePlan {
    const i = id - 1;
    return {
      id,
      clusterId: this.opts.clusterId,
      dataDir: join(this.opts.dataRoot, `node-${id}`),
      peer: `${this.opts.host}:${this.opts.basePeerPort + i}`,
      client: `${this.opts.host}:${this.opts.baseClientPort + i}`,
      initialCluster: this.plans[0]!.initialCluster,
      join: true,
      ...(this.opts.extraArgs ? { extraArgs: this.opts.extraArgs } : {}),
    };
  }

  start(plan: NodePlan): NodeProcess {
    mkdirSync(plan.dataDir, { recursive: true });
    const p = new NodeProcess(plan, this.opts.onLog);
    this.procs.set(plan.id, p);
    return p;
  }

  startAll(): void {
    for (const plan of this.plans) this.start(plan);
  }

  async status(id: number): Promise<StatusRow | undefined> {
    const p = this.procs.get(id);
    if (!p) return undefined;
    try {
      return await this.client.callAt<StatusRow>(p.plan.client, "Cluster", "Status", {});
    } catch {
      return undefined;
    }
  }

  /** Waits until a running node reports itself leader; returns its id. */
  async waitForLeader(timeoutMs: number, exclude: number[] = []): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const id of this.procs.keys()) {
        if (exclude.includes(id)) continue;
        const s = await this.status(id);
        if (s?.role === "leader") return id;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no leader within ${timeoutMs} ms`);
  }

  async stopAll(graceMs = 10_000): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.stop(graceMs)));
    this.client.close();
  }
}
