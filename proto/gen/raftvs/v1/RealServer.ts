// Original file: proto/admin.proto

export interface RealServer {
  address?: string;
  port?: number;
  weight?: number;
  forward?: string;
  upperThreshold?: number;
  lowerThreshold?: number;
  maxConn?: number;
  pool?: string;
}

export interface RealServer__Output {
  address: string;
  port: number;
  weight: number;
  forward: string;
  upperThreshold: number;
  lowerThreshold: number;
  maxConn: number;
  pool: string;
}
