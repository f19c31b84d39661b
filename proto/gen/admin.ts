import type * as grpc from "@grpc/grpc-js";
import type { MessageTypeDefinition } from "@grpc/proto-loader";

import type {
  ClusterClient as _raftvs_v1_ClusterClient,
  ClusterDefinition as _raftvs_v1_ClusterDefinition,
} from "./raftvs/v1/Cluster.ts";
import type {
  DeleteRequest as _raftvs_v1_DeleteRequest,
  DeleteRequest__Output as _raftvs_v1_DeleteRequest__Output,
} from "./raftvs/v1/DeleteRequest.ts";
import type {
  DeleteResponse as _raftvs_v1_DeleteResponse,
  DeleteResponse__Output as _raftvs_v1_DeleteResponse__Output,
} from "./raftvs/v1/DeleteResponse.ts";
import type {
  GetRequest as _raftvs_v1_GetRequest,
  GetRequest__Output as _raftvs_v1_GetRequest__Output,
} from "./raftvs/v1/GetRequest.ts";
import type {
  GetResponse as _raftvs_v1_GetResponse,
  GetResponse__Output as _raftvs_v1_GetResponse__Output,
} from "./raftvs/v1/GetResponse.ts";
import type {
  KVClient as _raftvs_v1_KVClient,
  KVDefinition as _raftvs_v1_KVDefinition,
} from "./raftvs/v1/KV.ts";
import type {
  LeaderTransferRequest as _raftvs_v1_LeaderTransferRequest,
  LeaderTransferRequest__Output as _raftvs_v1_LeaderTransferRequest__Output,
} from "./raftvs/v1/LeaderTransferRequest.ts";
import type {
  LeaderTransferResponse as _raftvs_v1_LeaderTransferResponse,
  LeaderTransferResponse__Output as _raftvs_v1_LeaderTransferResponse__Output,
} from "./raftvs/v1/LeaderTransferResponse.ts";
import type {
  Member as _raftvs_v1_Member,
  Member__Output as _raftvs_v1_Member__Output,
} from "./raftvs/v1/Member.ts";
import type {
  MemberAddRequest as _raftvs_v1_MemberAddRequest,
  MemberAddRequest__Output as _raftvs_v1_MemberAddRequest__Output,
} from "./raftvs/v1/MemberAddRequest.ts";
import type {
  MemberChangeResponse as _raftvs_v1_MemberChangeResponse,
  MemberChangeResponse__Output as _raftvs_v1_MemberChangeResponse__Output,
} from "./raftvs/v1/MemberChangeResponse.ts";
import type {
  MemberIdRequest as _raftvs_v1_MemberIdRequest,
  MemberIdRequest__Output as _raftvs_v1_MemberIdRequest__Output,
} from "./raftvs/v1/MemberIdRequest.ts";
import type {
  MemberListRequest as _raftvs_v1_MemberListRequest,
  MemberListRequest__Output as _raftvs_v1_MemberListRequest__Output,
} from "./raftvs/v1/MemberListRequest.ts";
import type {
  MemberListResponse as _raftvs_v1_MemberListResponse,
  MemberListResponse__Output as _raftvs_v1_MemberListResponse__Output,
} from "./raftvs/v1/MemberListResponse.ts";
import type {
  NodeStatus as _raftvs_v1_NodeStatus,
  NodeStatus__Output as _raftvs_v1_NodeStatus__Output,
} from "./raftvs/v1/NodeStatus.ts";
import type {
  Progress as _raftvs_v1_Progress,
  Progress__Output as _raftvs_v1_Progress__Output,
} from "./raftvs/v1/Progress.ts";
import type {
  PutRequest as _raftvs_v1_PutRequest,
  PutRequest__Output as _raftvs_v1_PutRequest__Output,
} from "./raftvs/v1/PutRequest.ts";
import type {
  PutResponse as _raftvs_v1_PutResponse,
  PutResponse__Output as _raftvs_v1_PutResponse__Output,
} from "./raftvs/v1/PutResponse.ts";
import type {
  SnapshotSaveRequest as _raftvs_v1_SnapshotSaveRequest,
  SnapshotSaveRequest__Output as _raftvs_v1_SnapshotSaveRequest__Output,
} from "./raftvs/v1/SnapshotSaveRequest.ts";
import type {
  SnapshotSaveResponse as _raftvs_v1_SnapshotSaveResponse,
  SnapshotSaveResponse__Output as _raftvs_v1_SnapshotSaveResponse__Output,
} from "./raftvs/v1/SnapshotSaveResponse.ts";
import type {
  StatusRequest as _raftvs_v1_StatusRequest,
  StatusRequest__Output as _raftvs_v1_StatusRequest__Output,
} from "./raftvs/v1/StatusRequest.ts";

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  raftvs: {
    v1: {
      Cluster: SubtypeConstructor<typeof grpc.Client, _raftvs_v1_ClusterClient> & {
        service: _raftvs_v1_ClusterDefinition;
      };
      DeleteRequest: MessageTypeDefinition<_raftvs_v1_DeleteRequest, _raftvs_v1_DeleteRequest__Output>;
      DeleteResponse: MessageTypeDefinition<_raftvs_v1_DeleteResponse, _raftvs_v1_DeleteResponse__Output>;
      GetRequest: MessageTypeDefinition<_raftvs_v1_GetRequest, _raftvs_v1_GetRequest__Output>;
      GetResponse: MessageTypeDefinition<_raftvs_v1_GetResponse, _raftvs_v1_GetResponse__Output>;
      KV: SubtypeConstructor<typeof grpc.Client, _raftvs_v1_KVClient> & { service: _raftvs_v1_KVDefinition };
      LeaderTransferRequest: MessageTypeDefinition<
        _raftvs_v1_LeaderTransferRequest,
        _raftvs_v1_LeaderTransferRequest__Output
      >;
      LeaderTransferResponse: MessageTypeDefinition<
        _raftvs_v1_LeaderTransferResponse,
        _raftvs_v1_LeaderTransferResponse__Output
      >;
      Member: MessageTypeDefinition<_raftvs_v1_Member, _raftvs_v1_Member__Output>;
      MemberAddRequest: MessageTypeDefinition<
        _raftvs_v1_MemberAddRequest,
        _raftvs_v1_MemberAddRequest__Output
      >;
      MemberChangeResponse: MessageTypeDefinition<
        _raftvs_v1_MemberChangeResponse,
        _raftvs_v1_MemberChangeResponse__Output
      >;
      MemberIdRequest: MessageTypeDefinition<_raftvs_v1_MemberIdRequest, _raftvs_v1_MemberIdRequest__Output>;
      MemberListRequest: MessageTypeDefinition<
        _raftvs_v1_MemberListRequest,
        _raftvs_v1_MemberListRequest__Output
      >;
      MemberListResponse: MessageTypeDefinition<
        _raftvs_v1_MemberListResponse,
        _raftvs_v1_MemberListResponse__Output
      >;
      NodeStatus: MessageTypeDefinition<_raftvs_v1_NodeStatus, _raftvs_v1_NodeStatus__Output>;
      Progress: MessageTypeDefinition<_raftvs_v1_Progress, _raftvs_v1_Progress__Output>;
      PutRequest: MessageTypeDefinition<_raftvs_v1_PutRequest, _raftvs_v1_PutRequest__Output>;
      PutResponse: MessageTypeDefinition<_raftvs_v1_PutResponse, _raftvs_v1_PutResponse__Output>;
      SnapshotSaveRequest: MessageTypeDefinition<
        _raftvs_v1_SnapshotSaveRequest,
        _raftvs_v1_SnapshotSaveRequest__Output
      >;
      SnapshotSaveResponse: MessageTypeDefinition<
        _raftvs_v1_SnapshotSaveResponse,
        _raftvs_v1_SnapshotSaveResponse__Output
      >;
      StatusRequest: MessageTypeDefinition<_raftvs_v1_StatusRequest, _raftvs_v1_StatusRequest__Output>;
    };
  };
}
