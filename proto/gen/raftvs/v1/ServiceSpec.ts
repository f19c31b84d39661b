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
  ServerSpec as _raftvs_v1_ServerSpec,
  ServerSpec__Output as _raftvs_v1_ServerSpec__Output,
} from "../../raftvs/v1/ServerSpec.ts";

export interface ServiceSpec {
  protocol?: string;
  vip?: string;
  port?: number;
  fwmark?: number;
  family?: number;
  scheduler?: string;
  schedFlags?: string[];
  setSchedFlags?: boolean;
  persistence?: _raftvs_v1_Persistence | null;
  noPersistence?: boolean;
  forward?: string;
  mode?: string;
  http?: _raftvs_v1_HttpSettings | null;
  maxConn?: number;
  realServers?: _raftvs_v1_ServerSpec[];
  _protocol?: "protocol";
  _vip?: "vip";
  _port?: "port";
  _fwmark?: "fwmark";
  _family?: "family";
  _scheduler?: "scheduler";
  _persistence?: "persistence";
  _forward?: "forward";
  _mode?: "mode";
  _http?: "http";
  _maxConn?: "maxConn";
}

export interface ServiceSpec__Output {
  protocol?: string;
  vip?: string;
  port?: number;
  fwmark?: number;
  family?: number;
  scheduler?: string;
  schedFlags: string[];
  setSchedFlags: boolean;
  persistence?: _raftvs_v1_Persistence__Output | null;
  noPersistence: boolean;
  forward?: string;
  mode?: string;
  http?: _raftvs_v1_HttpSettings__Output | null;
  maxConn?: number;
  realServers: _raftvs_v1_ServerSpec__Output[];
  _protocol?: "protocol";
  _vip?: "vip";
  _port?: "port";
  _fwmark?: "fwmark";
  _family?: "family";
  _scheduler?: "scheduler";
  _persistence?: "persistence";
  _forward?: "forward";
  _mode?: "mode";
  _http?: "http";
  _maxConn?: "maxConn";
}
