// What the server-side handlers share: who we are, where validated messages go, and the set of
// open inbound calls (so close() can end them).
import type { Logger } from "pino";
import type { Message, NodeId } from "../raft/index.ts";
import type { LocalIdentity } from "./codec.ts";
import type { ResolvedOptions } from "./options.ts";

/** An open inbound call that close() can end with UNAVAILABLE. */
export interface InboundCall {
  shutdown(): void;
}

export interface InboundContext {
  self: LocalIdentity;
  opts: ResolvedOptions;
  log: Logger;
  isKnownPeer(id: NodeId): boolean;
  /** A peer not in our list told us where it listens: reach it there (known peers keep theirs). */
  learnPeer(id: NodeId, address: string): void;
  /** Hands validated messages to the user (errors it throws are logged, never propagated). */
  deliver(msgs: Message[]): void;
  /** Calls open right now; handlers add and remove themselves. */
  calls: Set<InboundCall>;
  closing(): boolean;
  /** Snapshots being received right now (bounded by maxIncomingSnapshots). */
  incomingSnapshots: number;
}
