// Original file: proto/raft.proto

import type {
  SnapshotHeader as _raftvs_v1_SnapshotHeader,
  SnapshotHeader__Output as _raftvs_v1_SnapshotHeader__Output,
} from "../../raftvs/v1/SnapshotHeader.ts";

export interface SnapshotChunk {
  header?: _raftvs_v1_SnapshotHeader | null;
  data?: Buffer | Uint8Array | string;
  kind?: "header" | "data";
}

export interface SnapshotChunk__Output {
  header?: _raftvs_v1_SnapshotHeader__Output | null;
  data?: Buffer;
  kind?: "header" | "data";
}
