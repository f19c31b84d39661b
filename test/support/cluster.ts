// A cluster of real raftvsd processes on loopback for one test: free ports per node, data under a
// fresh temp folder, every log line kept, and everything (processes by PID, folder) removed at
// teardown. Built on the launcher's NodeProcess; unlike LocalCluster its ports need not be
// consecutive, and nodes can be stopped, killed and restarted one by one.

import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import {
  initialClusterFlag,
  type LogLine,
  type NodePlan,
  NodeProcess,
} from "../../internal/launcher/index.ts";
import { Api, definitelyNotApplied, type GetResult, type NodeStatus } from "./api.ts";
import { trackChild } from "./children.ts";
import { freePorts } from "./ports.ts";
import { sleep, waitFor } from "./wait.ts";

/** Fast Raft timing for tests (also the daemon's defaults, stated so a default change shows). */
export const FAST_ARGS = ["--tick-ms", "10", "--election-ticks", "15", "--heartbeat-ticks", "3"];

export interface TimedLogLine extends LogLine {
  /** performance.now() when the line arrived. */
  at: number;
}

/** Registers a spawned raftvsd so that teardown (or the worker's exit) kills it by PID. */
export function track(t: ExecutionContext, p: NodeProcess): NodeProcess {
  trackChild(t, p.child, p.exited);
  return p;
}

/** A temp folder `raftvs-it-*`, removed at teardown. */
export function tempDir(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), "raftvs-it-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface ItClusterOptions {
  /** Initial members, ids 1..nodes. */
  nodes: number;
  /** Ids after the initial ones to reserve ports for (nodes that join later). */
  spares?: number;
  clusterId?: string;
  /** Flags for every node (after FAST_ARGS). */
  extraArgs?: string[];
  /** Flags for one node (after extraArgs), e.g. its TLS files. */
  argsFor?: (id: number) => string[];
  /** Client deadline of `api` calls. */
  timeoutMs?: number;
  /** Write the node logs to a file when the test fails (default true; off for `.failing` tests). */
  dumpLogsOnFailure?: boolean;
}

export class ItCluster {
  readonly t: ExecutionContext;
  readonly dir: string;
  readonly clusterId: string;
  readonly initialIds: number[];
  readonly plans = new Map<number, NodePlan>();
  readonly procs = new Map<number, NodeProcess>();
  readonly logs: TimedLogLine[] = [];
  readonly api: Api;

  private constructor(t: ExecutionContext, opts: ItClusterOptions, ports: number[]) {
    this.t = t;
    this.dir = tempDir(t);
    this.clusterId = opts.clusterId ?? "raftvs-it";
    this.api = new Api(opts.timeoutMs ?? 3000);
    const total = opts.nodes + (opts.spares ?? 0);
    const members = Array.from({ length: total }, (_, i) => ({
      id: i + 1,
      peer: `127.0.0.1:${ports[2 * i]}`,
      client: `127.0.0.1:${ports[2 * i + 1]}`,
    }));
    this.initialIds = members.slice(0, opts.nodes).map((m) => m.id);
    const initial = initialClusterFlag(members.slice(0, opts.nodes));
    for (const m of members) {
      this.plans.set(m.id, {
        ...m,
        clusterId: this.clusterId,
        dataDir: join(this.dir, `node-${m.id}`),
        // A joiner starts empty and reaches the initial members until it is sent the directory.
        initialCluster: initial,
        ...(m.id > opts.nodes ? { join: true } : {}),
        extraArgs: [...FAST_ARGS, ...(opts.extraArgs ?? []), ...(opts.argsFor?.(m.id) ?? [])],
      });
    }
    t.teardown(() => {
      this.api.close();
      if (!t.passed && opts.dumpLogsOnFailure !== false) this.#dumpLogs();
    });
  }

  /** Plans the cluster (ports picked now); nothing runs until start/startAll. */
  static async create(t: ExecutionContext, opts: ItClusterOptions): Promise<ItCluster> {
    const total = opts.nodes + (opts.spares ?? 0);
    return new ItCluster(t, opts, await freePorts(2 * total));
  }

  plan(id: number): NodePlan {
    const p = this.plans.get(id);
    if (!p) throw new Error(`no plan for node ${id}`);
    return p;
  }

  /** Makes joiner `id` start out knowing only the members `reach` (its --initial-cluster). */
  setJoinTargets(id: number, reach: number[]): void {
    this.plan(id).initialCluster = initialClusterFlag(reach.map((r) => this.plan(r)));
  }

  endpoint(id: number): string {
    return this.plan(id).client;
  }

  endpoints(ids: number[] = this.runningIds()): string[] {
    return ids.map((id) => this.endpoint(id));
  }

  /** Ids whose process is running (started and not exited). */
  runningIds(): number[] {
    return [...this.procs.entries()]
      .filter(([, p]) => p.child.exitCode === null && p.child.signalCode === null)
      .map(([id]) => id)
      .sort((a, b) => a - b);
  }

  /** Starts node `id` (again) from its plan and data dir; a previous process must have exited. */
  start(id: number): NodeProcess {
    const plan = this.plan(id);
    const old = this.procs.get(id);
    if (old && old.child.exitCode === null && old.child.signalCode === null)
      throw new Error(`node ${id} is still running (pid ${old.pid})`);
    mkdirSync(plan.dataDir, { recursive: true });
    const p = new NodeProcess(plan, (line) => this.logs.push({ ...line, at: performance.now() }));
    track(this.t, p);
    this.procs.set(id, p);
    return p;
  }

  startAll(ids: number[] = this.initialIds): void {
    for (const id of ids) this.start(id);
  }

  /** SIGTERM, SIGKILL after graceMs; resolves with the exit code or signal. */
  stop(id: number, graceMs = 10_000): Promise<number | string> {
    const p = this.procs.get(id);
    if (!p) throw new Error(`node ${id} was never started`);
    return p.stop(graceMs);
  }

  /** kill -9. */
  kill(id: number): Promise<number | string> {
    const p = this.procs.get(id);
    if (!p) throw new Error(`node ${id} was never started`);
    return p.kill();
  }

  async status(id: number, timeoutMs = 1000): Promise<NodeStatus | undefined> {
    return this.api.tryStatus(this.endpoint(id), timeoutMs);
  }

  async statuses(ids: number[] = this.runningIds()): Promise<Map<number, NodeStatus | undefined>> {
    const rows = await Promise.all(ids.map(async (id) => [id, await this.status(id)] as const));
    return new Map(rows);
  }

  /**
   * Waits until one of `ids` reports itself leader and every answering node of `ids` agrees on
   * it (same leader); returns its id.
   */
  async waitForLeader(timeoutMs = 20_000, ids: number[] = this.runningIds()): Promise<number> {
    let leader = 0;
    await waitFor(
      async () => {
        const st = [...(await this.statuses(ids)).values()].filter((s): s is NodeStatus => s !== undefined);
        const self = st.filter((s) => s.role === "leader").sort((a, b) => b.term - a.term)[0];
        if (!self || !ids.includes(self.id)) return false;
        if (!st.every((s) => s.leader === self.id)) return false;
        leader = self.id;
        return true;
      },
      timeoutMs,
      `a leader among nodes ${ids.join(",")}`,
      50,
    );
    return leader;
  }

  /**
   * Waits until every node of `ids` answers Status and all report the same leader and term,
   * unchanged for `stableMs` (slow starters can cause an election or two first).
   */
  async waitServing(ids: number[] = this.runningIds(), timeoutMs = 30_000, stableMs = 300): Promise<void> {
    let seen = "";
    let since = 0;
    await waitFor(
      async () => {
        const st = [...(await this.statuses(ids)).values()];
        const views = new Set(st.map((s) => (s && s.leader !== 0 ? `${s.leader}@${s.term}` : "none")));
        const view = views.size === 1 && !views.has("none") ? [...views][0]! : "";
        if (view !== seen) {
          seen = view;
          since = performance.now();
        }
        return view !== "" && performance.now() - since >= stableMs;
      },
      timeoutMs,
      `nodes ${ids.join(",")} serving with one stable leader`,
      50,
    );
  }

  /**
   * Waits until every node of `ids` reports the same appliedIndex and stateHash (and at least
   * `minApplied`); returns those statuses.
   */
  async waitConverged(
    ids: number[] = this.runningIds(),
    timeoutMs = 20_000,
    minApplied = 0,
  ): Promise<NodeStatus[]> {
    let last: NodeStatus[] = [];
    await waitFor(
      async () => {
        const st = [...(await this.statuses(ids)).values()];
        if (st.some((s) => s === undefined)) return false;
        last = st as NodeStatus[];
        const first = last[0]!;
        return (
          first.appliedIndex >= minApplied &&
          last.every((s) => s.appliedIndex === first.appliedIndex && s.stateHash === first.stateHash)
        );
      },
      timeoutMs,
      () =>
        `nodes ${ids.join(",")} converged; last seen: ${last
          .map((s) => `${s.id}: applied ${s.appliedIndex} hash ${s.stateHash.slice(0, 8)}`)
          .join(", ")}`,
      100,
    );
    return last;
  }

  /** Log lines of one node (or all), optionally matching a message pattern. */
  logsOf(id: number | undefined, msg?: RegExp): TimedLogLine[] {
    return this.logs.filter((l) => (id === undefined || l.node === id) && (!msg || msg.test(l.msg)));
  }

  /** A Get retried (bounded) through `ids` in turn while the cluster elects or a node restarts. */
  async getRetry(
    key: string,
    ids: number[] = this.runningIds(),
    opts: { serializable?: boolean; deadlineMs?: number } = {},
  ): Promise<GetResult> {
    const until = performance.now() + (opts.deadlineMs ?? 15_000);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.api.get(this.endpoint(ids[attempt % ids.length]!), key, opts);
      } catch (err) {
        if (performance.now() > until) throw err;
        await sleep(50);
      }
    }
  }

  /**
   * A put that is retried (bounded) while the cluster elects or a node restarts; with
   * `onlyIfNotApplied`, only after errors that prove the put did not take effect (so it is
   * never applied twice). Returns its revision and the number of attempts.
   */
  async putRetry(
    key: string,
    value: string,
    ids: number[] = this.runningIds(),
    opts: { deadlineMs?: number; onlyIfNotApplied?: boolean } = {},
  ): Promise<{ revision: number; attempts: number }> {
    const until = performance.now() + (opts.deadlineMs ?? 15_000);
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.api.put(this.endpoint(ids[attempt % ids.length]!), key, value);
        return { revision: r.revision, attempts: attempt + 1 };
      } catch (err) {
        if (performance.now() > until || (opts.onlyIfNotApplied && !definitelyNotApplied(err))) throw err;
        await sleep(50);
      }
    }
  }

  #dumpLogs(): void {
    const file = join(tmpdir(), `raftvs-it-failed-${process.pid}-${Date.now()}.log`);
    for (const l of this.logs)
      appendFileSync(
        file,
        `${l.at.toFixed(0)} [node ${l.node}] ${l.level} ${l.msg} ${JSON.stringify(l.fields)}\n`,
      );
    for (const [id, p] of this.procs) if (p.stderr) appendFileSync(file, `[node ${id} stderr] ${p.stderr}\n`);
    process.stderr.write(`raftvs integration test "${this.t.title}" failed; node logs in ${file}\n`);
  }
}
