// Original file: proto/admin.proto

import type {
  Change as _raftvs_v1_Change,
  Change__Output as _raftvs_v1_Change__Output,
} from "../../raftvs/v1/Change.ts";

export interface ApplyRequest {
  changes?: _raftvs_v1_Change[];
  dryRun?: boolean;
}

export interface ApplyRequest__Output {
  changes: _raftvs_v1_Change__Output[];
  dryRun: boolean;
}
