// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface ApplyResponse {
  revision?: number | string | Long;
  changed?: string[];
}

export interface ApplyResponse__Output {
  revision: number;
  changed: string[];
}
