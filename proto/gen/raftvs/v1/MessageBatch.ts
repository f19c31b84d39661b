// Original file: proto/raft.proto

import type { Long } from "@grpc/proto-loader";
import type {
  RaftMessage as _raftvs_v1_RaftMessage,
  RaftMessage__Output as _raftvs_v1_RaftMessage__Output,
} from "../../raftvs/v1/RaftMessage.ts";

export interface MessageBatch {
  clusterId?: string;
  from?: number | string | Long;
  to?: number | string | Long;
  messages?: _raftvs_v1_RaftMessage[];
  fromAddress?: string;
}

export interface MessageBatch__Output {
  clusterId: string;
  from: number;
  to: number;
  messages: _raftvs_v1_RaftMessage__Output[];
  fromAddress: string;
}
