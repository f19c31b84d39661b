import type * as grpc from "@grpc/grpc-js";
import type { EnumTypeDefinition, MessageTypeDefinition } from "@grpc/proto-loader";

import type {
  ConfState as _raftvs_v1_ConfState,
  ConfState__Output as _raftvs_v1_ConfState__Output,
} from "./raftvs/v1/ConfState.ts";
import type {
  Entry as _raftvs_v1_Entry,
  Entry__Output as _raftvs_v1_Entry__Output,
} from "./raftvs/v1/Entry.ts";
import type {
  MessageBatch as _raftvs_v1_MessageBatch,
  MessageBatch__Output as _raftvs_v1_MessageBatch__Output,
} from "./raftvs/v1/MessageBatch.ts";
import type {
  RaftMessage as _raftvs_v1_RaftMessage,
  RaftMessage__Output as _raftvs_v1_RaftMessage__Output,
} from "./raftvs/v1/RaftMessage.ts";
import type {
  RaftTransportClient as _raftvs_v1_RaftTransportClient,
  RaftTransportDefinition as _raftvs_v1_RaftTransportDefinition,
} from "./raftvs/v1/RaftTransport.ts";
import type {
  SnapshotChunk as _raftvs_v1_SnapshotChunk,
  SnapshotChunk__Output as _raftvs_v1_SnapshotChunk__Output,
} from "./raftvs/v1/SnapshotChunk.ts";
import type {
  SnapshotHeader as _raftvs_v1_SnapshotHeader,
  SnapshotHeader__Output as _raftvs_v1_SnapshotHeader__Output,
} from "./raftvs/v1/SnapshotHeader.ts";
import type {
  SnapshotMetadata as _raftvs_v1_SnapshotMetadata,
  SnapshotMetadata__Output as _raftvs_v1_SnapshotMetadata__Output,
} from "./raftvs/v1/SnapshotMetadata.ts";
import type {
  SnapshotResult as _raftvs_v1_SnapshotResult,
  SnapshotResult__Output as _raftvs_v1_SnapshotResult__Output,
} from "./raftvs/v1/SnapshotResult.ts";
import type {
  StreamSummary as _raftvs_v1_StreamSummary,
  StreamSummary__Output as _raftvs_v1_StreamSummary__Output,
} from "./raftvs/v1/StreamSummary.ts";

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  raftvs: {
    v1: {
      ConfState: MessageTypeDefinition<_raftvs_v1_ConfState, _raftvs_v1_ConfState__Output>;
      Entry: MessageTypeDefinition<_raftvs_v1_Entry, _raftvs_v1_Entry__Output>;
      EntryType: EnumTypeDefinition;
      MessageBatch: MessageTypeDefinition<_raftvs_v1_MessageBatch, _raftvs_v1_MessageBatch__Output>;
      MessageType: EnumTypeDefinition;
      RaftMessage: MessageTypeDefinition<_raftvs_v1_RaftMessage, _raftvs_v1_RaftMessage__Output>;
      RaftTransport: SubtypeConstructor<typeof grpc.Client, _raftvs_v1_RaftTransportClient> & {
        service: _raftvs_v1_RaftTransportDefinition;
      };
      SnapshotChunk: MessageTypeDefinition<_raftvs_v1_SnapshotChunk, _raftvs_v1_SnapshotChunk__Output>;
      SnapshotHeader: MessageTypeDefinition<_raftvs_v1_SnapshotHeader, _raftvs_v1_SnapshotHeader__Output>;
      SnapshotMetadata: MessageTypeDefinition<
        _raftvs_v1_SnapshotMetadata,
        _raftvs_v1_SnapshotMetadata__Output
      >;
      SnapshotResult: MessageTypeDefinition<_raftvs_v1_SnapshotResult, _raftvs_v1_SnapshotResult__Output>;
      StreamSummary: MessageTypeDefinition<_raftvs_v1_StreamSummary, _raftvs_v1_StreamSummary__Output>;
    };
  };
}
