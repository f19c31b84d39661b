// Original file: proto/raft.proto

import type { Long } from "@grpc/proto-loader";
import type {
  ConfState as _raftvs_v1_ConfState,
  ConfState__Output as _raftvs_v1_ConfState__Output,
} from "../../raftvs/v1/ConfState.ts";

export interface SnapshotMetadata {
  index?: number | string | Long;
  term?: number | string | Long;
  confState?: _raftvs_v1_ConfState | null;
}

export interface SnapshotMetadata__Output {
  index: number;
  term: number;
  confState: _raftvs_v1_ConfState__Output | null;
}
