// The fault injector: partitions, crashes with restarts, pauses (SIGSTOP) with resumes, stalled
// links, network weather and leadership transfers drawn at random each tick; strikes on newly
// elected leaders (churn); and `healAll`, which ends every fault for the liveness phase.

import type { SeededRandom } from "../rand.ts";
import type { NodeId } from "../types.ts";
import { type Cluster, TICK_UNITS } from "./cluster.ts";
import type { Host } from "./host.ts";
import type { NetworkFaults } from "./network.ts";

export interface NemesisConfig {
  /** Probability per tick that a fault action happens. */
  actionRate: number;
  electionTicks: number;
  /** Most nodes crashed or paused at once. */
  maxDown: number;
  /** Network weather to pick from when the weather changes. */
  weathers: readonly NetworkFaults[];
  transfers: boolean;
  /** Probability that a newly elected leader is struck (crash, pause or isolation) soon after. */
  churnRate: number;
}

export interface NemesisStats {
  crashes: number;
  pauses: number;
  partitions: number;
  transfers: number;
  stalls: number;
  churns: number;
}

interface Recovery {
  at: number;
  kind: "restart" | "resume";
}

export class Nemesis {
  readonly stats: NemesisStats = {
    crashes: 0,
    pauses: 0,
    partitions: 0,
    transfers: 0,
    stalls: 0,
    churns: 0,
  };
  readonly #rng: SeededRandom;
  readonly #cfg: NemesisConfig;
  readonly #cluster: Cluster;
  readonly #recoveries = new Map<NodeId, Recovery>();
  #partitionUntil = 0;
  /** False once everything is healed for the liveness phase. */
  #active = true;

  constructor(rng: SeededRandom, cfg: NemesisConfig, cluster: Cluster) {
    this.#rng = rng;
    this.#cfg = cfg;
    this.#cluster = cluster;
    cluster.onLeaderElected = (host) => this.#onLeaderElected(host);
  }

  /** Called once per tick during the fault phase. */
  step(tick: number): void {
    this.#recover(tick);
    const c = this.#cluster;
    if (this.#partitionUntil > 0 && tick >= this.#partitionUntil) {
      c.network.heal();
      this.#partitionUntil = 0;
      this.#trace("partition healed");
    }
    if (this.#rng.next() >= this.#cfg.actionRate) return;
    const r = this.#rng.next();
    if (r < 0.25) this.#partition(tick);
    else if (r < 0.45) this.#crash(tick, undefined);
    else if (r < 0.65) this.#pause(tick, undefined);
    else if (r < 0.75) this.#stall();
    else if (r < 0.88) this.#transfer();
    else this.#weather();
  }

  /**
   * Leader churn: strikes some new leaders within two ticks of taking office, often before their
   * first entries reach a majority (how entries of old terms pile up: Raft paper, figure 8).
   */
  #onLeaderElected(host: Host): void {
    if (!this.#active || this.#rng.next() >= this.#cfg.churnRate) return;
    const c = this.#cluster;
    const term = host.term;
    c.schedule(c.now + this.#rng.int(2 * TICK_UNITS), () => {
      if (!this.#active || !host.isLeader || host.term !== term) return;
      this.stats.churns++;
      const tick = c.stats.ticks;
      const r = this.#rng.next();
      if (r < 0.4) this.#crash(tick, host.id);
      else if (r < 0.7) this.#pause(tick, host.id);
      else this.#isolate(tick, host.id);
    });
  }

  /** Reconnects everything, calms the network, restarts crashed nodes and resumes paused ones. */
  healAll(calm: NetworkFaults): void {
    const c = this.#cluster;
    this.#active = false;
    c.network.heal();
    c.network.clearStalls();
    c.network.faults = calm;
    this.#partitionUntil = 0;
    this.#recoveries.clear();
    for (const h of c.hosts.values()) {
      if (h.status === "crashed") h.start();
      else if (h.status === "paused") h.resume();
    }
    this.#trace("heal all");
  }

  #recover(tick: number): void {
    for (const [id, rec] of this.#recoveries) {
      if (tick < rec.at) continue;
      this.#recoveries.delete(id);
      const h = this.#cluster.hosts.get(id);
      if (h === undefined) continue;
      if (rec.kind === "restart" && h.status === "crashed") {
        h.start();
        this.#trace(`n${id} restarted`);
      } else if (rec.kind === "resume" && h.status === "paused") {
        this.#trace(`n${id} resumed after ${h.missedTicks} ticks`);
        h.resume();
      }
    }
  }

  /** Running members, in id order. */
  #upMembers(): NodeId[] {
    const c = this.#cluster;
    return c.members().filter((id) => c.hosts.get(id)?.status === "up");
  }

  #downCount(): number {
    let n = 0;
    for (const h of this.#cluster.hosts.values()) if (h.status === "crashed" || h.status === "paused") n++;
    return n;
  }

  #pick<T>(xs: readonly T[]): T | undefined {
    return xs.length === 0 ? undefined : xs[this.#rng.int(xs.length)];
  }

  #partition(tick: number): void {
    const c = this.#cluster;
    const ids = [...c.hosts.keys()].filter((id) => c.hosts.get(id)!.status !== "stopped");
    if (ids.length < 2) return;
    c.network.heal();
    const kind = this.#rng.next();
    let what: string;
    if (kind < 0.35) {
      // Isolate one node, often the leader.
      const leader = c.leader();
      const victim = leader !== undefined && this.#rng.next() < 0.6 ? leader.id : this.#pick(ids)!;
      c.network.partition(
        [victim],
        ids.filter((id) => id !== victim),
      );
      what = `isolate n${victim}`;
    } else if (kind < 0.75) {
      // Split into two groups.
      const shuffled = this.#shuffle(ids);
      const k = 1 + this.#rng.int(Math.floor(ids.length / 2));
      const a = shuffled.slice(0, k);
      const b = shuffled.slice(k);
      c.network.partition(a, b);
      what = `split ${a.join(",")} | ${b.join(",")}`;
    } else {
      // Cut a few random one-way links.
      const n = 1 + this.#rng.int(ids.length);
      const cuts: string[] = [];
      for (let i = 0; i < n; i++) {
        const from = this.#pick(ids)!;
        const to = this.#pick(ids)!;
        if (from === to) continue;
        c.network.cut(from, to);
        cuts.push(`${from}>${to}`);
      }
      what = `cut ${cuts.join(" ")}`;
    }
    const ticks = 1 + this.#rng.int(6 * this.#cfg.electionTicks);
    this.#partitionUntil = tick + ticks;
    this.stats.partitions++;
    this.#trace(`partition: ${what} for ${ticks} ticks`);
  }

  #crash(tick: number, target: NodeId | undefined): void {
    if (this.#downCount() >= this.#cfg.maxDown) return;
    const leader = this.#cluster.leader();
    const id =
      target ?? (leader !== undefined && this.#rng.next() < 0.5 ? leader.id : this.#pick(this.#upMembers()));
    if (id === undefined) return;
    this.#cluster.hosts.get(id)!.crash();
    const e = this.#cfg.electionTicks;
    const down = this.#rng.next() < 0.5 ? 1 + this.#rng.int(e) : e + this.#rng.int(6 * e);
    this.#recoveries.set(id, { at: tick + down, kind: "restart" });
    this.stats.crashes++;
    this.#trace(`n${id} crashed for ${down} ticks`);
  }

  #pause(tick: number, target: NodeId | undefined): void {
    if (this.#downCount() >= this.#cfg.maxDown) return;
    const c = this.#cluster;
    const leader = c.leader();
    const id =
      target ?? (leader !== undefined && this.#rng.next() < 0.4 ? leader.id : this.#pick(this.#upMembers()));
    if (id === undefined) return;
    c.hosts.get(id)!.pause();
    const e = this.#cfg.electionTicks;
    const down = 1 + this.#rng.int(4 * e);
    this.#recoveries.set(id, { at: tick + down, kind: "resume" });
    this.stats.pauses++;
    this.#trace(`n${id} paused for ${down} ticks`);
  }

  /** Cuts one node off from all others, both ways, for a while. */
  #isolate(tick: number, id: NodeId): void {
    const c = this.#cluster;
    const others = [...c.hosts.keys()].filter((x) => x !== id && c.hosts.get(x)!.status !== "stopped");
    c.network.heal();
    c.network.partition([id], others);
    const ticks = 1 + this.#rng.int(4 * this.#cfg.electionTicks);
    this.#partitionUntil = tick + ticks;
    this.stats.partitions++;
    this.#trace(`partition: isolate n${id} for ${ticks} ticks`);
  }

  /** Holds all messages into or out of one node for up to three election timeouts. */
  #stall(): void {
    const c = this.#cluster;
    const ids = [...c.hosts.keys()].filter((x) => c.hosts.get(x)!.status !== "stopped");
    const id = this.#pick(ids);
    if (id === undefined) return;
    const inbound = this.#rng.next() < 0.5;
    const until = c.now + (1 + this.#rng.int(3 * this.#cfg.electionTicks)) * TICK_UNITS;
    for (const other of ids) {
      if (inbound) c.network.stall(other, id, until);
      else c.network.stall(id, other, until);
    }
    this.stats.stalls++;
    this.#trace(`stall ${inbound ? "into" : "out of"} n${id} until t=${until}`);
  }

  #transfer(): void {
    if (!this.#cfg.transfers) return;
    const leader = this.#cluster.leader();
    if (leader === undefined) return;
    const to = this.#pick(leader.confState.voters.filter((id) => id !== leader.id));
    if (to === undefined) return;
    leader.transferLeadership(to);
    this.stats.transfers++;
    this.#trace(`transfer leadership n${leader.id} -> n${to}`);
  }

  #weather(): void {
    const w = this.#pick(this.#cfg.weathers);
    if (w === undefined) return;
    this.#cluster.network.faults = w;
    this.#trace(`weather: drop=${w.dropRate} dup=${w.duplicateRate} delay=${w.minDelay}..${w.maxDelay}`);
  }

  #shuffle<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.#rng.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }

  #trace(what: string): void {
    const c = this.#cluster;
    c.trace?.(`t=${c.now} nemesis: ${what}`);
  }
}
