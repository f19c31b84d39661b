// Original file: proto/admin.proto

export interface Persistence {
  timeoutSec?: number;
  netmask?: string;
  prefixLen?: number;
}

export interface Persistence__Output {
  timeoutSec: number;
  netmask: string;
  prefixLen: number;
}
