// The membership (voters and learners) and, on a leader, every member's Progress; votes of the
// current election; the quorum questions asked of them.

import { Progress } from "./progress.ts";
import { quorumValue, VoteResult, voteResult } from "./quorum.ts";
import type { ConfState, NodeId } from "./types.ts";

export class ProgressTracker {
  voters = new Set<NodeId>();
  learners = new Set<NodeId>();
  readonly progress = new Map<NodeId, Progress>();
  readonly votes = new Map<NodeId, boolean>();
  readonly maxInflight: number;

  constructor(maxInflight: number) {
    this.maxInflight = maxInflight;
  }

  confState(): ConfState {
    return {
      voters: [...this.voters].sort((a, b) => a - b),
      learners: [...this.learners].sort((a, b) => a - b),
    };
  }

  /** Replaces the membership; keeps progress of members that stay, adds fresh progress at `next`. */
  setConf(cs: ConfState, next: number): void {
    this.voters = new Set(cs.voters);
    this.learners = new Set(cs.learners);
    for (const id of [...this.progress.keys()]) {
      if (!this.voters.has(id) && !this.learners.has(id)) this.progress.delete(id);
    }
    for (const id of [...this.voters, ...this.learners]) {
      const pr = this.progress.get(id);
      if (pr) pr.isLearner = this.learners.has(id);
      else {
        const fresh = new Progress(next, this.maxInflight, this.learners.has(id));
        // A new member gets a chance at once (even a snapshot) without waiting to be heard from.
        fresh.recentActive = true;
        this.progress.set(id, fresh);
      }
    }
  }

  isMember(id: NodeId): boolean {
    return this.voters.has(id) || this.learners.has(id);
  }

  isSingleton(): boolean {
    return this.voters.size === 1 && this.learners.size === 0;
  }

  /** The highest index replicated on a quorum of voters. */
  committed(): number {
    return quorumValue(this.voters, (id) => this.progress.get(id)?.match);
  }

  /** The highest leader tick that a quorum of voters has acknowledged messages from. */
  quorumLeaseAckTick(): number {
    return quorumValue(this.voters, (id) => this.progress.get(id)?.leaseAckTick);
  }

  /** Whether a quorum of voters was recently active (the leader itself counts as active). */
  quorumActive(self: NodeId): boolean {
    const votes = new Map<NodeId, boolean>();
    for (const id of this.voters)
      votes.set(id, id === self || (this.progress.get(id)?.recentActive ?? false));
    return voteResult(this.voters, votes) === VoteResult.Won;
  }

  resetVotes(): void {
    this.votes.clear();
  }

  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    for (const id of this.voters) {
      const v = this.votes.get(id);
      if (v === true) granted++;
      else if (v === false) rejected++;
    }
    return { granted, rejected, result: voteResult(this.voters, this.votes) };
  }
}
