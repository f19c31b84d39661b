// The two 3-member clusters under test, behind one interface: start, find the leader, kill -9 a
// member by PID, restart it on its data and wait until it has caught up, stop.
//  - raftvs: LocalCluster (raftvsd processes) with data in a temp dir, default flags.
//  - etcd: Debian's etcd 3.4 as child processes, data in a temp dir, default fsync and timeouts.

import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import { Etcd3 } from "etcd3";
import { LocalCluster } from "../../internal/launcher/index.ts";
import { passThrough, type SystemName } from "./clients.ts";

export interface BenchCluster {
  readonly system: SystemName;
  /** Client endpoints, host:port, member i+1 at index i. */
  readonly endpoints: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** PIDs of the running members (for CPU accounting and profiling). */
  pids(): Map<number, number>;
  /** The member that reports itself leader (asked of every running member), if any. */
  leader(): Promise<number | undefined>;
  /** The highest Raft term any running member reports (elections between two readings). */
  term(): Promise<number>;
  /** kill -9 by PID; resolves when the process is gone. */
  kill(id: number): Promise<void>;
  /** Starts a killed member again on its data. */
  restart(id: number): Promise<void>;
  /** True once the member answers, follows a leader and has applied what the leader committed. */
  caughtUp(id: number): Promise<boolean>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when a TCP port on 127.0.0.1 can be bound (it is free), rejects otherwise. */
export function checkPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", (err) =>
      reject(new Error(`port ${port} is in use (${(err as Error).message}); try --port-base`)),
    );
    s.listen(port, "127.0.0.1", () => s.close(() => resolve()));
  });
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

// ---- raftvs ----

export class RaftvsCluster implements BenchCluster {
  readonly system = "raftvs" as const;
  readonly endpoints: string[];
  readonly #cluster: LocalCluster;
  readonly #log: WriteStream;

  constructor(dataRoot: string, portBase: number) {
    mkdirSync(dataRoot, { recursive: true });
    this.#log = createWriteStream(join(dataRoot, "raftvsd.log"));
    this.#cluster = new LocalCluster({
      nodes: 3,
      dataRoot,
      clusterId: "raftvs-bench",
      host: "127.0.0.1",
      basePeerPort: portBase,
      baseClientPort: portBase + 10,
      onLog: (l) =>
        this.#log.write(`${JSON.stringify({ node: l.node, level: l.level, msg: l.msg, ...l.fields })}\n`),
    });
    this.endpoints = this.#cluster.plans.map((p) => p.client);
  }

  async start(): Promise<void> {
    this.#cluster.startAll();
    await this.#cluster.waitForLeader(60_000);
  }

  async stop(): Promise<void> {
    await this.#cluster.stopAll(10_000);
    await new Promise<void>((r) => this.#log.end(r));
  }

  pids(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [id, p] of this.#cluster.procs)
      if (p.child.exitCode === null && p.child.signalCode === null) out.set(id, p.pid);
    return out;
  }

  async leader(): Promise<number | undefined> {
    for (const id of this.pids().keys()) {
      const s = await this.#cluster.status(id);
      if (s?.role === "leader") return id;
    }
    return undefined;
  }

  async term(): Promise<number> {
    let t = 0;
    for (const id of this.pids().keys()) t = Math.max(t, (await this.#cluster.status(id))?.term ?? 0);
    return t;
  }

  async kill(id: number): Promise<void> {
    const p = this.#cluster.procs.get(id);
    if (!p) throw new Error(`raftvs: no member ${id}`);
    process.kill(p.pid, "SIGKILL");
    await p.exited;
  }

  async restart(id: number): Promise<void> {
    this.#cluster.start(this.#cluster.plans[id - 1]!);
  }

  async caughtUp(id: number): Promise<boolean> {
    const s = await this.#cluster.status(id);
    if (s?.role !== "follower" || s.leader === 0) return false;
    const l = await this.#cluster.status(s.leader);
    return l !== undefined && l.role === "leader" && s.appliedIndex >= l.commitIndex;
  }
}

// ---- etcd ----

/** The etcd binary: an explicit path, or `etcd` found on PATH; undefined when there is none. */
export function findEtcd(explicit: string | undefined): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const f = join(dir, "etcd");
    if (dir && existsSync(f)) return f;
  }
  return undefined;
}

interface EtcdMember {
  id: number;
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  proc?: ChildProcess;
  exited?: Promise<void>;
  status: Etcd3;
}

export class EtcdCluster implements BenchCluster {
  readonly system = "etcd" as const;
  readonly endpoints: string[];
  readonly #bin: string;
  readonly #members: EtcdMember[];
  readonly #initialCluster: string;
  readonly #log: WriteStream;

  constructor(bin: string, dataRoot: string, portBase: number) {
    this.#bin = bin;
    mkdirSync(dataRoot, { recursive: true });
    this.#log = createWriteStream(join(dataRoot, "etcd.log"));
    this.#members = [1, 2, 3].map((id) => {
      const clientUrl = `http://127.0.0.1:${portBase + 20 + id - 1}`;
      return {
        id,
        name: `m${id}`,
        clientUrl,
        peerUrl: `http://127.0.0.1:${portBase + 30 + id - 1}`,
        dataDir: join(dataRoot, `m${id}`),
        status: new Etcd3({
          hosts: clientUrl,
          faultHandling: { global: passThrough, host: () => passThrough },
        }),
      };
    });
    this.#initialCluster = this.#members.map((m) => `${m.name}=${m.peerUrl}`).join(",");
    this.endpoints = this.#members.map((m) => m.clientUrl.replace("http://", ""));
  }

  #spawn(m: EtcdMember): void {
    // biome-ignore format: flag/value pairs
    const args = [
      "--name", m.name,
      "--data-dir", m.dataDir,
      "--listen-client-urls", m.clientUrl,
      "--advertise-client-urls", m.clientUrl,
      "--listen-peer-urls", m.peerUrl,
      "--initial-advertise-peer-urls", m.peerUrl,
      "--initial-cluster", this.#initialCluster,
      "--initial-cluster-state", "new",
      "--initial-cluster-token", "raftvs-bench",
      "--logger", "zap",
      "--log-level", "warn",
    ];
    const child = spawn(this.#bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    const tag = `[m${m.id}] `;
    child.stdout?.on("data", (b: Buffer) => this.#log.write(tag + b.toString()));
    child.stderr?.on("data", (b: Buffer) => this.#log.write(tag + b.toString()));
    m.proc = child;
    m.exited = new Promise((resolve) => child.once("exit", () => resolve()));
  }

  async start(): Promise<void> {
    for (const m of this.#members) this.#spawn(m);
    await waitFor("etcd leader", 60_000, async () => (await this.leader()) !== undefined);
  }

  async stop(): Promise<void> {
    for (const m of this.#members) m.status.close();
    await Promise.all(
      this.#members.map(async (m) => {
        if (!m.proc || m.proc.exitCode !== null || m.proc.signalCode !== null) return;
        process.kill(m.proc.pid!, "SIGTERM");
        const t = setTimeout(() => m.proc?.pid && process.kill(m.proc.pid, "SIGKILL"), 10_000);
        await m.exited;
        clearTimeout(t);
      }),
    );
    await new Promise<void>((r) => this.#log.end(r));
  }

  #running(m: EtcdMember): boolean {
    return m.proc !== undefined && m.proc.exitCode === null && m.proc.signalCode === null;
  }

  pids(): Map<number, number> {
    const out = new Map<number, number>();
    for (const m of this.#members) if (this.#running(m) && m.proc?.pid) out.set(m.id, m.proc.pid);
    return out;
  }

  async #status(m: EtcdMember) {
    try {
      return await m.status.maintenance.status({ deadline: Date.now() + 1000 });
    } catch {
      return undefined;
    }
  }

  async leader(): Promise<number | undefined> {
    for (const m of this.#members) {
      if (!this.#running(m)) continue;
      const s = await this.#status(m);
      if (s && s.leader !== "0" && s.leader === s.header.member_id) return m.id;
    }
    return undefined;
  }

  async term(): Promise<number> {
    let t = 0;
    for (const m of this.#members) {
      if (!this.#running(m)) continue;
      const s = await this.#status(m);
      if (s) t = Math.max(t, Number(s.raftTerm));
    }
    return t;
  }

  async kill(id: number): Promise<void> {
    const m = this.#members[id - 1];
    if (!m?.proc?.pid) throw new Error(`etcd: no member ${id}`);
    process.kill(m.proc.pid, "SIGKILL");
    await m.exited;
  }

  async restart(id: number): Promise<void> {
    this.#spawn(this.#members[id - 1]!);
  }

  async caughtUp(id: number): Promise<boolean> {
    const m = this.#members[id - 1]!;
    const s = await this.#status(m);
    if (!s || s.leader === "0" || s.leader === s.header.member_id) return false;
    const leaderId = await this.leader();
    if (leaderId === undefined) return false;
    const l = await this.#status(this.#members[leaderId - 1]!);
    return l !== undefined && BigInt(s.raftIndex) >= BigInt(l.raftIndex);
  }
}

export { sleep, waitFor };
