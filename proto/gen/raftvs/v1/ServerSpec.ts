// Original file: proto/admin.proto

export interface ServerSpec {
  address?: string;
  port?: number;
  weight?: number;
  forward?: string;
  upperThreshold?: number;
  lowerThreshold?: number;
  maxConn?: number;
  pool?: string;
  _port?: "port";
  _weight?: "weight";
  _forward?: "forward";
  _upperThreshold?: "upperThreshold";
  _lowerThreshold?: "lowerThreshold";
  _maxConn?: "maxConn";
  _pool?: "pool";
}

export interface ServerSpec__Output {
  address: string;
  port?: number;
  weight?: number;
  forward?: string;
  upperThreshold?: number;
  lowerThreshold?: number;
  maxConn?: number;
  pool?: string;
  _port?: "port";
  _weight?: "weight";
  _forward?: "forward";
  _upperThreshold?: "upperThreshold";
  _lowerThreshold?: "lowerThreshold";
  _maxConn?: "maxConn";
  _pool?: "pool";
}
