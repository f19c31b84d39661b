// Original file: proto/admin.proto

import type {
  ContentRule as _raftvs_v1_ContentRule,
  ContentRule__Output as _raftvs_v1_ContentRule__Output,
} from "../../raftvs/v1/ContentRule.ts";

export interface HttpSettings {
  rules?: _raftvs_v1_ContentRule[];
  sorryServer?: string;
  _sorryServer?: "sorryServer";
}

export interface HttpSettings__Output {
  rules: _raftvs_v1_ContentRule__Output[];
  sorryServer?: string;
  _sorryServer?: "sorryServer";
}
