// The state a brand-new cluster starts from: the member directory of its initial members, as the
// data of the bootstrap snapshot (index 1). Every initial member computes the same bytes.

import type { InitialMember } from "../config/index.ts";
import { ReplicatedState } from "../state/index.ts";

export function bootstrapStateData(members: readonly InitialMember[]): Uint8Array {
  const state = new ReplicatedState();
  for (const m of members)
    state.members.set({ id: m.id, peerAddress: m.peer, clientAddress: m.client, learner: false });
  state.appliedIndex = 1;
  return state.snapshot();
}
