// Original file: proto/admin.proto

import type {
  HeaderMatch as _raftvs_v1_HeaderMatch,
  HeaderMatch__Output as _raftvs_v1_HeaderMatch__Output,
} from "../../raftvs/v1/HeaderMatch.ts";

export interface ContentRule {
  host?: string;
  pathPrefix?: string;
  pathRegex?: string;
  header?: _raftvs_v1_HeaderMatch | null;
  pool?: string;
  _host?: "host";
  _pathPrefix?: "pathPrefix";
  _pathRegex?: "pathRegex";
  _header?: "header";
}

export interface ContentRule__Output {
  host?: string;
  pathPrefix?: string;
  pathRegex?: string;
  header?: _raftvs_v1_HeaderMatch__Output | null;
  pool: string;
  _host?: "host";
  _pathPrefix?: "pathPrefix";
  _pathRegex?: "pathRegex";
  _header?: "header";
}
