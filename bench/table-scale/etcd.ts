// The peer: the same workload on a 3-member etcd cluster (Debian's etcd, child processes on free
// loopback ports, data in the temp dir). Each service is one key holding its JSON; a transaction
// is one etcd Txn of puts on the leader; a weight change is one Put of the service's new JSON (etcd
// has no partial update); every member is watched on the key prefix through its own client.

import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from "node:fs";
import { delimiter, join } from "node:path";
import { Etcd3, type IOptions, type IRequestOp, type IWatchResponse, type Watcher } from "etcd3";
import type { services } from "../../internal/state/index.ts";
import { freePortRun } from "./ports.ts";
import type { TableSystem, Workload } from "./run.ts";
import type { SeenOnAll } from "./seen.ts";
import { addOps, type TableOp } from "./workload.ts";

const PREFIX = "/raftvs/services/";
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const ETCD_DEFAULT_MAX_TXN_OPS = 128;
const ETCD_DEFAULT_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

/** The etcd binary: the given path, or `etcd` on PATH; undefined when there is none. */
export function findEtcd(explicit: string | undefined): string | undefined {
  if (explicit !== undefined) return existsSync(explicit) ? explicit : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "etcd"))) return join(dir, "etcd");
  }
  return undefined;
}

type Policy = NonNullable<NonNullable<IOptions["faultHandling"]>["global"]>;

/** A policy (cockatiel's shape, as etcd3 takes it) that makes each call once. */
const callOnce = {
  execute: <T>(fn: (ctx: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> =>
    Promise.resolve().then(() => fn({ signal: new AbortController().signal })),
} as unknown as Policy;

function keyOfSpec(s: services.ServiceSpec): string {
  return `${s.protocol}/${s.vip}:${s.port}`;
}

interface Member {
  id: number;
  name: string;
  clientUrl: string;
  peerUrl: string;
  proc?: ChildProcess;
  exited?: Promise<void>;
  client: Etcd3;
}

/** One etcd request: a Txn of puts and deletes, or a single Put. */
type Prepared = { txn: IRequestOp[] } | { put: { key: Buffer; value: Buffer } };

export interface EtcdOptions {
  bin: string;
  dataRoot: string;
  workload: Workload;
}

export class EtcdSystem implements TableSystem {
  readonly name = "etcd";
  readonly #members: Member[];
  readonly #log: WriteStream;
  readonly #watchers: Watcher[] = [];
  /** The services as the client last wrote them (read-modify-write of one weight needs them). */
  readonly #table = new Map<string, services.ServiceSpec>();
  #leader = 0;
  #stopping = false;
  /** The etcd3 client retries by itself; this stays 0. */
  readonly retries = 0;
  readonly flagNote: string;

  private constructor(members: Member[], log: WriteStream, flagNote: string) {
    this.#members = members;
    this.#log = log;
    this.flagNote = flagNote;
  }

  static async start(opts: EtcdOptions): Promise<EtcdSystem> {
    mkdirSync(opts.dataRoot, { recursive: true });
    const log = createWriteStream(join(opts.dataRoot, "etcd.log"));
    const base = await freePortRun(6);
    const clientOptions = (hosts: string): IOptions => ({
      hosts,
      grpcOptions: { "grpc.max_receive_message_length": MAX_MESSAGE_BYTES },
      // No retries or circuit breaker: polling members while they start would open the breaker.
      faultHandling: { global: callOnce, host: () => callOnce },
    });
    const members: Member[] = [1, 2, 3].map((id) => {
      const clientUrl = `http://127.0.0.1:${base + id - 1}`;
      return {
        id,
        name: `m${id}`,
        clientUrl,
        peerUrl: `http://127.0.0.1:${base + 2 + id}`,
        client: new Etcd3(clientOptions(clientUrl)),
      };
    });
    // The defaults refuse Txns of more than 128 ops or 1.5 MiB: raise them to fit the workload's.
    const w = opts.workload;
    const maxTxnOps = Math.max(ETCD_DEFAULT_MAX_TXN_OPS, Math.min(w.txnSize, w.services));
    const sample = addOps(0, Math.min(w.txnSize, w.services), w.serversPerService);
    const sampleBytes = sample.reduce(
      (n, op) => n + (op.op === "service.add" ? 64 + JSON.stringify(op.service).length : 0),
      0,
    );
    const maxRequestBytes = Math.max(ETCD_DEFAULT_MAX_REQUEST_BYTES, Math.ceil(sampleBytes * 1.25));
    const changed: string[] = [];
    if (maxTxnOps !== ETCD_DEFAULT_MAX_TXN_OPS) changed.push(`--max-txn-ops ${maxTxnOps}`);
    if (maxRequestBytes !== ETCD_DEFAULT_MAX_REQUEST_BYTES)
      changed.push(`--max-request-bytes ${maxRequestBytes}`);
    const sys = new EtcdSystem(members, log, changed.length > 0 ? changed.join(" ") : "none");
    const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(",");
    for (const m of members) {
      // biome-ignore format: flag/value pairs
      const args = [
        "--name", m.name,
        "--data-dir", join(opts.dataRoot, m.name),
        "--listen-client-urls", m.clientUrl,
        "--advertise-client-urls", m.clientUrl,
        "--listen-peer-urls", m.peerUrl,
        "--initial-advertise-peer-urls", m.peerUrl,
        "--initial-cluster", initialCluster,
        "--initial-cluster-state", "new",
        "--initial-cluster-token", "table-scale",
        "--max-txn-ops", String(maxTxnOps),
        "--max-request-bytes", String(maxRequestBytes),
        "--logger", "zap",
        "--log-level", "warn",
      ];
      const child = spawn(opts.bin, args, { stdio: ["ignore", "pipe", "pipe"] });
      child.stdout?.on("data", (b: Buffer) => log.write(`[${m.name}] ${b.toString()}`));
      child.stderr?.on("data", (b: Buffer) => log.write(`[${m.name}] ${b.toString()}`));
      m.proc = child;
      m.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    }
    try {
      sys.#leader = await sys.#waitLeader(60_000);
    } catch (err) {
      await sys.stop();
      throw err;
    }
    return sys;
  }

  async #findLeader(): Promise<number | undefined> {
    for (const m of this.#members) {
      try {
        const s = await m.client.maintenance.status({ deadline: Date.now() + 1000 });
        if (s.leader !== "0" && s.leader === s.header.member_id) return m.id;
      } catch {
        // not up yet
      }
    }
    return undefined;
  }

  get leader(): number {
    return this.#leader;
  }

  async term(): Promise<number> {
    let t = 0;
    for (const m of this.#members) {
      const s = await m.client.maintenance.status({ deadline: Date.now() + 5000 });
      t = Math.max(t, Number(s.raftTerm));
    }
    return t;
  }

  async refreshLeader(): Promise<number> {
    this.#leader = await this.#waitLeader(30_000);
    return this.#leader;
  }

  async #waitLeader(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const l = await this.#findLeader();
      if (l !== undefined) return l;
      if (Date.now() > deadline) throw new Error(`etcd: no leader within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async version(): Promise<string> {
    const s = await this.#members[0]!.client.maintenance.status();
    return `etcd ${s.version}`;
  }

  pids(): number[] {
    return this.#members.map((m) => m.proc?.pid ?? -1);
  }

  async watch(seen: SeenOnAll): Promise<void> {
    for (const [i, m] of this.#members.entries()) {
      const s = await m.client.maintenance.status();
      const from = BigInt(s.header.revision) + 1n;
      const w = await m.client.watch().prefix(PREFIX).startRevision(String(from)).create();
      w.on("data", (res: IWatchResponse) => {
        const at = performance.now();
        let rev = 0;
        for (const e of res.events) rev = Math.max(rev, Number(e.kv.mod_revision));
        if (rev > 0) seen.record(i, rev, at);
      });
      w.on("error", (err: Error) => {
        if (!this.#stopping) seen.fail(new Error(`etcd: member ${m.id}'s watch failed: ${err.message}`));
      });
      this.#watchers.push(w);
    }
  }

  prepare(ops: TableOp[]): Prepared {
    const req: IRequestOp[] = [];
    for (const op of ops) {
      switch (op.op) {
        case "service.add": {
          const key = keyOfSpec(op.service);
          this.#table.set(key, op.service);
          req.push({
            request_put: { key: Buffer.from(PREFIX + key), value: Buffer.from(JSON.stringify(op.service)) },
          });
          break;
        }
        case "server.edit": {
          const svc = this.#table.get(op.service);
          if (!svc) throw new Error(`etcd: no service ${op.service} in the client's table`);
          const next = {
            ...svc,
            realServers: (svc.realServers ?? []).map((rs) =>
              rs.address === op.server.address && rs.port === op.server.port ? { ...rs, ...op.server } : rs,
            ),
          };
          this.#table.set(op.service, next);
          req.push({
            request_put: { key: Buffer.from(PREFIX + op.service), value: Buffer.from(JSON.stringify(next)) },
          });
          break;
        }
        case "service.delete":
          this.#table.delete(op.key);
          req.push({ request_delete_range: { key: Buffer.from(PREFIX + op.key) } });
          break;
        default:
          throw new Error(`etcd: op ${op.op} is not part of this workload`);
      }
    }
    const only = req[0]?.request_put;
    if (req.length === 1 && only?.key && only.value) return { put: { key: only.key, value: only.value } };
    return { txn: req };
  }

  async apply(prepared: unknown): Promise<number> {
    const kv = this.#members[this.#leader - 1]!.client.kv;
    const p = prepared as Prepared;
    const res = "put" in p ? await kv.put(p.put) : await kv.txn({ success: p.txn });
    return Number(res.header.revision);
  }

  warmupOps(): [TableOp[], TableOp[]] {
    const service: services.ServiceSpec = {
      protocol: "tcp",
      vip: "198.51.100.1",
      port: 9,
      scheduler: "rr",
      realServers: [{ address: "198.51.100.2", port: 9, weight: 1 }],
    };
    return [[{ op: "service.add", service }], [{ op: "service.delete", key: "tcp/198.51.100.1:9" }]];
  }

  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    await Promise.all(this.#watchers.map((w) => w.cancel().catch(() => undefined)));
    for (const m of this.#members) m.client.close();
    await Promise.all(
      this.#members.map(async (m) => {
        if (!m.proc || m.proc.exitCode !== null || m.proc.signalCode !== null) return;
        m.proc.kill("SIGTERM");
        const t = setTimeout(() => m.proc?.kill("SIGKILL"), 10_000);
        await m.exited;
        clearTimeout(t);
      }),
    );
    await new Promise<void>((r) => this.#log.end(r));
  }
}
