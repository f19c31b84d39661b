// Errors the node raises to its callers, with stable codes the API edge maps to gRPC statuses.

export const NodeErrorCode = {
  /** This node is not the leader; `leaderId` names the one it knows (0 = none). */
  NotLeader: "NODE_NOT_LEADER",
  /** The proposal did not finish in time; it may still be applied (outcome unknown). */
  Timeout: "NODE_TIMEOUT",
  /** The proposal was definitely not committed (its log slot went to another entry). */
  ProposalLost: "NODE_PROPOSAL_LOST",
  /** The command or request is invalid; the message names the field. */
  InvalidArgument: "NODE_INVALID_ARGUMENT",
  /** The change is not allowed now (a membership change is pending, unknown member...). */
  FailedPrecondition: "NODE_FAILED_PRECONDITION",
  /** The node is closing or closed. */
  Closed: "NODE_CLOSED",
} as const;
export type NodeErrorCode = (typeof NodeErrorCode)[keyof typeof NodeErrorCode];

export class NodeError extends Error {
  readonly code: NodeErrorCode;
  readonly leaderId: number;
  constructor(code: NodeErrorCode, message: string, options: { leaderId?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "NodeError";
    this.code = code;
    this.leaderId = options.leaderId ?? 0;
  }
}
