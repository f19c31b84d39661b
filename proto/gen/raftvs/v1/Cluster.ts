// Original file: proto/admin.proto

import type * as grpc from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import type {
  LeaderTransferRequest as _raftvs_v1_LeaderTransferRequest,
  LeaderTransferRequest__Output as _raftvs_v1_LeaderTransferRequest__Output,
} from "../../raftvs/v1/LeaderTransferRequest.ts";
import type {
  LeaderTransferResponse as _raftvs_v1_LeaderTransferResponse,
  LeaderTransferResponse__Output as _raftvs_v1_LeaderTransferResponse__Output,
} from "../../raftvs/v1/LeaderTransferResponse.ts";
import type {
  MemberAddRequest as _raftvs_v1_MemberAddRequest,
  MemberAddRequest__Output as _raftvs_v1_MemberAddRequest__Output,
} from "../../raftvs/v1/MemberAddRequest.ts";
import type {
  MemberChangeResponse as _raftvs_v1_MemberChangeResponse,
  MemberChangeResponse__Output as _raftvs_v1_MemberChangeResponse__Output,
} from "../../raftvs/v1/MemberChangeResponse.ts";
import type {
  MemberIdRequest as _raftvs_v1_MemberIdRequest,
  MemberIdRequest__Output as _raftvs_v1_MemberIdRequest__Output,
} from "../../raftvs/v1/MemberIdRequest.ts";
import type {
  MemberListRequest as _raftvs_v1_MemberListRequest,
  MemberListRequest__Output as _raftvs_v1_MemberListRequest__Output,
} from "../../raftvs/v1/MemberListRequest.ts";
import type {
  MemberListResponse as _raftvs_v1_MemberListResponse,
  MemberListResponse__Output as _raftvs_v1_MemberListResponse__Output,
} from "../../raftvs/v1/MemberListResponse.ts";
import type {
  NodeStatus as _raftvs_v1_NodeStatus,
  NodeStatus__Output as _raftvs_v1_NodeStatus__Output,
} from "../../raftvs/v1/NodeStatus.ts";
import type {
  SnapshotSaveRequest as _raftvs_v1_SnapshotSaveRequest,
  SnapshotSaveRequest__Output as _raftvs_v1_SnapshotSaveRequest__Output,
} from "../../raftvs/v1/SnapshotSaveRequest.ts";
import type {
  SnapshotSaveResponse as _raftvs_v1_SnapshotSaveResponse,
  SnapshotSaveResponse__Output as _raftvs_v1_SnapshotSaveResponse__Output,
} from "../../raftvs/v1/SnapshotSaveResponse.ts";
import type {
  StatusRequest as _raftvs_v1_StatusRequest,
  StatusRequest__Output as _raftvs_v1_StatusRequest__Output,
} from "../../raftvs/v1/StatusRequest.ts";

export interface ClusterClient extends grpc.Client {
  LeaderTransfer(
    argument: _raftvs_v1_LeaderTransferRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_LeaderTransferResponse__Output>,
  ): grpc.ClientUnaryCall;
  LeaderTransfer(
    argument: _raftvs_v1_LeaderTransferRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_LeaderTransferResponse__Output>,
  ): grpc.ClientUnaryCall;
  LeaderTransfer(
    argument: _raftvs_v1_LeaderTransferRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_LeaderTransferResponse__Output>,
  ): grpc.ClientUnaryCall;
  LeaderTransfer(
    argument: _raftvs_v1_LeaderTransferRequest,
    callback: grpc.requestCallback<_raftvs_v1_LeaderTransferResponse__Output>,
  ): grpc.ClientUnaryCall;
  leaderTransfer(
    argument: _raftvs_v1_LeaderTransferRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_LeaderTransferResponse__Output>,
  ): grpc.ClientUnaryCall;
  leaderTransfer(
    argument: _raftvs_v1_LeaderTransferRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_LeaderTransferResponse__Output>,
  ): grpc.ClientUnaryCall;
  leaderTransfer(
    argument: _raftvs_v1_LeaderTransferRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_LeaderTransferResponse__Output>,
  ): grpc.ClientUnaryCall;
  leaderTransfer(
    argument: _raftvs_v1_LeaderTransferRequest,
    callback: grpc.requestCallback<_raftvs_v1_LeaderTransferResponse__Output>,
  ): grpc.ClientUnaryCall;

  MemberAdd(
    argument: _raftvs_v1_MemberAddRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberAdd(
    argument: _raftvs_v1_MemberAddRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberAdd(
    argument: _raftvs_v1_MemberAddRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberAdd(
    argument: _raftvs_v1_MemberAddRequest,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberAdd(
    argument: _raftvs_v1_MemberAddRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberAdd(
    argument: _raftvs_v1_MemberAddRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberAdd(
    argument: _raftvs_v1_MemberAddRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberAdd(
    argument: _raftvs_v1_MemberAddRequest,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;

  MemberList(
    argument: _raftvs_v1_MemberListRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberListResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberList(
    argument: _raftvs_v1_MemberListRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_MemberListResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberList(
    argument: _raftvs_v1_MemberListRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberListResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberList(
    argument: _raftvs_v1_MemberListRequest,
    callback: grpc.requestCallback<_raftvs_v1_MemberListResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberList(
    argument: _raftvs_v1_MemberListRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberListResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberList(
    argument: _raftvs_v1_MemberListRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_MemberListResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberList(
    argument: _raftvs_v1_MemberListRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberListResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberList(
    argument: _raftvs_v1_MemberListRequest,
    callback: grpc.requestCallback<_raftvs_v1_MemberListResponse__Output>,
  ): grpc.ClientUnaryCall;

  MemberPromote(
    argument: _raftvs_v1_MemberIdRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberPromote(
    argument: _raftvs_v1_MemberIdRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberPromote(
    argument: _raftvs_v1_MemberIdRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberPromote(
    argument: _raftvs_v1_MemberIdRequest,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberPromote(
    argument: _raftvs_v1_MemberIdRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberPromote(
    argument: _raftvs_v1_MemberIdRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberPromote(
    argument: _raftvs_v1_MemberIdRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberPromote(
    argument: _raftvs_v1_MemberIdRequest,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;

  MemberRemove(
    argument: _raftvs_v1_MemberIdRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberRemove(
    argument: _raftvs_v1_MemberIdRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberRemove(
    argument: _raftvs_v1_MemberIdRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  MemberRemove(
    argument: _raftvs_v1_MemberIdRequest,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberRemove(
    argument: _raftvs_v1_MemberIdRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberRemove(
    argument: _raftvs_v1_MemberIdRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberRemove(
    argument: _raftvs_v1_MemberIdRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;
  memberRemove(
    argument: _raftvs_v1_MemberIdRequest,
    callback: grpc.requestCallback<_raftvs_v1_MemberChangeResponse__Output>,
  ): grpc.ClientUnaryCall;

  SnapshotSave(
    argument: _raftvs_v1_SnapshotSaveRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotSaveResponse__Output>,
  ): grpc.ClientUnaryCall;
  SnapshotSave(
    argument: _raftvs_v1_SnapshotSaveRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotSaveResponse__Output>,
  ): grpc.ClientUnaryCall;
  SnapshotSave(
    argument: _raftvs_v1_SnapshotSaveRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotSaveResponse__Output>,
  ): grpc.ClientUnaryCall;
  SnapshotSave(
    argument: _raftvs_v1_SnapshotSaveRequest,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotSaveResponse__Output>,
  ): grpc.ClientUnaryCall;
  snapshotSave(
    argument: _raftvs_v1_SnapshotSaveRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotSaveResponse__Output>,
  ): grpc.ClientUnaryCall;
  snapshotSave(
    argument: _raftvs_v1_SnapshotSaveRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotSaveResponse__Output>,
  ): grpc.ClientUnaryCall;
  snapshotSave(
    argument: _raftvs_v1_SnapshotSaveRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotSaveResponse__Output>,
  ): grpc.ClientUnaryCall;
  snapshotSave(
    argument: _raftvs_v1_SnapshotSaveRequest,
    callback: grpc.requestCallback<_raftvs_v1_SnapshotSaveResponse__Output>,
  ): grpc.ClientUnaryCall;

  Status(
    argument: _raftvs_v1_StatusRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_NodeStatus__Output>,
  ): grpc.ClientUnaryCall;
  Status(
    argument: _raftvs_v1_StatusRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_NodeStatus__Output>,
  ): grpc.ClientUnaryCall;
  Status(
    argument: _raftvs_v1_StatusRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_NodeStatus__Output>,
  ): grpc.ClientUnaryCall;
  Status(
    argument: _raftvs_v1_StatusRequest,
    callback: grpc.requestCallback<_raftvs_v1_NodeStatus__Output>,
  ): grpc.ClientUnaryCall;
  status(
    argument: _raftvs_v1_StatusRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_NodeStatus__Output>,
  ): grpc.ClientUnaryCall;
  status(
    argument: _raftvs_v1_StatusRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_raftvs_v1_NodeStatus__Output>,
  ): grpc.ClientUnaryCall;
  status(
    argument: _raftvs_v1_StatusRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_raftvs_v1_NodeStatus__Output>,
  ): grpc.ClientUnaryCall;
  status(
    argument: _raftvs_v1_StatusRequest,
    callback: grpc.requestCallback<_raftvs_v1_NodeStatus__Output>,
  ): grpc.ClientUnaryCall;
}

export interface ClusterHandlers extends grpc.UntypedServiceImplementation {
  LeaderTransfer: grpc.handleUnaryCall<
    _raftvs_v1_LeaderTransferRequest__Output,
    _raftvs_v1_LeaderTransferResponse
  >;

  MemberAdd: grpc.handleUnaryCall<_raftvs_v1_MemberAddRequest__Output, _raftvs_v1_MemberChangeResponse>;

  MemberList: grpc.handleUnaryCall<_raftvs_v1_MemberListRequest__Output, _raftvs_v1_MemberListResponse>;

  MemberPromote: grpc.handleUnaryCall<_raftvs_v1_MemberIdRequest__Output, _raftvs_v1_MemberChangeResponse>;

  MemberRemove: grpc.handleUnaryCall<_raftvs_v1_MemberIdRequest__Output, _raftvs_v1_MemberChangeResponse>;

  SnapshotSave: grpc.handleUnaryCall<_raftvs_v1_SnapshotSaveRequest__Output, _raftvs_v1_SnapshotSaveResponse>;

  Status: grpc.handleUnaryCall<_raftvs_v1_StatusRequest__Output, _raftvs_v1_NodeStatus>;
}

export interface ClusterDefinition extends grpc.ServiceDefinition {
  LeaderTransfer: MethodDefinition<
    _raftvs_v1_LeaderTransferRequest,
    _raftvs_v1_LeaderTransferResponse,
    _raftvs_v1_LeaderTransferRequest__Output,
    _raftvs_v1_LeaderTransferResponse__Output
  >;
  MemberAdd: MethodDefinition<
    _raftvs_v1_MemberAddRequest,
    _raftvs_v1_MemberChangeResponse,
    _raftvs_v1_MemberAddRequest__Output,
    _raftvs_v1_MemberChangeResponse__Output
  >;
  MemberList: MethodDefinition<
    _raftvs_v1_MemberListRequest,
    _raftvs_v1_MemberListResponse,
    _raftvs_v1_MemberListRequest__Output,
    _raftvs_v1_MemberListResponse__Output
  >;
  MemberPromote: MethodDefinition<
    _raftvs_v1_MemberIdRequest,
    _raftvs_v1_MemberChangeResponse,
    _raftvs_v1_MemberIdRequest__Output,
    _raftvs_v1_MemberChangeResponse__Output
  >;
  MemberRemove: MethodDefinition<
    _raftvs_v1_MemberIdRequest,
    _raftvs_v1_MemberChangeResponse,
    _raftvs_v1_MemberIdRequest__Output,
    _raftvs_v1_MemberChangeResponse__Output
  >;
  SnapshotSave: MethodDefinition<
    _raftvs_v1_SnapshotSaveRequest,
    _raftvs_v1_SnapshotSaveResponse,
    _raftvs_v1_SnapshotSaveRequest__Output,
    _raftvs_v1_SnapshotSaveResponse__Output
  >;
  Status: MethodDefinition<
    _raftvs_v1_StatusRequest,
    _raftvs_v1_NodeStatus,
    _raftvs_v1_StatusRequest__Output,
    _raftvs_v1_NodeStatus__Output
  >;
}
