// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface WatchRequest {
  fromRevision?: number | string | Long;
}

export interface WatchRequest__Output {
  fromRevision: number;
}
