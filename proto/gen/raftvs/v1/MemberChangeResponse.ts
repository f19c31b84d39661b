// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";
import type {
  Member as _raftvs_v1_Member,
  Member__Output as _raftvs_v1_Member__Output,
} from "../../raftvs/v1/Member.ts";

export interface MemberChangeResponse {
  members?: _raftvs_v1_Member[];
  revision?: number | string | Long;
}

export interface MemberChangeResponse__Output {
  members: _raftvs_v1_Member__Output[];
  revision: number;
}
