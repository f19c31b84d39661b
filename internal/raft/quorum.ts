// Majority quorum arithmetic over a voter set: the highest index (or tick) a quorum has reached,
// and the outcome of an election.

import type { NodeId } from "./types.ts";

export const VoteResult = { Pending: "pending", Lost: "lost", Won: "won" } as const;
export type VoteResult = (typeof VoteResult)[keyof typeof VoteResult];

/**
 * The largest value v such that a majority of `voters` reported a value >= v. Voters missing from
 * `reported` count as 0. An empty voter set yields 0.
 */
export function quorumValue(
  voters: ReadonlySet<NodeId>,
  reported: (id: NodeId) => number | undefined,
): number {
  const n = voters.size;
  if (n === 0) return 0;
  const vals: number[] = [];
  for (const id of voters) vals.push(reported(id) ?? 0);
  vals.sort((a, b) => b - a);
  return vals[Math.floor(n / 2)]!;
}

/** Whether the granted votes make a majority, the rejections make one impossible, or neither yet. */
export function voteResult(voters: ReadonlySet<NodeId>, votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const q = Math.floor(voters.size / 2) + 1;
  let granted = 0;
  let missing = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === undefined) missing++;
    else if (v) granted++;
  }
  if (granted >= q) return VoteResult.Won;
  if (granted + missing >= q) return VoteResult.Pending;
  return VoteResult.Lost;
}
