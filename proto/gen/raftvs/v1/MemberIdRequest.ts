// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface MemberIdRequest {
  id?: number | string | Long;
}

export interface MemberIdRequest__Output {
  id: number;
}
