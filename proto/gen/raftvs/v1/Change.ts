// Original file: proto/admin.proto

import type {
  ServerSpec as _raftvs_v1_ServerSpec,
  ServerSpec__Output as _raftvs_v1_ServerSpec__Output,
} from "../../raftvs/v1/ServerSpec.ts";
import type {
  ServiceSpec as _raftvs_v1_ServiceSpec,
  ServiceSpec__Output as _raftvs_v1_ServiceSpec__Output,
} from "../../raftvs/v1/ServiceSpec.ts";

export interface Change {
  op?: string;
  service?: _raftvs_v1_ServiceSpec | null;
  serviceKey?: string;
  server?: _raftvs_v1_ServerSpec | null;
  address?: string;
  port?: number;
  _service?: "service";
  _server?: "server";
  _port?: "port";
}

export interface Change__Output {
  op: string;
  service?: _raftvs_v1_ServiceSpec__Output | null;
  serviceKey: string;
  server?: _raftvs_v1_ServerSpec__Output | null;
  address: string;
  port?: number;
  _service?: "service";
  _server?: "server";
  _port?: "port";
}
