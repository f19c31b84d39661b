// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";
import type {
  Progress as _raftvs_v1_Progress,
  Progress__Output as _raftvs_v1_Progress__Output,
} from "../../raftvs/v1/Progress.ts";

export interface NodeStatus {
  id?: number | string | Long;
  clusterId?: string;
  term?: number | string | Long;
  leader?: number | string | Long;
  role?: string;
  commitIndex?: number | string | Long;
  appliedIndex?: number | string | Long;
  lastIndex?: number | string | Long;
  snapshotIndex?: number | string | Long;
  leaseRemainingMs?: number | string | Long;
  voters?: (number | string | Long)[];
  learners?: (number | string | Long)[];
  progress?: _raftvs_v1_Progress[];
  stateHash?: string;
  revision?: number | string | Long;
}

export interface NodeStatus__Output {
  id: number;
  clusterId: string;
  term: number;
  leader: number;
  role: string;
  commitIndex: number;
  appliedIndex: number;
  lastIndex: number;
  snapshotIndex: number;
  leaseRemainingMs: number;
  voters: number[];
  learners: number[];
  progress: _raftvs_v1_Progress__Output[];
  stateHash: string;
  revision: number;
}
