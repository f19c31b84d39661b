// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface ListServicesRequest {
  serializable?: boolean;
  atRevision?: number | string | Long;
  key?: string;
  _atRevision?: "atRevision";
}

export interface ListServicesRequest__Output {
  serializable: boolean;
  atRevision?: number;
  key: string;
  _atRevision?: "atRevision";
}
