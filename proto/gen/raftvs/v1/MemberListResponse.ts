// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";
import type {
  Member as _raftvs_v1_Member,
  Member__Output as _raftvs_v1_Member__Output,
} from "../../raftvs/v1/Member.ts";

export interface MemberListResponse {
  members?: _raftvs_v1_Member[];
  leader?: number | string | Long;
}

export interface MemberListResponse__Output {
  members: _raftvs_v1_Member__Output[];
  leader: number;
}
