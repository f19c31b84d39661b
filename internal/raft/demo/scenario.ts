// The demo scenario behind `npm run demo`: a simulated cluster (MemoryCluster) taken through an
// election, writes, a leader failure, healing, a leadership transfer, a learner joining and being
// promoted, and a lagging node caught up by snapshot; ends by checking every node's state hash.

import { RaftError } from "../errors.ts";
import { type ClusterEvent, type MemberNode, MemoryCluster } from "../memory-cluster.ts";
import { SeededRandom } from "../rand.ts";
import { ConfChangeType, NONE, type NodeId, StateType } from "../types.ts";
import { type DemoLineSink, DemoPrinter, nodeList } from "./printer.ts";
import { type DemoCommand, describeCommand, encodeCommand, KvState } from "./state.ts";

/** Simulated duration of one Raft tick. */
export const TICK_MS = 100;
const ELECTION_TICKS = 10;

export interface DemoOptions {
  /** Chooses the values written (the cluster itself is deterministic). Default 1. */
  seed?: number;
  write: DemoLineSink;
}

export interface DemoElection {
  term: number;
  leader: NodeId;
  tick: number;
}

export interface DemoNodeSummary {
  id: NodeId;
  role: StateType;
  term: number;
  appliedIndex: number;
  commands: number;
  keys: number;
  stateHash: string;
}

export interface DemoSummary {
  seed: number;
  ticks: number;
  elections: DemoElection[];
  proposed: number;
  committed: number;
  refused: number;
  snapshotsInstalled: number;
  nodes: DemoNodeSummary[];
  /** True when every node holds the same state hash. */
  identical: boolean;
}

/** Runs the whole scenario synchronously; throws if a step does not happen as scripted. */
export function runDemo(options: DemoOptions): DemoSummary {
  return new Demo(options.seed ?? 1, options.write).run();
}

interface Role {
  state: StateType;
  term: number;
  lead: NodeId;
}

interface Applied {
  cmd: DemoCommand;
  index: number;
  term: number;
}

class Demo {
  readonly #seed: number;
  readonly #rand: SeededRandom;
  readonly #c: MemoryCluster;
  readonly #p: DemoPrinter;
  #tick = 0;
  readonly #sm = new Map<NodeId, KvState>();
  readonly #roles = new Map<NodeId, Role>();
  readonly #elections: DemoElection[] = [];
  /** Commands each node applied since the last report. */
  readonly #fresh = new Map<NodeId, Applied[]>();
  /** Ids of commands already reported as committed. */
  readonly #reported = new Set<number>();
  #nextCommand = 1;
  #proposed = 0;
  #committed = 0;
  #refused = 0;
  #snapshotsInstalled = 0;

  constructor(seed: number, write: DemoLineSink) {
    this.#seed = seed;
    this.#rand = new SeededRandom(seed);
    this.#p = new DemoPrinter(write, () => this.#tick, TICK_MS);
    this.#c = new MemoryCluster([1, 2, 3], { electionTicks: ELECTION_TICKS, heartbeatTicks: 1 });
    for (const id of this.#c.nodes.keys()) this.#track(id);
    this.#c.onEvent = (e) => this.#onEvent(e);
  }

  run(): DemoSummary {
    this.#p.line(
      `raftvs demo: a simulated cluster of Raft nodes on an in-memory network (seed ${this.#seed}, 1 tick = ${TICK_MS} ms)`,
    );
    this.#boot();
    const first = this.#writes();
    const { old, next } = this.#leaderFails(first);
    this.#writesWithoutOldLeader(next, old);
    this.#heal(old);
    this.#transfer(old);
    this.#learner();
    this.#lagByCompaction();
    return this.#summary();
  }

  // ---- acts ----

  #boot(): void {
    this.#p.section("boot: three nodes, no leader yet");
    this.#p.event(
      "boot",
      "nodes 1,2,3 start as followers in term 1 from the same bootstrap snapshot (voters 1,2,3)",
    );
    this.#p.note(
      `election timeout ${ELECTION_TICKS}-${2 * ELECTION_TICKS - 1} ticks (randomized), heartbeat every tick`,
    );
    this.#p.note(
      `pre-vote and check-quorum are on; a new node refuses votes for its first ${ELECTION_TICKS} ticks`,
    );
    this.#runUntil(80, "the first election", () => {
      const l = this.#c.leader();
      return l !== undefined && l.rn.raft.raftLog.applied === l.rn.raft.raftLog.lastIndex();
    });
    const l = this.#leader();
    this.#p.event(
      "leader",
      `node ${l.id} leads term ${l.rn.raft.term}; its lease has ${l.rn.leaseRemainingTicks()} ticks left ` +
        "(renewed by every heartbeat a quorum answers)",
    );
  }

  #writes(): MemberNode {
    this.#p.section("writes: a client sends commands");
    const l = this.#leader();
    this.#propose(l, "vip", `198.18.0.${10 + this.#rand.int(200)}`);
    this.#propose(l, "scheduler", this.#pick(["maglev", "wrr", "lc", "sh"]));
    this.#propose(l, "rs/web-1", `198.18.1.${10 + this.#rand.int(200)}:80`);
    this.#settle();
    this.#p.note("the three proposals went out in one append: proposals are batched per Ready");
    const follower = this.#followers(l)[0]!;
    this.#propose(follower, "rs/web-2", `198.18.1.${10 + this.#rand.int(200)}:80`);
    this.#settle();
    return l;
  }

  #leaderFails(old: MemberNode): { old: MemberNode; next: MemberNode } {
    this.#p.section(`the leader fails: node ${old.id} is cut off`);
    this.#c.isolate(old.id);
    this.#p.event("fault", `node ${old.id} loses its network (every link to and from it is cut)`);
    this.#p.note(
      `its lease has ${old.rn.leaseRemainingTicks()} ticks left, less than the election timeout the others ` +
        "wait out before they vote, so a new leader never overlaps it",
    );
    this.#p.note(
      "it still thinks it leads, until check-quorum finds that no quorum answered for an election timeout",
    );
    this.#runUntil(100, "a new election", () => {
      const l = this.#c.leader();
      return l !== undefined && l !== old && old.rn.raft.state !== StateType.Leader;
    });
    return { old, next: this.#leader() };
  }

  #writesWithoutOldLeader(l: MemberNode, old: MemberNode): void {
    this.#p.section(`writes go on with two of three nodes`);
    this.#propose(l, "weight/web-1", String(1 + this.#rand.int(9)));
    this.#propose(l, "weight/web-2", String(1 + this.#rand.int(9)));
    this.#settle();
    this.#propose(old, "rs/web-1", "198.18.1.99:80");
    this.#settle();
    this.#runUntil(40, `node ${old.id} timing out`, () => old.rn.raft.state === StateType.PreCandidate);
  }

  #heal(old: MemberNode): void {
    this.#p.section(`the network heals: node ${old.id} catches up`);
    const termBefore = old.rn.raft.term;
    this.#c.heal();
    this.#p.event("heal", `node ${old.id} is reachable again (its term is still ${termBefore})`);
    this.#runUntil(40, `node ${old.id} catching up`, () => {
      const l = this.#c.leader();
      return l !== undefined && old.rn.raft.lead === l.id && this.#caughtUp(old, l);
    });
    const l = this.#leader();
    this.#p.note(
      `pre-vote kept node ${old.id} from raising its term while cut off, so it rejoined without ` +
        `disturbing node ${l.id} (term ${l.rn.raft.term})`,
    );
  }

  #transfer(target: MemberNode): void {
    this.#p.section(`leadership transfer back to node ${target.id}`);
    const from = this.#leader();
    this.#p.event(
      "transfer",
      `node ${from.id} hands leadership to node ${target.id}, which is caught up, so it sends TimeoutNow at once`,
    );
    from.rn.transferLeadership(target.id);
    this.#settle();
    if (this.#c.leader() !== target) throw new Error(`demo: transfer to node ${target.id} did not happen`);
    this.#p.note(`node ${from.id}'s lease was void from the TimeoutNow on, so two leases never overlap`);
    this.#propose(target, "health/web-2", "up");
    this.#settle();
  }

  #learner(): void {
    this.#p.section("membership: node 4 joins as a learner, then becomes a voter");
    const l = this.#leader();
    const ccIndex = l.rn.raft.raftLog.lastIndex() + 1;
    this.#p.event("member", `node ${l.id} proposes: add node 4 as a learner`);
    l.rn.proposeConfChange({
      type: ConfChangeType.AddLearner,
      nodeId: 4,
      context: new TextEncoder().encode("node-4"),
    });
    this.#settle();
    this.#p.event("member", `committed at index ${ccIndex} and applied: ${this.#membership(l)}`);
    this.#p.note("one change at a time; it takes effect on each node when that node applies it");
    this.#snapshot(l, "a new node starts from a snapshot; the membership in it includes node 4");
    this.#c.addEmptyNode(4);
    this.#track(4);
    this.#p.event("boot", "node 4 starts with an empty log");
    const node4 = this.#c.node(4);
    this.#runUntil(30, "node 4 catching up", () => this.#caughtUp(node4, l));
    this.#p.note("as a learner it receives every entry but neither votes nor counts toward a quorum");
    this.#p.event("member", `node ${l.id} proposes: promote node 4 to voter`);
    l.rn.proposeConfChange({ type: ConfChangeType.AddNode, nodeId: 4, context: new Uint8Array(0) });
    this.#settle();
    this.#p.event("member", `applied: ${this.#membership(l)} (a quorum is now 3 of 4)`);
    if (!node4.rn.raft.promotable()) throw new Error("demo: node 4 was not promoted");
    this.#propose(l, "rs/web-3", `198.18.1.${10 + this.#rand.int(200)}:80`);
    this.#settle();
  }

  #lagByCompaction(): void {
    const l = this.#leader();
    const lag = this.#followers(l).find((n) => n.id !== 4)!;
    this.#p.section(`compaction: node ${lag.id} falls behind and catches up through a snapshot`);
    this.#c.isolate(lag.id);
    this.#p.event("fault", `node ${lag.id} loses its network`);
    for (const key of ["weight/web-1", "weight/web-2", "weight/web-3"])
      this.#propose(l, key, String(1 + this.#rand.int(9)));
    this.#settle();
    this.#propose(l, "persistence", `${60 * (1 + this.#rand.int(10))}s`);
    this.#settle();
    const up = [...this.#c.nodes.values()].filter((n) => n !== lag);
    for (const n of up) this.#snapshot(n, undefined, true);
    this.#p.note(
      `node ${lag.id} still needs entries after index ${lag.rn.raft.raftLog.lastIndex()}: none is left`,
    );
    this.#c.heal();
    this.#p.event("heal", `node ${lag.id} is reachable again`);
    this.#runUntil(30, `node ${lag.id} catching up`, () => this.#caughtUp(lag, l));
    this.#propose(l, "vip", `198.18.0.${10 + this.#rand.int(200)}`);
    this.#settle();
  }

  #summary(): DemoSummary {
    this.#p.section("summary");
    const elections = this.#elections.map((e) => `term ${e.term}: node ${e.leader}`).join(", ");
    this.#p.line(`elections   ${elections}`);
    const l = this.#leader();
    this.#p.line(
      `commands    ${this.#proposed} proposed, ${this.#committed} committed, ${this.#refused} refused ` +
        `(log at index ${l.rn.raft.raftLog.committed}, term ${l.rn.raft.term}; ${this.#snapshotsInstalled} snapshots installed)`,
    );
    const nodes: DemoNodeSummary[] = [];
    for (const n of this.#c.nodes.values()) {
      const sm = this.#sm.get(n.id)!;
      nodes.push({
        id: n.id,
        role: n.rn.raft.state,
        term: n.rn.raft.term,
        appliedIndex: n.rn.raft.raftLog.applied,
        commands: sm.applied,
        keys: sm.kv.size,
        stateHash: sm.digest,
      });
    }
    for (const s of nodes)
      this.#p.line(
        `node ${s.id}      ${s.role.padEnd(8)} term ${s.term}  applied index ${s.appliedIndex}  ` +
          `${s.commands} commands  ${s.keys} keys  state sha256 ${s.stateHash.slice(0, 16)}`,
      );
    const identical = nodes.every(
      (s) => s.stateHash === nodes[0]!.stateHash && s.appliedIndex === nodes[0]!.appliedIndex,
    );
    if (identical)
      this.#p.line(
        `check       all ${nodes.length} nodes hold identical state: sha256 ${nodes[0]!.stateHash}`,
      );
    else this.#p.line("check       FAILED: the nodes' states differ");
    return {
      seed: this.#seed,
      ticks: this.#tick,
      elections: [...this.#elections],
      proposed: this.#proposed,
      committed: this.#committed,
      refused: this.#refused,
      snapshotsInstalled: this.#snapshotsInstalled,
      nodes,
      identical,
    };
  }

  // ---- driving the cluster ----

  #runUntil(maxTicks: number, what: string, done: () => boolean): void {
    for (let i = 0; i < maxTicks; i++) {
      if (done()) return;
      this.#c.tickAll(1);
      this.#tick++;
      this.#pollRoles();
      this.#settle();
    }
    if (!done()) throw new Error(`demo: ${what} did not happen within ${maxTicks} ticks`);
  }

  /** Delivers everything, then reports role changes, installed snapshots and commits. */
  #settle(): void {
    this.#c.stabilize();
    this.#pollRoles();
    for (const id of this.#c.nodes.keys()) this.#syncSnapshot(id);
    this.#reportCommits();
  }

  #onEvent(e: ClusterEvent): void {
    if (e.type === "leader") {
      this.#elections.push({ term: e.term, leader: e.id, tick: this.#tick });
      const voters = this.#c.node(e.id).rn.raft.trk.voters.size;
      this.#p.event(
        "election",
        `node ${e.id} is elected leader of term ${e.term} (votes from a quorum of ${Math.floor(voters / 2) + 1} of ${voters})`,
      );
      this.#roles.set(e.id, { state: StateType.Leader, term: e.term, lead: e.id });
      return;
    }
    this.#syncSnapshot(e.id);
    const sm = this.#sm.get(e.id)!;
    const fresh = this.#fresh.get(e.id)!;
    for (const entry of e.entries) {
      if (entry.index <= sm.index) continue; // already folded into a restored snapshot
      fresh.push({ cmd: sm.apply(entry), index: entry.index, term: entry.term });
    }
  }

  /** Prints state changes that the cluster's events do not carry (elections do). */
  #pollRoles(): void {
    for (const n of this.#c.nodes.values()) {
      const r = n.rn.raft;
      const prev = this.#roles.get(n.id)!;
      const cur: Role = { state: r.state, term: r.term, lead: r.lead };
      this.#roles.set(n.id, cur);
      if (prev.state === cur.state) continue;
      if (cur.state === StateType.PreCandidate) {
        this.#p.event(
          "election",
          `node ${n.id} heard from no leader for an election timeout: asks for pre-votes for term ${cur.term + 1} ` +
            `(its term stays ${cur.term})`,
        );
      } else if (cur.state === StateType.Candidate) {
        this.#p.event("election", `node ${n.id} campaigns in term ${cur.term}`);
      } else if (prev.state === StateType.Leader) {
        const why =
          cur.term === prev.term
            ? "no quorum answered for an election timeout (check-quorum)"
            : `it saw term ${cur.term}${cur.lead !== NONE ? `, led by node ${cur.lead}` : ""}`;
        this.#p.event("step-down", `node ${n.id} steps down as leader of term ${prev.term}: ${why}`);
      } else if (cur.state === StateType.Follower && cur.lead !== NONE) {
        this.#p.event("follow", `node ${n.id} follows node ${cur.lead} in term ${cur.term}`);
      }
    }
  }

  #track(id: NodeId): void {
    const r = this.#c.node(id).rn.raft;
    this.#sm.set(id, new KvState());
    this.#fresh.set(id, []);
    this.#roles.set(id, { state: r.state, term: r.term, lead: r.lead });
  }

  /** Restores a node's state machine from a snapshot its Raft installed (MemoryCluster persisted it). */
  #syncSnapshot(id: NodeId): void {
    const sm = this.#sm.get(id)!;
    const snap = this.#c.node(id).storage.snapshot();
    const { index, term } = snap.metadata;
    if (index <= sm.snapshotIndex || index <= sm.index) return;
    if (snap.data.byteLength === 0) {
      sm.snapshotIndex = index; // the bootstrap snapshot: membership only, no state
      return;
    }
    const before = sm.applied;
    sm.restore(snap.data, index);
    this.#snapshotsInstalled++;
    this.#p.event(
      "snapshot",
      `node ${id} installs the leader's snapshot at index ${index} (term ${term}): ${sm.kv.size} keys, ` +
        `${sm.applied - before} commands it never replayed`,
    );
  }

  #reportCommits(): void {
    const newly = new Map<number, Applied & { nodes: NodeId[] }>();
    for (const [id, list] of this.#fresh) {
      const caughtUp: Applied[] = [];
      for (const a of list) {
        if (this.#reported.has(a.cmd.id)) {
          caughtUp.push(a);
          continue;
        }
        const n = newly.get(a.cmd.id);
        if (n) n.nodes.push(id);
        else newly.set(a.cmd.id, { ...a, nodes: [id] });
      }
      if (caughtUp.length > 0) {
        const first = caughtUp[0]!;
        const last = caughtUp[caughtUp.length - 1]!;
        this.#p.event(
          "catch-up",
          `node ${id} catches up by replication: ${caughtUp.length} missed command(s), #${first.cmd.id}..#${last.cmd.id} ` +
            `(index ${first.index}..${last.index})`,
        );
      }
    }
    if (newly.size === 0) {
      for (const list of this.#fresh.values()) list.length = 0;
      return;
    }
    const members = this.#members();
    for (const a of [...newly.values()].sort((x, y) => x.index - y.index)) {
      this.#reported.add(a.cmd.id);
      this.#committed++;
      const missing = members.filter((id) => !a.nodes.includes(id));
      const where =
        missing.length === 0
          ? `applied on all ${members.length} nodes`
          : `applied on nodes ${nodeList(a.nodes)}, not yet on ${nodeList(missing)}`;
      this.#p.event("commit", `${describeCommand(a.cmd)} at index ${a.index} (term ${a.term}), ${where}`);
    }
    for (const list of this.#fresh.values()) list.length = 0;
  }

  // ---- helpers ----

  #propose(via: MemberNode, key: string, value: string): void {
    const cmd: DemoCommand = { id: this.#nextCommand++, key, value };
    const r = via.rn.raft;
    const role =
      r.state === StateType.Leader
        ? "leader"
        : r.lead !== NONE
          ? `follower, forwards to node ${r.lead}`
          : "knows no leader";
    this.#proposed++;
    try {
      via.rn.propose(encodeCommand(cmd));
      this.#p.event("propose", `client -> node ${via.id} (${role}): ${describeCommand(cmd)}`);
    } catch (err) {
      if (!(err instanceof RaftError)) throw err;
      this.#refused++;
      this.#p.event(
        "propose",
        `client -> node ${via.id} (${role}): ${describeCommand(cmd)} refused: ${err.code}`,
      );
      this.#p.note(`(${err.message}); the client retries elsewhere`);
    }
  }

  /** The application snapshots a node's state at its applied index; with `compact`, drops the log up to it. */
  #snapshot(n: MemberNode, why: string | undefined, compact = false): void {
    const index = n.rn.raft.raftLog.applied;
    const sm = this.#sm.get(n.id)!;
    const confState = n.rn.status().confState;
    n.storage.createSnapshot(index, confState, sm.snapshot(index));
    if (compact) n.storage.compact(index);
    const what = compact ? " and compacts its log up to it" : "";
    this.#p.event(
      "snapshot",
      `node ${n.id} snapshots its state at index ${index} (${sm.kv.size} keys)${what}`,
    );
    if (why) this.#p.note(why);
  }

  /** Whether `n` applied everything the leader `l` applied. */
  #caughtUp(n: MemberNode, l: MemberNode): boolean {
    return n.rn.raft.raftLog.applied === l.rn.raft.raftLog.applied;
  }

  #leader(): MemberNode {
    const l = this.#c.leader();
    if (!l) throw new Error("demo: no leader");
    return l;
  }

  #followers(l: MemberNode): MemberNode[] {
    return [...this.#c.nodes.values()].filter((n) => n !== l).sort((a, b) => a.id - b.id);
  }

  /** Members (voters and learners) that exist, as the most advanced node sees them. */
  #members(): NodeId[] {
    let best: MemberNode | undefined;
    for (const n of this.#c.nodes.values())
      if (!best || n.rn.raft.raftLog.applied > best.rn.raft.raftLog.applied) best = n;
    const cs = best!.rn.status().confState;
    return [...cs.voters, ...cs.learners].filter((id) => this.#c.nodes.has(id)).sort((a, b) => a - b);
  }

  #membership(n: MemberNode): string {
    const cs = n.rn.status().confState;
    const learners = cs.learners.length > 0 ? `, learners ${nodeList(cs.learners)}` : "";
    return `voters ${nodeList(cs.voters)}${learners}`;
  }

  #pick<T>(xs: readonly T[]): T {
    return xs[this.#rand.int(xs.length)]!;
  }
}
