// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface GetResponse {
  found?: boolean;
  value?: string;
  modRevision?: number | string | Long;
  revision?: number | string | Long;
}

export interface GetResponse__Output {
  found: boolean;
  value: string;
  modRevision: number;
  revision: number;
}
