// The simulated world: hosts, the network between them, the clients, and time. Time advances in
// units; a node ticks every TICK_UNITS units (at its own phase). Each unit: scheduled actions,
// ticks, message deliveries and transport reports, client steps, then the Ready turns that are due.

import type { SeededRandom } from "../rand.ts";
import type { MemoryStorage } from "../storage.ts";
import {
  type ConfChange,
  ConfChangeType,
  type ConfState,
  type Message,
  MessageType,
  type NodeId,
} from "../types.ts";
import { SafetyChecker } from "./checkers.ts";
import { type ClientReply, Clients, type ClientsConfig, type SubmitResult } from "./clients.ts";
import { EventQueue } from "./event-queue.ts";
import { Host, type HostConfig, type HostEnv, type HostStats } from "./host.ts";
import { type NetworkFaults, SimNetwork } from "./network.ts";

/** Time units per node tick. Message delays and disk latency are counted in units. */
export const TICK_UNITS = 10;

export interface ClusterConfig {
  host: Omit<HostConfig, "randomSeed">;
  clients: ClientsConfig;
  network: NetworkFaults;
  /** Most time units from a change in a node to its Ready turn (the disk's latency). */
  diskDelayMax: number;
  /** Probability that an append lost to a partition is reported unreachable to its sender. */
  unreachableReportRate: number;
}

export interface ClusterStats extends HostStats {
  ticks: number;
  confChangesApplied: number;
}

type Report =
  | { kind: "snapshot"; from: NodeId; to: NodeId; ok: boolean }
  | { kind: "unreachable"; from: NodeId; to: NodeId };

export class Cluster {
  now = 0;
  readonly hosts = new Map<NodeId, Host>();
  readonly network: SimNetwork<Message>;
  readonly checker = new SafetyChecker();
  readonly clients: Clients;
  readonly stats: ClusterStats = {
    ticks: 0,
    confChangesApplied: 0,
    snapshotsTaken: 0,
    snapshotsInstalled: 0,
    entriesApplied: 0,
    readies: 0,
  };
  /** The membership of the highest-index conf change any node applied (committed, so final). */
  committedConf: { index: number; cs: ConfState };
  /** Hosts spawned for an AddLearner that has not been seen committed yet. */
  readonly joining = new Set<NodeId>();
  readonly trace: ((line: string) => void) | undefined;
  /** Also trace every message as it is delivered or lost (verbose). */
  traceMessages = false;

  readonly #rng: SeededRandom;
  readonly #cfg: ClusterConfig;
  readonly #env: HostEnv;
  readonly #reports = new EventQueue<Report>();
  readonly #actions = new EventQueue<() => void>();
  /** Called when a node takes office as leader (the nemesis uses it to strike new leaders). */
  onLeaderElected: ((host: Host) => void) | undefined;
  #toStop: NodeId[] = [];

  constructor(
    rng: SeededRandom,
    cfg: ClusterConfig,
    voters: readonly NodeId[],
    trace?: (line: string) => void,
  ) {
    this.#rng = rng;
    this.#cfg = cfg;
    this.trace = trace;
    this.committedConf = { index: 1, cs: { voters: [...voters], learners: [] } };
    if (trace !== undefined) this.checker.onReport = (v) => trace(`t=${this.now} VIOLATION ${v}`);
    this.network = new SimNetwork<Message>(rng, cfg.network, (m) => ({ ...m }));
    this.#env = {
      now: () => this.now,
      send: (m) => this.#send(m),
      reply: (r) => this.#reply(r),
      checker: this.checker,
      diskDelay: () => (cfg.diskDelayMax > 0 ? this.#rng.int(cfg.diskDelayMax + 1) : 0),
      confChangeApplied: (host, index, cc, cs) => this.#confChangeApplied(host, index, cc, cs),
      leaderElected: (host) => this.onLeaderElected?.(host),
      trace,
      stats: this.stats,
    };
    this.clients = new Clients(
      rng,
      cfg.clients,
      {
        submit: (id, req): SubmitResult =>
          this.hosts.get(id)?.submit(req) ?? { kind: "rejected", leaderHint: 0 },
        candidates: () => this.committedConf.cs.voters,
      },
      trace,
    );
  }

  /** Creates and starts a node over `storage` (bootstrapped for initial members, empty for joiners). */
  addHost(id: NodeId, storage: MemoryStorage, randomSeed: number): Host {
    const host = new Host(
      id,
      storage,
      { ...this.#cfg.host, randomSeed },
      this.#env,
      this.#rng.int(TICK_UNITS),
    );
    this.hosts.set(id, host);
    host.start();
    return host;
  }

  /** Forgets a host nobody has heard of (its AddLearner proposal was dropped). */
  dropHost(id: NodeId): void {
    this.hosts.get(id)?.stop();
    this.hosts.delete(id);
    this.joining.delete(id);
  }

  /** Member ids (voters and learners) of the committed configuration. */
  members(): NodeId[] {
    return [...this.committedConf.cs.voters, ...this.committedConf.cs.learners];
  }

  /** The running leader of the highest term, if any. */
  leader(): Host | undefined {
    let best: Host | undefined;
    for (const h of this.hosts.values()) {
      if (h.isLeader && (best === undefined || h.term > best.term)) best = h;
    }
    return best;
  }

  /** Runs `fn` at the start of time unit `at` (before that unit's ticks and deliveries). */
  schedule(at: number, fn: () => void): void {
    this.#actions.push(Math.max(at, this.now), fn);
  }

  /** Advances one tick (TICK_UNITS time units). */
  runTick(): void {
    for (let u = 0; u < TICK_UNITS; u++) {
      this.#runUnit(u);
      this.now++;
    }
    this.stats.ticks++;
    if (this.stats.ticks % 50 === 0) for (const h of this.hosts.values()) h.prune(this.now);
  }

  #runUnit(phase: number): void {
    const now = this.now;
    for (;;) {
      const fn = this.#actions.popDue(now);
      if (fn === undefined) break;
      fn();
    }
    for (const h of this.hosts.values()) if (h.tickPhase === phase) h.tick();
    for (;;) {
      const d = this.network.popDue(now);
      if (d === undefined) break;
      this.#deliver(d.msg, d.delivered);
    }
    for (;;) {
      const r = this.#reports.popDue(now);
      if (r === undefined) break;
      const sender = this.hosts.get(r.from);
      if (sender === undefined) continue;
      if (r.kind === "snapshot") sender.reportSnapshot(r.to, r.ok);
      else sender.reportUnreachable(r.to);
    }
    this.clients.step(now);
    for (const h of this.hosts.values()) {
      if (h.readyAt !== undefined && h.readyAt <= now) h.processReady();
    }
    if (this.#toStop.length > 0) {
      for (const id of this.#toStop) {
        const h = this.hosts.get(id);
        if (h !== undefined && h.status !== "stopped") {
          h.stop();
          this.trace?.(`t=${now} n${id} stopped (removed)`);
        }
      }
      this.#toStop = [];
    }
  }

  #deliver(m: Message, delivered: boolean): void {
    const to = this.hosts.get(m.to);
    const reachable = delivered && to !== undefined && (to.status === "up" || to.status === "paused");
    if (this.traceMessages) this.trace?.(`t=${this.now} ${describeMessage(m)}${reachable ? "" : " LOST"}`);
    if (reachable) {
      if (m.type === MessageType.VoteResp && !m.reject) this.checker.voteDelivered(m.from, m.to, m.term);
      to.deliver(m);
    }
    if (m.type === MessageType.Snap) {
      this.#reports.push(this.now + 1, { kind: "snapshot", from: m.from, to: m.to, ok: reachable });
    }
  }

  #send(m: Message): void {
    const outcome = this.network.send(m, this.now);
    if (outcome === "sent") return;
    if (m.type === MessageType.Snap) {
      this.#reports.push(this.now + 1, { kind: "snapshot", from: m.from, to: m.to, ok: false });
    } else if (
      outcome === "partitioned" &&
      m.type === MessageType.App &&
      this.#rng.next() < this.#cfg.unreachableReportRate
    ) {
      this.#reports.push(this.now + 1, { kind: "unreachable", from: m.from, to: m.to });
    }
  }

  #reply(r: ClientReply): void {
    this.clients.onReply(r, this.now);
  }

  #confChangeApplied(_host: Host, index: number, cc: ConfChange, cs: ConfState): void {
    if (index <= this.committedConf.index) return;
    this.committedConf = { index, cs };
    this.stats.confChangesApplied++;
    this.trace?.(
      `t=${this.now} committed conf ${cc.type} n${cc.nodeId}: voters=${cs.voters} learners=${cs.learners}`,
    );
    const members = new Set([...cs.voters, ...cs.learners]);
    for (const id of this.joining) if (members.has(id)) this.joining.delete(id);
    if (cc.type === ConfChangeType.RemoveNode && !members.has(cc.nodeId)) this.#toStop.push(cc.nodeId);
  }
}

/** One line for a message, with the fields its type uses. */
export function describeMessage(m: Message): string {
  let s = `n${m.from}->n${m.to} ${m.type} term=${m.term}`;
  if (m.type === MessageType.App || m.type === MessageType.Vote || m.type === MessageType.PreVote) {
    s += ` index=${m.index} logTerm=${m.logTerm}`;
  }
  if (m.entries.length > 0) s += ` entries=${m.entries[0]!.index}..${m.entries[m.entries.length - 1]!.index}`;
  if (m.type === MessageType.App || m.type === MessageType.Heartbeat) s += ` commit=${m.commit}`;
  if (m.type === MessageType.AppResp)
    s += ` index=${m.index}${m.reject ? ` reject hint=${m.rejectHint}` : ""}`;
  else if (m.reject) s += " reject";
  if (m.snapshot !== undefined) s += ` snapshot=${m.snapshot.metadata.index}`;
  return s;
}
