// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface SnapshotSaveResponse {
  index?: number | string | Long;
}

export interface SnapshotSaveResponse__Output {
  index: number;
}
