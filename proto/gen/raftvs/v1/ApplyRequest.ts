// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";
import type {
  Change as _raftvs_v1_Change,
  Change__Output as _raftvs_v1_Change__Output,
} from "../../raftvs/v1/Change.ts";

export interface ApplyRequest {
  changes?: _raftvs_v1_Change[];
  dryRun?: boolean;
  ifRevision?: number | string | Long;
  _ifRevision?: "ifRevision";
}

export interface ApplyRequest__Output {
  changes: _raftvs_v1_Change__Output[];
  dryRun: boolean;
  ifRevision?: number;
  _ifRevision?: "ifRevision";
}
