// Original file: proto/raft.proto

import type * as grpc from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import type {
  MessageBatch as _raftvs_v1_MessageBatch,
  MessageBatch__Output as _raftvs_v1_MessageBatch__Output,
} from "../../raftvs/v1/MessageBatch.ts";
import type {
  SnapshotChunk as _raftvs_v1_SnapshotChunk,
  SnapshotChunk__Output as _raftvs_v1_SnapshotChunk__Output,
} from "../../raftvs/v1/SnapshotChunk.ts";
import type {
  SnapshotResult as _raftvs_v1_SnapshotResult,
  SnapshotResult__Output as _raftvs_v1_SnapshotResult__Output,
} from "../../raftvs/v1/SnapshotResult.ts";
import type {
  StreamSummary as _raftvs_v1_StreamSummary,
  StreamSummary__Output as _raftvs_v1_StreamSummary__Output,
} from "../../raftvs/v1/StreamSummary.ts";

export interface RaftTransportClient extends grpc.Client {
  SendSnapshot(
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotResult__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_SnapshotChunk>;
  SendSnapshot(
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotResult__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_SnapshotChunk>;
  SendSnapshot(
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotResult__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_SnapshotChunk>;
  SendSnapshot(
    callback: grpc.requestCallback<_raftvs_v1_SnapshotResult__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_SnapshotChunk>;
  sendSnapshot(
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotResult__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_SnapshotChunk>;
  sendSnapshot(
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotResult__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_SnapshotChunk>;
  sendSnapshot(
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotResult__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_SnapshotChunk>;
  sendSnapshot(
    callback: grpc.requestCallback<_raftvs_v1_SnapshotResult__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_SnapshotChunk>;

  Stream(
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_StreamSummary__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_MessageBatch>;
  Stream(
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_StreamSummary__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_MessageBatch>;
  Stream(
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_StreamSummary__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_MessageBatch>;
  Stream(
    callback: grpc.requestCallback<_raftvs_v1_StreamSummary__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_MessageBatch>;
  stream(
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_StreamSummary__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_MessageBatch>;
  stream(
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_StreamSummary__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_MessageBatch>;
  stream(
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_StreamSummary__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_MessageBatch>;
  stream(
    callback: grpc.requestCallback<_raftvs_v1_StreamSummary__Output>,
  ): grpc.ClientWritableStream<_raftvs_v1_MessageBatch>;
}

export interface RaftTransportHandlers extends grpc.UntypedServiceImplementation {
  SendSnapshot: grpc.handleClientStreamingCall<_raftvs_v1_SnapshotChunk__Output, _raftvs_v1_SnapshotResult>;

  Stream: grpc.handleClientStreamingCall<_raftvs_v1_MessageBatch__Output, _raftvs_v1_StreamSummary>;
}

export interface RaftTransportDefinition extends grpc.ServiceDefinition {
  SendSnapshot: MethodDefinition<
    _raftvs_v1_SnapshotChunk,
    _raftvs_v1_SnapshotResult,
    _raftvs_v1_SnapshotChunk__Output,
    _raftvs_v1_SnapshotResult__Output
  >;
  Stream: MethodDefinition<
    _raftvs_v1_MessageBatch,
    _raftvs_v1_StreamSummary,
    _raftvs_v1_MessageBatch__Output,
    _raftvs_v1_StreamSummary__Output
  >;
}
