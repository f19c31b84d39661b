// Errors the transport raises, as one class with stable codes; the mapping to gRPC status codes
// lives here too, used only at the RPC edge.
import { status } from "@grpc/grpc-js";

export const TransportErrorCode = {
  /** An option is invalid; the message names it. */
  InvalidOptions: "TRANSPORT_INVALID_OPTIONS",
  /** A malformed message: from our own Raft (a bug, thrown by send) or from a peer (refused). */
  InvalidMessage: "TRANSPORT_INVALID_MESSAGE",
  /** A peer of another cluster (its cluster id differs from ours). */
  ClusterMismatch: "TRANSPORT_CLUSTER_MISMATCH",
  /** A batch or snapshot addressed to another node than this one. */
  Misaddressed: "TRANSPORT_MISADDRESSED",
  /** Over a size limit (a snapshot over maxSnapshotBytes, too many snapshots at once). */
  TooLarge: "TRANSPORT_TOO_LARGE",
  /** Snapshot data that does not match its header (size or CRC-32). */
  Corrupt: "TRANSPORT_CORRUPT",
  /** The listener could not bind its address. */
  ListenFailed: "TRANSPORT_LISTEN_FAILED",
  /** The transport is closed (or closing). */
  Closed: "TRANSPORT_CLOSED",
} as const;
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

export class TransportError extends Error {
  readonly code: TransportErrorCode;
  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransportError";
    this.code = code;
  }
}

/** The gRPC status a refusal is answered with at the edge. */
export function grpcStatusOf(code: TransportErrorCode): status {
  switch (code) {
    case TransportErrorCode.InvalidMessage:
    case TransportErrorCode.InvalidOptions:
      return status.INVALID_ARGUMENT;
    case TransportErrorCode.ClusterMismatch:
    case TransportErrorCode.Misaddressed:
      return status.FAILED_PRECONDITION;
    case TransportErrorCode.TooLarge:
      return status.RESOURCE_EXHAUSTED;
    case TransportErrorCode.Corrupt:
      return status.DATA_LOSS;
    case TransportErrorCode.Closed:
    case TransportErrorCode.ListenFailed:
      return status.UNAVAILABLE;
  }
}
