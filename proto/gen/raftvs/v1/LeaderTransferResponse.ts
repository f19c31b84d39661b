// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface LeaderTransferResponse {
  leader?: number | string | Long;
}

export interface LeaderTransferResponse__Output {
  leader: number;
}
