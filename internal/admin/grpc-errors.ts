// Maps the errors of the node and the state to gRPC statuses at the API edge, and back for clients.

import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { NodeError, NodeErrorCode } from "../node/index.ts";

const CODE_TO_STATUS: Record<NodeErrorCode, status> = {
  [NodeErrorCode.NotLeader]: status.UNAVAILABLE,
  [NodeErrorCode.Timeout]: status.DEADLINE_EXCEEDED,
  [NodeErrorCode.ProposalLost]: status.ABORTED,
  [NodeErrorCode.InvalidArgument]: status.INVALID_ARGUMENT,
  [NodeErrorCode.FailedPrecondition]: status.FAILED_PRECONDITION,
  [NodeErrorCode.Closed]: status.UNAVAILABLE,
};

/** A gRPC error carrying the node's code (and the leader it knows) in trailing metadata. */
export function toServiceError(err: unknown): Partial<ServiceError> {
  const metadata = new Metadata();
  if (err instanceof NodeError) {
    metadata.set("raftvs-error-code", err.code);
    if (err.leaderId) metadata.set("raftvs-leader", String(err.leaderId));
    return { code: CODE_TO_STATUS[err.code], details: err.message, metadata };
  }
  if (isServiceError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return { code: status.INTERNAL, details: `internal error: ${message}`, metadata };
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === "number" && "metadata" in err;
}
