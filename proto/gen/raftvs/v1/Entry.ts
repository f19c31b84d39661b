// Original file: proto/raft.proto

import type { Long } from "@grpc/proto-loader";
import type {
  EntryType as _raftvs_v1_EntryType,
  EntryType__Output as _raftvs_v1_EntryType__Output,
} from "../../raftvs/v1/EntryType.ts";

export interface Entry {
  term?: number | string | Long;
  index?: number | string | Long;
  type?: _raftvs_v1_EntryType;
  data?: Buffer | Uint8Array | string;
}

export interface Entry__Output {
  term: number;
  index: number;
  type: _raftvs_v1_EntryType__Output;
  data: Buffer;
}
