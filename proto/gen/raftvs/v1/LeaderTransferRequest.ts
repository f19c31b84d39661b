// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface LeaderTransferRequest {
  to?: number | string | Long;
}

export interface LeaderTransferRequest__Output {
  to: number;
}
