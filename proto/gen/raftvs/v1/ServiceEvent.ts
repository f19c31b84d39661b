// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";
import type {
  VirtualService as _raftvs_v1_VirtualService,
  VirtualService__Output as _raftvs_v1_VirtualService__Output,
} from "../../raftvs/v1/VirtualService.ts";

export interface ServiceEvent {
  revision?: number | string | Long;
  key?: string;
  type?: string;
  service?: _raftvs_v1_VirtualService | null;
  prev?: _raftvs_v1_VirtualService | null;
  _service?: "service";
  _prev?: "prev";
}

export interface ServiceEvent__Output {
  revision: number;
  key: string;
  type: string;
  service?: _raftvs_v1_VirtualService__Output | null;
  prev?: _raftvs_v1_VirtualService__Output | null;
  _service?: "service";
  _prev?: "prev";
}
