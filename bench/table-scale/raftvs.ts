// raftvs under test: three raftvsd processes (LocalCluster, default flags) on free loopback ports
// with their data in a temp dir; transactions through Services.Apply on the leader, and one
// Services.Watch per node.

import { createWriteStream, existsSync, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type ClientReadableStream, credentials, type ServiceError, status } from "@grpc/grpc-js";
import { ServicesService } from "../../internal/admin/index.ts";
import { AdminClient } from "../../internal/ctl/client.ts";
import { opToChange } from "../../internal/ctl/table-client.ts";
import { LocalCluster, type StatusRow } from "../../internal/launcher/index.ts";
import type { Change } from "../../proto/gen/raftvs/v1/Change.ts";
import type { VirtualService as VirtualServiceProto } from "../../proto/gen/raftvs/v1/VirtualService.ts";
import type { WatchResponse__Output } from "../../proto/gen/raftvs/v1/WatchResponse.ts";
import { freePortRun } from "./ports.ts";
import type { TableSystem } from "./run.ts";
import type { SeenOnAll } from "./seen.ts";
import type { TableOp } from "./workload.ts";

/** The client port's limit (internal/admin/server.ts); a watch response can be as large as a batch. */
const WATCH_MAX_RECEIVE_BYTES = 64 * 1024 * 1024;
const APPLY_TIMEOUT_MS = 120_000;
/** Attempts of one transaction after elections, before the run gives up. */
const MAX_RETRIES = 20;
/** How long every node must agree on the leader before the bench starts. */
const STABLE_MS = 1_000;

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
const WATCH = ServicesService.service.Watch;

export interface RaftvsOptions {
  dataRoot: string;
  /** Profile the daemons (profile-hook.mjs) and write the profiles here. */
  profileDir?: string;
  /** Extra raftvsd flags. */
  extraArgs?: string[];
}

const PROFILE_HOOK = fileURLToPath(new URL("./profile-hook.mjs", import.meta.url));

export class RaftvsSystem implements TableSystem {
  readonly name = "raftvs";
  readonly #cluster: LocalCluster;
  readonly #client: AdminClient;
  readonly #log: WriteStream;
  readonly #watches: Array<ClientReadableStream<WatchResponse__Output>> = [];
  readonly #watchClients: InstanceType<typeof ServicesService>[] = [];
  #leader = 0;
  #maxTerm = 0;
  #stopping = false;
  /** Log lines worth reporting (leader changes, warnings), stamped in monotonic microseconds. */
  readonly events: Array<{ atUs: number; text: string }> = [];
  /** Transactions sent again after an election (see apply). */
  retries = 0;
  /** Largest and total watch message bytes received (all nodes). */
  watchBytes = { max: 0, total: 0 };

  private constructor(cluster: LocalCluster, log: WriteStream) {
    this.#cluster = cluster;
    this.#log = log;
    this.#client = new AdminClient(
      cluster.plans.map((p) => p.client),
      APPLY_TIMEOUT_MS,
    );
  }

  static async start(opts: RaftvsOptions): Promise<RaftvsSystem> {
    mkdirSync(opts.dataRoot, { recursive: true });
    const log = createWriteStream(join(opts.dataRoot, "raftvsd.log"));
    const base = await freePortRun(6);
    let sys: RaftvsSystem | undefined;
    const cluster = new LocalCluster({
      nodes: 3,
      dataRoot: opts.dataRoot,
      clusterId: "table-scale",
      host: "127.0.0.1",
      basePeerPort: base,
      baseClientPort: base + 3,
      ...(opts.extraArgs ? { extraArgs: opts.extraArgs } : {}),
      onLog: (l) => {
        const atUs = monotonicUs();
        log.write(`${JSON.stringify({ atUs, node: l.node, level: l.level, msg: l.msg, ...l.fields })}\n`);
        if (!sys) return;
        if (l.msg === "leader changed" && typeof l.fields.term === "number")
          sys.#maxTerm = Math.max(sys.#maxTerm, l.fields.term);
        if (l.msg === "leader changed" || l.level >= 40)
          sys.events.push({ atUs, text: `node ${l.node}: ${l.msg} ${JSON.stringify(l.fields)}` });
      },
    });
    sys = new RaftvsSystem(cluster, log);
    // NodeProcess spawns the daemons with this process's environment and no node flags.
    const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, dir: process.env.TABLE_SCALE_PROFILE_DIR };
    if (opts.profileDir) {
      process.env.NODE_OPTIONS = [saved.NODE_OPTIONS, `--import=${pathToFileURL(PROFILE_HOOK).href}`]
        .filter((x) => x !== undefined)
        .join(" ");
      process.env.TABLE_SCALE_PROFILE_DIR = opts.profileDir;
    }
    try {
      cluster.startAll();
    } finally {
      restoreEnv("NODE_OPTIONS", saved.NODE_OPTIONS);
      restoreEnv("TABLE_SCALE_PROFILE_DIR", saved.dir);
    }
    try {
      // A daemon that exits at start (bad flag, port taken) fails the run at once.
      const exited = [...cluster.procs.values()].map((p) =>
        p.exited.then((code) => {
          throw new Error(`raftvsd ${p.plan.id} exited (${code}) at start: ${p.stderr.trim().slice(0, 500)}`);
        }),
      );
      for (const e of exited) e.catch(() => undefined);
      await Promise.race([cluster.waitForLeader(60_000), ...exited]);
      sys.#leader = await sys.stableLeader(60_000);
    } catch (err) {
      await sys.stop();
      throw err;
    }
    return sys;
  }

  get leader(): number {
    return this.#leader;
  }

  /**
   * Waits until every node names the same leader in the same term for STABLE_MS (a freshly
   * started cluster on a busy machine may still hold an election or two), and returns it. Uses
   * Cluster.Status, so only while the table is empty: Status hashes the whole state.
   */
  async stableLeader(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let since = 0;
    let last = "";
    while (Date.now() < deadline) {
      const rows = await Promise.all(this.#cluster.plans.map((p) => this.#cluster.status(p.id)));
      const views = new Set(rows.map((r) => (r ? `${r.leader}@${r.term}` : "down")));
      const view = views.size === 1 ? [...views][0]! : "";
      if (view !== "" && !view.startsWith("0@") && view !== "down") {
        if (view !== last) {
          last = view;
          since = Date.now();
        } else if (Date.now() - since >= STABLE_MS) return Number(view.split("@")[0]);
      } else last = "";
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`raftvs: no stable leader within ${timeoutMs} ms`);
  }

  /** The highest term in the nodes' "leader changed" log lines (no call to the nodes). */
  async term(): Promise<number> {
    return this.#maxTerm;
  }

  /**
   * Waits until a node names itself leader and a majority name it (Cluster.MemberList,
   * serializable: answered from the node's state, cheap at any table size); later transactions
   * go to it. (A follower cut off by a stall may name no leader for a while.)
   */
  async refreshLeader(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let views: number[] = [];
    while (Date.now() < deadline) {
      views = await Promise.all(
        this.#cluster.plans.map((p) =>
          this.#client
            .callAt<{ leader: number }>(p.client, "Cluster", "MemberList", { serializable: true })
            .then((r) => Number(r.leader))
            .catch(() => 0),
        ),
      );
      const leader = views.find(
        (v, i) => v === i + 1 && views.filter((w) => w === v).length > views.length / 2,
      );
      if (leader !== undefined) {
        this.#leader = leader;
        return leader;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(
      `raftvs: no leader named by a majority within ${timeoutMs} ms (nodes name ${views.join(", ")})`,
    );
  }

  pids(): number[] {
    return this.#cluster.plans.map((p) => this.#cluster.procs.get(p.id)?.pid ?? -1);
  }

  endpoint(id: number): string {
    return this.#cluster.plans[id - 1]!.client;
  }

  async watch(seen: SeenOnAll): Promise<void> {
    for (const [i, plan] of this.#cluster.plans.entries()) {
      const s = await this.#client.callAt<{ revision: number }>(plan.client, "Cluster", "Status", {});
      // AdminClient's channels keep gRPC's 4 MiB receive limit, which one watch response for a
      // few large transactions passes; this channel takes what the server may send.
      const client = new ServicesService(plan.client, credentials.createInsecure(), {
        "grpc.max_receive_message_length": WATCH_MAX_RECEIVE_BYTES,
      });
      this.#watchClients.push(client);
      const call = client.makeServerStreamRequest(
        WATCH.path,
        WATCH.requestSerialize,
        (buf: Buffer) => {
          this.watchBytes.total += buf.length;
          this.watchBytes.max = Math.max(this.watchBytes.max, buf.length);
          return WATCH.responseDeserialize(buf);
        },
        { fromRevision: Number(s.revision) },
      ) as ClientReadableStream<WatchResponse__Output>;
      call.on("data", (r: WatchResponse__Output) => seen.record(i, Number(r.revision), performance.now()));
      const broken = (why: string) => (): void => {
        if (!this.#stopping) seen.fail(new Error(`raftvs: node ${plan.id}'s watch ${why}`));
      };
      call.on("error", (err: Error) => broken(`failed: ${err.message}`)());
      call.on("end", broken("ended"));
      this.#watches.push(call);
    }
  }

  prepare(ops: TableOp[]): Change[] {
    return ops.map(opToChange);
  }

  /**
   * Applies on the leader. After an election the call may fail without the transaction applied
   * (UNAVAILABLE: no leader; ABORTED: its log slot went to a new leader) or with its outcome
   * unknown (DEADLINE_EXCEEDED): the bench then finds the new leader, reads the table
   * (linearizable) to learn whether the transaction took effect, and sends it again if not. Each
   * such recovery is counted in `retries`; other errors end the run.
   */
  async apply(prepared: unknown): Promise<number> {
    const changes = prepared as Change[];
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.#client.callAt<{ revision: number }>(
          this.endpoint(this.#leader),
          "Services",
          "Apply",
          { changes },
        );
        return Number(r.revision);
      } catch (err) {
        const code = (err as Partial<ServiceError>).code;
        // A resent transaction refused as invalid: the first attempt may have applied after all.
        const resentRefused = attempt > 0 && code === status.INVALID_ARGUMENT;
        const recoverable =
          code === status.UNAVAILABLE || code === status.ABORTED || code === status.DEADLINE_EXCEEDED;
        if ((!recoverable && !resentRefused) || attempt >= MAX_RETRIES) throw err;
        this.retries++;
        const revision = await this.#appliedAfterElection(changes[0]!);
        if (revision !== undefined) return revision;
        if (resentRefused) throw err;
      }
    }
  }

  /** #appliedAt on the current leader, found again as long as elections go on. */
  async #appliedAfterElection(first: Change): Promise<number | undefined> {
    for (let attempt = 0; ; attempt++) {
      await this.refreshLeader();
      try {
        return await this.#appliedAt(first);
      } catch (err) {
        const code = (err as Partial<ServiceError>).code;
        const recoverable = code === status.UNAVAILABLE || code === status.DEADLINE_EXCEEDED;
        if (!recoverable || attempt >= MAX_RETRIES) throw err;
      }
    }
  }

  /**
   * Whether the transaction starting with `first` has been applied (every change of the bench's
   * transactions is of one kind, and transactions are atomic): the revision of a linearizable read
   * that shows it (at or after the transaction's own), or undefined.
   */
  async #appliedAt(first: Change): Promise<number | undefined> {
    const key =
      first.op === "service.add"
        ? `${first.service?.protocol}/${first.service?.vip}:${first.service?.port}`
        : String(first.serviceKey);
    const r = await this.#client.callAt<{ services: VirtualServiceProto[]; revision: number }>(
      this.endpoint(this.#leader),
      "Services",
      "List",
      { key },
    );
    const svc = r.services[0];
    let applied: boolean;
    if (first.op === "service.add") applied = svc !== undefined;
    else if (first.op === "service.delete") applied = svc === undefined;
    else if (first.op === "server.edit") {
      const want = first.server!;
      const rs = svc?.realServers?.find((x) => x.address === want.address && x.port === want.port);
      applied = rs !== undefined && rs.weight === want.weight;
    } else throw new Error(`raftvs: cannot tell whether a ${first.op} was applied`);
    return applied ? Number(r.revision) : undefined;
  }

  warmupOps(): [TableOp[], TableOp[]] {
    const service = {
      protocol: "tcp" as const,
      vip: "198.51.100.1",
      port: 9,
      scheduler: "rr" as const,
      realServers: [{ address: "198.51.100.2", port: 9, weight: 1 }],
    };
    return [[{ op: "service.add", service }], [{ op: "service.delete", key: "tcp/198.51.100.1:9" }]];
  }

  /** Cluster.Status of every node, one after the other, each with the time it took to answer. */
  async status(): Promise<Array<StatusRow & { revision: number; ms: number }>> {
    const out: Array<StatusRow & { revision: number; ms: number }> = [];
    for (const p of this.#cluster.plans) {
      const start = performance.now();
      const r = await this.#client.callAt<StatusRow & { revision: number }>(
        p.client,
        "Cluster",
        "Status",
        {},
      );
      out.push({ ...r, ms: performance.now() - start });
    }
    return out;
  }

  /** One serializable Services.List on a node through AdminClient, as raftvsctl lists. */
  async list(id: number): Promise<{ services: number; realServers: number; ms: number }> {
    const start = performance.now();
    const r = await this.#client.callAt<{ services: Array<{ realServers: unknown[] }> }>(
      this.endpoint(id),
      "Services",
      "List",
      { serializable: true },
    );
    return {
      services: r.services.length,
      realServers: r.services.reduce((n, s) => n + s.realServers.length, 0),
      ms: performance.now() - start,
    };
  }

  /** Asks each profiled daemon to write its profile (SIGUSR2) and waits until all are written. */
  async collectProfiles(dir: string, timeoutMs = 30_000): Promise<void> {
    const pids = this.pids();
    for (const pid of pids) process.kill(pid, "SIGUSR2");
    const deadline = Date.now() + timeoutMs;
    while (!pids.every((pid) => existsSync(join(dir, `raftvsd-${pid}.cpuprofile`)))) {
      if (Date.now() > deadline)
        throw new Error(`raftvs: CPU profiles not written to ${dir} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    for (const w of this.#watches) w.cancel();
    for (const c of this.#watchClients) c.close();
    this.#client.close();
    await this.#cluster.stopAll(10_000);
    await new Promise<void>((r) => this.#log.end(r));
  }
}
