// The cluster administrator: adds a learner on a fresh node, promotes learners, removes voters
// and learners, at random and one change at a time, keeping 3..7 voters and at most 7 nodes.

import type { SeededRandom } from "../rand.ts";
import { MemoryStorage } from "../storage.ts";
import { type ConfChange, ConfChangeType, type NodeId } from "../types.ts";
import type { Cluster } from "./cluster.ts";

export const MAX_NODES = 7;
export const MIN_VOTERS = 3;

export interface MembershipStats {
  proposed: number;
  added: number;
}

export class Membership {
  readonly stats: MembershipStats = { proposed: 0, added: 0 };
  readonly #rng: SeededRandom;
  readonly #cluster: Cluster;
  readonly #actionRate: number;
  readonly #nextSeed: () => number;
  #nextId: NodeId;

  /** `nextSeed` gives each new node's randomSeed; ids of new nodes start after `firstFreeId - 1`. */
  constructor(
    rng: SeededRandom,
    cluster: Cluster,
    actionRate: number,
    firstFreeId: NodeId,
    nextSeed: () => number,
  ) {
    this.#rng = rng;
    this.#cluster = cluster;
    this.#actionRate = actionRate;
    this.#nextId = firstFreeId;
    this.#nextSeed = nextSeed;
  }

  /** Called once per tick during the fault phase. */
  step(): void {
    if (this.#rng.next() >= this.#actionRate) return;
    const c = this.#cluster;
    const leader = c.leader();
    if (leader === undefined) return;
    const { voters, learners } = c.committedConf.cs;
    const live = (id: NodeId): boolean => {
      const s = c.hosts.get(id)?.status;
      return s === "up" || s === "paused" || s === "crashed";
    };
    const options: (() => void)[] = [];
    // A joiner whose AddLearner has not committed yet: propose it again (adding twice is a no-op).
    for (const id of c.joining) options.push(() => this.#propose(leader.id, ConfChangeType.AddLearner, id));
    if (c.joining.size === 0 && voters.length + learners.length < MAX_NODES)
      options.push(() => this.#addLearner());
    for (const id of learners)
      if (live(id)) options.push(() => this.#propose(leader.id, ConfChangeType.AddNode, id));
    if (voters.length > MIN_VOTERS) {
      options.push(() => {
        const victim = voters[this.#rng.int(voters.length)]!;
        this.#propose(leader.id, ConfChangeType.RemoveNode, victim);
      });
    }
    if (learners.length > 0) {
      options.push(() =>
        this.#propose(leader.id, ConfChangeType.RemoveNode, learners[this.#rng.int(learners.length)]!),
      );
    }
    if (options.length === 0) return;
    options[this.#rng.int(options.length)]!();
  }

  #addLearner(): void {
    const c = this.#cluster;
    const leader = c.leader();
    if (leader === undefined) return;
    const id = this.#nextId++;
    c.addHost(id, new MemoryStorage(), this.#nextSeed());
    c.joining.add(id);
    if (!this.#propose(leader.id, ConfChangeType.AddLearner, id)) {
      c.dropHost(id);
      return;
    }
    this.stats.added++;
  }

  #propose(leaderId: NodeId, type: ConfChangeType, nodeId: NodeId): boolean {
    const c = this.#cluster;
    const cc: ConfChange = { type, nodeId, context: new Uint8Array(0) };
    const ok = c.hosts.get(leaderId)?.proposeConfChange(cc) ?? false;
    if (ok) this.stats.proposed++;
    c.trace?.(`t=${c.now} admin: propose ${type} n${nodeId} via n${leaderId}${ok ? "" : " (dropped)"}`);
    return ok;
  }
}
