// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface DeleteResponse {
  deleted?: boolean;
  revision?: number | string | Long;
}

export interface DeleteResponse__Output {
  deleted: boolean;
  revision: number;
}
