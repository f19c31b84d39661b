// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";
import type {
  ServiceEvent as _raftvs_v1_ServiceEvent,
  ServiceEvent__Output as _raftvs_v1_ServiceEvent__Output,
} from "../../raftvs/v1/ServiceEvent.ts";

export interface WatchResponse {
  events?: _raftvs_v1_ServiceEvent[];
  revision?: number | string | Long;
}

export interface WatchResponse__Output {
  events: _raftvs_v1_ServiceEvent__Output[];
  revision: number;
}
