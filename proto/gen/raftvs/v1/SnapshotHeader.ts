// Original file: proto/raft.proto

import type { Long } from "@grpc/proto-loader";
import type {
  RaftMessage as _raftvs_v1_RaftMessage,
  RaftMessage__Output as _raftvs_v1_RaftMessage__Output,
} from "../../raftvs/v1/RaftMessage.ts";

export interface SnapshotHeader {
  clusterId?: string;
  from?: number | string | Long;
  to?: number | string | Long;
  message?: _raftvs_v1_RaftMessage | null;
  totalBytes?: number | string | Long;
  crc32?: number;
}

export interface SnapshotHeader__Output {
  clusterId: string;
  from: number;
  to: number;
  message: _raftvs_v1_RaftMessage__Output | null;
  totalBytes: number;
  crc32: number;
}
