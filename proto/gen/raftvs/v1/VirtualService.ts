// Original file: proto/admin.proto

import type {
  HttpSettings as _raftvs_v1_HttpSettings,
  HttpSettings__Output as _raftvs_v1_HttpSettings__Output,
} from "../../raftvs/v1/HttpSettings.ts";
import type {
  Persistence as _raftvs_v1_Persistence,
  Persistence__Output as _raftvs_v1_Persistence__Output,
} from "../../raftvs/v1/Persistence.ts";
import type {
  RealServer as _raftvs_v1_RealServer,
  RealServer__Output as _raftvs_v1_RealServer__Output,
} from "../../raftvs/v1/RealServer.ts";

export interface VirtualService {
  key?: string;
  family?: number;
  protocol?: string;
  vip?: string;
  port?: number;
  fwmark?: number;
  scheduler?: string;
  schedFlags?: string[];
  persistence?: _raftvs_v1_Persistence | null;
  forward?: string;
  mode?: string;
  http?: _raftvs_v1_HttpSettings | null;
  maxConn?: number;
  realServers?: _raftvs_v1_RealServer[];
  _persistence?: "persistence";
  _http?: "http";
}

export interface VirtualService__Output {
  key: string;
  family: number;
  protocol: string;
  vip: string;
  port: number;
  fwmark: number;
  scheduler: string;
  schedFlags: string[];
  persistence?: _raftvs_v1_Persistence__Output | null;
  forward: string;
  mode: string;
  http?: _raftvs_v1_HttpSettings__Output | null;
  maxConn: number;
  realServers: _raftvs_v1_RealServer__Output[];
  _persistence?: "persistence";
  _http?: "http";
}
