// Public surface of the node: the run loop gluing Raft, storage, transport and the replicated state.

export { NodeError, NodeErrorCode } from "./errors.ts";
export type { NodeClock, NodeStatus, NodeStorage, NodeTransport, RaftNodeOptions } from "./raft-node.ts";
export { RaftNode, systemClock } from "./raft-node.ts";
