// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";
import type {
  VirtualService as _raftvs_v1_VirtualService,
  VirtualService__Output as _raftvs_v1_VirtualService__Output,
} from "../../raftvs/v1/VirtualService.ts";

export interface ListServicesResponse {
  services?: _raftvs_v1_VirtualService[];
  revision?: number | string | Long;
}

export interface ListServicesResponse__Output {
  services: _raftvs_v1_VirtualService__Output[];
  revision: number;
}
