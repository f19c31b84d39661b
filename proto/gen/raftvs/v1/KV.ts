// Original file: proto/admin.proto

import type * as grpc from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import type {
  DeleteRequest as _raftvs_v1_DeleteRequest,
  DeleteRequest__Output as _raftvs_v1_DeleteRequest__Output,
} from "../../raftvs/v1/DeleteRequest.ts";
import type {
  DeleteResponse as _raftvs_v1_DeleteResponse,
  DeleteResponse__Output as _raftvs_v1_DeleteResponse__Output,
} from "../../raftvs/v1/DeleteResponse.ts";
import type {
  GetRequest as _raftvs_v1_GetRequest,
  GetRequest__Output as _raftvs_v1_GetRequest__Output,
} from "../../raftvs/v1/GetRequest.ts";
import type {
  GetResponse as _raftvs_v1_GetResponse,
  GetResponse__Output as _raftvs_v1_GetResponse__Output,
} from "../../raftvs/v1/GetResponse.ts";
import type {
  PutRequest as _raftvs_v1_PutRequest,
  PutRequest__Output as _raftvs_v1_PutRequest__Output,
} from "../../raftvs/v1/PutRequest.ts";
import type {
  PutResponse as _raftvs_v1_PutResponse,
  PutResponse__Output as _raftvs_v1_PutResponse__Output,
} from "../../raftvs/v1/PutResponse.ts";

export interface KVClient extends grpc.Client {
  Delete(
    argument: _raftvs_v1_DeleteRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_DeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  Delete(
    argument: _raftvs_v1_DeleteRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_DeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  Delete(
    argument: _raftvs_v1_DeleteRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_DeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  Delete(
    argument: _raftvs_v1_DeleteRequest,
    callback: grpc.requestCallback<_raftvs_v1_DeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  delete(
    argument: _raftvs_v1_DeleteRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_DeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  delete(
    argument: _raftvs_v1_DeleteRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_DeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  delete(
    argument: _raftvs_v1_DeleteRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_DeleteResponse__Output>,
  ): grpc.ClientUnaryCall;
  delete(
    argument: _raftvs_v1_DeleteRequest,
    callback: grpc.requestCallback<_raftvs_v1_DeleteResponse__Output>,
  ): grpc.ClientUnaryCall;

  Get(
    argument: _raftvs_v1_GetRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_GetResponse__Output>,
  ): grpc.ClientUnaryCall;
  Get(
    argument: _raftvs_v1_GetRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_GetResponse__Output>,
  ): grpc.ClientUnaryCall;
  Get(
    argument: _raftvs_v1_GetRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_GetResponse__Output>,
  ): grpc.ClientUnaryCall;
  Get(
    argument: _raftvs_v1_GetRequest,
    callback: grpc.requestCallback<_raftvs_v1_GetResponse__Output>,
  ): grpc.ClientUnaryCall;
  get(
    argument: _raftvs_v1_GetRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_GetResponse__Output>,
  ): grpc.ClientUnaryCall;
  get(
    argument: _raftvs_v1_GetRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_GetResponse__Output>,
  ): grpc.ClientUnaryCall;
  get(
    argument: _raftvs_v1_GetRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_GetResponse__Output>,
  ): grpc.ClientUnaryCall;
  get(
    argument: _raftvs_v1_GetRequest,
    callback: grpc.requestCallback<_raftvs_v1_GetResponse__Output>,
  ): grpc.ClientUnaryCall;

  Put(
    argument: _raftvs_v1_PutRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_PutResponse__Output>,
  ): grpc.ClientUnaryCall;
  Put(
    argument: _raftvs_v1_PutRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_PutResponse__Output>,
  ): grpc.ClientUnaryCall;
  Put(
    argument: _raftvs_v1_PutRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_PutResponse__Output>,
  ): grpc.ClientUnaryCall;
  Put(
    argument: _raftvs_v1_PutRequest,
    callback: grpc.requestCallback<_raftvs_v1_PutResponse__Output>,
  ): grpc.ClientUnaryCall;
  put(
    argument: _raftvs_v1_PutRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_PutResponse__Output>,
  ): grpc.ClientUnaryCall;
  put(
    argument: _raftvs_v1_PutRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_PutResponse__Output>,
  ): grpc.ClientUnaryCall;
  put(
    argument: _raftvs_v1_PutRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_PutResponse__Output>,
  ): grpc.ClientUnaryCall;
  put(
    argument: _raftvs_v1_PutRequest,
    callback: grpc.requestCallback<_raftvs_v1_PutResponse__Output>,
  ): grpc.ClientUnaryCall;
}

export interface KVHandlers extends grpc.UntypedServiceImplementation {
  Delete: grpc.handleUnaryCall<_raftvs_v1_DeleteRequest__Output, _raftvs_v1_DeleteResponse>;

  Get: grpc.handleUnaryCall<_raftvs_v1_GetRequest__Output, _raftvs_v1_GetResponse>;

  Put: grpc.handleUnaryCall<_raftvs_v1_PutRequest__Output, _raftvs_v1_PutResponse>;
}

export interface KVDefinition extends grpc.ServiceDefinition {
  Delete: MethodDefinition<
    _raftvs_v1_DeleteRequest,
    _raftvs_v1_DeleteResponse,
    _raftvs_v1_DeleteRequest__Output,
    _raftvs_v1_DeleteResponse__Output
  >;
  Get: MethodDefinition<
    _raftvs_v1_GetRequest,
    _raftvs_v1_GetResponse,
    _raftvs_v1_GetRequest__Output,
    _raftvs_v1_GetResponse__Output
  >;
  Put: MethodDefinition<
    _raftvs_v1_PutRequest,
    _raftvs_v1_PutResponse,
    _raftvs_v1_PutRequest__Output,
    _raftvs_v1_PutResponse__Output
  >;
}
