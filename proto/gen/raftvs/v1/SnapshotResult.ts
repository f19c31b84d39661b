// Original file: proto/raft.proto

import type { Long } from "@grpc/proto-loader";

export interface SnapshotResult {
  receivedBytes?: number | string | Long;
}

export interface SnapshotResult__Output {
  receivedBytes: number;
}
