// Original file: proto/admin.proto

import type * as grpc from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import type {
  ApplyRequest as _raftvs_v1_ApplyRequest,
  ApplyRequest__Output as _raftvs_v1_ApplyRequest__Output,
} from "../../raftvs/v1/ApplyRequest.ts";
import type {
  ApplyResponse as _raftvs_v1_ApplyResponse,
  ApplyResponse__Output as _raftvs_v1_ApplyResponse__Output,
} from "../../raftvs/v1/ApplyResponse.ts";
import type {
  ListServicesRequest as _raftvs_v1_ListServicesRequest,
  ListServicesRequest__Output as _raftvs_v1_ListServicesRequest__Output,
} from "../../raftvs/v1/ListServicesRequest.ts";
import type {
  ListServicesResponse as _raftvs_v1_ListServicesResponse,
  ListServicesResponse__Output as _raftvs_v1_ListServicesResponse__Output,
} from "../../raftvs/v1/ListServicesResponse.ts";
import type {
  WatchRequest as _raftvs_v1_WatchRequest,
  WatchRequest__Output as _raftvs_v1_WatchRequest__Output,
} from "../../raftvs/v1/WatchRequest.ts";
import type {
  WatchResponse as _raftvs_v1_WatchResponse,
  WatchResponse__Output as _raftvs_v1_WatchResponse__Output,
} from "../../raftvs/v1/WatchResponse.ts";

export interface ServicesClient extends grpc.Client {
  Apply(
    argument: _raftvs_v1_ApplyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_ApplyResponse__Output>,
  ): grpc.ClientUnaryCall;
  Apply(
    argument: _raftvs_v1_ApplyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_ApplyResponse__Output>,
  ): grpc.ClientUnaryCall;
  Apply(
    argument: _raftvs_v1_ApplyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_ApplyResponse__Output>,
  ): grpc.ClientUnaryCall;
  Apply(
    argument: _raftvs_v1_ApplyRequest,
    callback: grpc.requestCallback<_raftvs_v1_ApplyResponse__Output>,
  ): grpc.ClientUnaryCall;
  apply(
    argument: _raftvs_v1_ApplyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_ApplyResponse__Output>,
  ): grpc.ClientUnaryCall;
  apply(
    argument: _raftvs_v1_ApplyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_ApplyResponse__Output>,
  ): grpc.ClientUnaryCall;
  apply(
    argument: _raftvs_v1_ApplyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_ApplyResponse__Output>,
  ): grpc.ClientUnaryCall;
  apply(
    argument: _raftvs_v1_ApplyRequest,
    callback: grpc.requestCallback<_raftvs_v1_ApplyResponse__Output>,
  ): grpc.ClientUnaryCall;

  List(
    argument: _raftvs_v1_ListServicesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_ListServicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  List(
    argument: _raftvs_v1_ListServicesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_ListServicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  List(
    argument: _raftvs_v1_ListServicesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_ListServicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  List(
    argument: _raftvs_v1_ListServicesRequest,
    callback: grpc.requestCallback<_raftvs_v1_ListServicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  list(
    argument: _raftvs_v1_ListServicesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_ListServicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  list(
    argument: _raftvs_v1_ListServicesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_ListServicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  list(
    argument: _raftvs_v1_ListServicesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_ListServicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  list(
    argument: _raftvs_v1_ListServicesRequest,
    callback: grpc.requestCallback<_raftvs_v1_ListServicesResponse__Output>,
  ): grpc.ClientUnaryCall;

  Watch(
    argument: _raftvs_v1_WatchRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_raftvs_v1_WatchResponse__Output>;
  Watch(
    argument: _raftvs_v1_WatchRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_raftvs_v1_WatchResponse__Output>;
  watch(
    argument: _raftvs_v1_WatchRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_raftvs_v1_WatchResponse__Output>;
  watch(
    argument: _raftvs_v1_WatchRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_raftvs_v1_WatchResponse__Output>;
}

export interface ServicesHandlers extends grpc.UntypedServiceImplementation {
  Apply: grpc.handleUnaryCall<_raftvs_v1_ApplyRequest__Output, _raftvs_v1_ApplyResponse>;

  List: grpc.handleUnaryCall<_raftvs_v1_ListServicesRequest__Output, _raftvs_v1_ListServicesResponse>;

  Watch: grpc.handleServerStreamingCall<_raftvs_v1_WatchRequest__Output, _raftvs_v1_WatchResponse>;
}

export interface ServicesDefinition extends grpc.ServiceDefinition {
  Apply: MethodDefinition<
    _raftvs_v1_ApplyRequest,
    _raftvs_v1_ApplyResponse,
    _raftvs_v1_ApplyRequest__Output,
    _raftvs_v1_ApplyResponse__Output
  >;
  List: MethodDefinition<
    _raftvs_v1_ListServicesRequest,
    _raftvs_v1_ListServicesResponse,
    _raftvs_v1_ListServicesRequest__Output,
    _raftvs_v1_ListServicesResponse__Output
  >;
  Watch: MethodDefinition<
    _raftvs_v1_WatchRequest,
    _raftvs_v1_WatchResponse,
    _raftvs_v1_WatchRequest__Output,
    _raftvs_v1_WatchResponse__Output
  >;
}
