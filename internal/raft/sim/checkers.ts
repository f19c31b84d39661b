// Raft's safety properties, checked online as the simulated nodes report what they persist,
// apply and become: election safety, log matching, leader completeness, state machine safety,
// agreement of state machine snapshots taken at the same index, and two protocol rules seen from
// outside: a leader holds votes of its own term from a quorum, and commits by counting only
// entries of its own term (Raft paper, section 5.4.2).

import type { Entry, NodeId } from "../types.ts";

/** The kinds of violation a run reports; every violation string starts with one of them. */
export const ViolationKind = {
  ElectionSafety: "election safety",
  /** A leader took office without granted votes of its own term from a quorum of its voters. */
  ElectionQuorum: "election quorum",
  /** A leader advanced its commit index to an entry of an older term (Raft paper, 5.4.2). */
  CommitRule: "commit rule",
  LogMatching: "log matching",
  LeaderCompleteness: "leader completeness",
  StateMachineSafety: "state machine safety",
  StateDivergence: "state divergence",
  Linearizability: "linearizability",
  Liveness: "liveness",
  /** The run was cut short: far more messages than any healthy cluster sends. */
  Runaway: "runaway",
  LibraryError: "library error",
} as const;
export type ViolationKind = (typeof ViolationKind)[keyof typeof ViolationKind];

/** A leader's log when it took office: its snapshot point and the terms of the entries after it. */
export interface LeaderLog {
  nodeId: NodeId;
  term: number;
  snapIndex: number;
  /** terms[k] is the term of entry snapIndex + 1 + k. */
  terms: number[];
}

interface EntryRecord {
  data: string;
  prevTerm: number;
  nodeId: NodeId;
}

interface AppliedRecord {
  term: number;
  data: string;
  nodeId: NodeId;
  /** Lowest term any node was in when it applied this entry: the entry was committed no later. */
  minApplierTerm: number;
}

/** Most violations kept per kind and run (so one noisy kind cannot hide the others). */
const MAX_VIOLATIONS_PER_KIND = 5;

export function entryDigest(e: Entry): string {
  return `${e.type}:${Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength).toString("latin1")}`;
}

export class SafetyChecker {
  readonly violations: string[] = [];
  /** Violations not kept in `violations`, per kind. */
  readonly suppressed = new Map<ViolationKind, number>();
  readonly #kept = new Map<ViolationKind, number>();
  /** Called with every new violation as it is found (the run's trace shows where it happened). */
  onReport: ((text: string) => void) | undefined;
  readonly #leaders = new Map<number, NodeId>();
  readonly #entries = new Map<string, EntryRecord>();
  readonly #applied = new Map<number, AppliedRecord>();
  readonly #leaderLogs: LeaderLog[] = [];
  readonly #states = new Map<number, { digest: string; nodeId: NodeId }>();
  readonly #seen = new Set<string>();
  /** "candidate:term" -> voters whose granted VoteResp of that term reached the candidate. */
  readonly #votes = new Map<string, Set<NodeId>>();

  report(kind: ViolationKind, detail: string): void {
    const text = `${kind}: ${detail}`;
    if (this.#seen.has(text)) return;
    this.#seen.add(text);
    this.onReport?.(text);
    const kept = this.#kept.get(kind) ?? 0;
    if (kept >= MAX_VIOLATIONS_PER_KIND) {
      this.suppressed.set(kind, (this.suppressed.get(kind) ?? 0) + 1);
      return;
    }
    this.#kept.set(kind, kept + 1);
    this.violations.push(text);
  }

  get leadersElected(): number {
    return this.#leaders.size;
  }

  /** The network delivered a granted vote of `term` from `voter` to `candidate`. */
  voteDelivered(voter: NodeId, candidate: NodeId, term: number): void {
    const key = `${candidate}:${term}`;
    let set = this.#votes.get(key);
    if (set === undefined) {
      set = new Set();
      this.#votes.set(key, set);
    }
    set.add(voter);
  }

  /**
   * A node reports it is leader of `term`, with its whole log at that moment and the voters of
   * its configuration.
   */
  leaderElected(log: LeaderLog, voters: readonly NodeId[]): void {
    const prev = this.#leaders.get(log.term);
    if (prev !== undefined) {
      if (prev !== log.nodeId) {
        this.report(
          ViolationKind.ElectionSafety,
          `term ${log.term} has two leaders: n${prev} and n${log.nodeId}`,
        );
      }
      return;
    }
    this.#leaders.set(log.term, log.nodeId);
    const granted = this.#votes.get(`${log.nodeId}:${log.term}`);
    const votes = voters.filter((v) => v === log.nodeId || granted?.has(v)).length;
    if (votes <= voters.length / 2) {
      this.report(
        ViolationKind.ElectionQuorum,
        `n${log.nodeId} became leader of term ${log.term} with ${votes} of ${voters.length} votes of that term`,
      );
    }
    this.#leaderLogs.push(log);
    for (const [index, rec] of this.#applied) {
      if (rec.minApplierTerm < log.term) this.#checkLeaderHas(log, index, rec.term);
    }
  }

  /**
   * A node persisted `entries` (after any conflicting suffix was replaced); `termAt(i)` reads its
   * log. Checks that an (index, term) pair always names the same entry after the same predecessor,
   * which by induction means identical prefixes.
   */
  persisted(nodeId: NodeId, entries: readonly Entry[], termAt: (index: number) => number): void {
    for (const e of entries) {
      const key = `${e.index}:${e.term}`;
      const data = entryDigest(e);
      const prevTerm = termAt(e.index - 1);
      const rec = this.#entries.get(key);
      if (rec === undefined) {
        this.#entries.set(key, { data, prevTerm, nodeId });
        continue;
      }
      if (rec.data !== data) {
        this.report(
          ViolationKind.LogMatching,
          `entry ${e.index} term ${e.term} differs between n${rec.nodeId} and n${nodeId}`,
        );
      } else if (rec.prevTerm !== prevTerm) {
        this.report(
          ViolationKind.LogMatching,
          `entry ${e.index} term ${e.term} follows term ${rec.prevTerm} on n${rec.nodeId} but term ${prevTerm} on n${nodeId}`,
        );
      }
    }
  }

  /** A leader of `term` advanced its commit index to `index`, an entry of term `entryTerm`. */
  leaderCommitted(nodeId: NodeId, term: number, index: number, entryTerm: number): void {
    if (entryTerm === term) return;
    this.report(
      ViolationKind.CommitRule,
      `n${nodeId}, leader of term ${term}, committed index ${index} of term ${entryTerm} by counting`,
    );
  }

  /** A node applied `entry` while in `nodeTerm`. */
  applied(nodeId: NodeId, entry: Entry, nodeTerm: number): void {
    const data = entryDigest(entry);
    const rec = this.#applied.get(entry.index);
    if (rec === undefined) {
      this.#applied.set(entry.index, { term: entry.term, data, nodeId, minApplierTerm: nodeTerm });
    } else {
      if (rec.term !== entry.term || rec.data !== data) {
        this.report(
          ViolationKind.StateMachineSafety,
          `index ${entry.index}: n${rec.nodeId} applied term ${rec.term}, n${nodeId} applied term ${entry.term}` +
            (rec.data === data ? "" : " with different data"),
        );
        return;
      }
      if (nodeTerm >= rec.minApplierTerm) return;
      rec.minApplierTerm = nodeTerm;
    }
    for (const log of this.#leaderLogs) {
      if (log.term > nodeTerm) this.#checkLeaderHas(log, entry.index, entry.term);
    }
  }

  /** A node's state machine digest at applied index `index` (taken at snapshots). */
  stateAt(nodeId: NodeId, index: number, digest: string): void {
    const rec = this.#states.get(index);
    if (rec === undefined) {
      this.#states.set(index, { digest, nodeId });
    } else if (rec.digest !== digest) {
      this.report(
        ViolationKind.StateDivergence,
        `state at index ${index} differs between n${rec.nodeId} and n${nodeId}`,
      );
    }
  }

  #checkLeaderHas(log: LeaderLog, index: number, term: number): void {
    if (index <= log.snapIndex) return; // inside the leader's snapshot: covered by stateAt
    const have = log.terms[index - log.snapIndex - 1];
    if (have === term) return;
    this.report(
      ViolationKind.LeaderCompleteness,
      `n${log.nodeId}, leader of term ${log.term}, ` +
        (have === undefined ? "lacks" : `has term ${have} at`) +
        ` committed entry ${index} (term ${term})`,
    );
  }
}
