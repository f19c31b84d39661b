// Original file: proto/raft.proto

import type { Long } from "@grpc/proto-loader";
import type {
  Entry as _raftvs_v1_Entry,
  Entry__Output as _raftvs_v1_Entry__Output,
} from "../../raftvs/v1/Entry.ts";
import type {
  MessageType as _raftvs_v1_MessageType,
  MessageType__Output as _raftvs_v1_MessageType__Output,
} from "../../raftvs/v1/MessageType.ts";
import type {
  SnapshotMetadata as _raftvs_v1_SnapshotMetadata,
  SnapshotMetadata__Output as _raftvs_v1_SnapshotMetadata__Output,
} from "../../raftvs/v1/SnapshotMetadata.ts";

export interface RaftMessage {
  type?: _raftvs_v1_MessageType;
  to?: number | string | Long;
  from?: number | string | Long;
  term?: number | string | Long;
  logTerm?: number | string | Long;
  index?: number | string | Long;
  entries?: _raftvs_v1_Entry[];
  commit?: number | string | Long;
  leaseTick?: number | string | Long;
  snapshot?: _raftvs_v1_SnapshotMetadata | null;
  reject?: boolean;
  rejectHint?: number | string | Long;
  context?: Buffer | Uint8Array | string;
  _context?: "context";
}

export interface RaftMessage__Output {
  type: _raftvs_v1_MessageType__Output;
  to: number;
  from: number;
  term: number;
  logTerm: number;
  index: number;
  entries: _raftvs_v1_Entry__Output[];
  commit: number;
  leaseTick: number;
  snapshot: _raftvs_v1_SnapshotMetadata__Output | null;
  reject: boolean;
  rejectHint: number;
  context?: Buffer;
  _context?: "context";
}
