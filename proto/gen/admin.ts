import type * as grpc from "@grpc/grpc-js";
import type { MessageTypeDefinition } from "@grpc/proto-loader";

import type {
  ApplyRequest as _raftvs_v1_ApplyRequest,
  ApplyRequest__Output as _raftvs_v1_ApplyRequest__Output,
} from "./raftvs/v1/ApplyRequest.ts";
import type {
  ApplyResponse as _raftvs_v1_ApplyResponse,
  ApplyResponse__Output as _raftvs_v1_ApplyResponse__Output,
} from "./raftvs/v1/ApplyResponse.ts";
import type {
  Change as _raftvs_v1_Change,
  Change__Output as _raftvs_v1_Change__Output,
} from "./raftvs/v1/Change.ts";
import type {
  ClusterClient as _raftvs_v1_ClusterClient,
  ClusterDefinition as _raftvs_v1_ClusterDefinition,
} from "./raftvs/v1/Cluster.ts";
import type {
  ContentRule as _raftvs_v1_ContentRule,
  ContentRule__Output as _raftvs_v1_ContentRule__Output,
} from "./raftvs/v1/ContentRule.ts";
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
  HeaderMatch as _raftvs_v1_HeaderMatch,
  HeaderMatch__Output as _raftvs_v1_HeaderMatch__Output,
} from "./raftvs/v1/HeaderMatch.ts";
import type {
  HttpSettings as _raftvs_v1_HttpSettings,
  HttpSettings__Output as _raftvs_v1_HttpSettings__Output,
} from "./raftvs/v1/HttpSettings.ts";
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
  ListServicesRequest as _raftvs_v1_ListServicesRequest,
  ListServicesRequest__Output as _raftvs_v1_ListServicesRequest__Output,
} from "./raftvs/v1/ListServicesRequest.ts";
import type {
  ListServicesResponse as _raftvs_v1_ListServicesResponse,
  ListServicesResponse__Output as _raftvs_v1_ListServicesResponse__Output,
} from "./raftvs/v1/ListServicesResponse.ts";
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
  Persistence as _raftvs_v1_Persistence,
  Persistence__Output as _raftvs_v1_Persistence__Output,
} from "./raftvs/v1/Persistence.ts";
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
  RealServer as _raftvs_v1_RealServer,
  RealServer__Output as _raftvs_v1_RealServer__Output,
} from "./raftvs/v1/RealServer.ts";
import type {
  ServerSpec as _raftvs_v1_ServerSpec,
  ServerSpec__Output as _raftvs_v1_ServerSpec__Output,
} from "./raftvs/v1/ServerSpec.ts";
import type {
  ServiceEvent as _raftvs_v1_ServiceEvent,
  ServiceEvent__Output as _raftvs_v1_ServiceEvent__Output,
} from "./raftvs/v1/ServiceEvent.ts";
import type {
  ServiceSpec as _raftvs_v1_ServiceSpec,
  ServiceSpec__Output as _raftvs_v1_ServiceSpec__Output,
} from "./raftvs/v1/ServiceSpec.ts";
import type {
  ServicesClient as _raftvs_v1_ServicesClient,
  ServicesDefinition as _raftvs_v1_ServicesDefinition,
} from "./raftvs/v1/Services.ts";
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
import type {
  VirtualService as _raftvs_v1_VirtualService,
  VirtualService__Output as _raftvs_v1_VirtualService__Output,
} from "./raftvs/v1/VirtualService.ts";
import type {
  WatchRequest as _raftvs_v1_WatchRequest,
  WatchRequest__Output as _raftvs_v1_WatchRequest__Output,
} from "./raftvs/v1/WatchRequest.ts";
import type {
  WatchResponse as _raftvs_v1_WatchResponse,
  WatchResponse__Output as _raftvs_v1_WatchResponse__Output,
} from "./raftvs/v1/WatchResponse.ts";

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  raftvs: {
    v1: {
      ApplyRequest: MessageTypeDefinition<_raftvs_v1_ApplyRequest, _raftvs_v1_ApplyRequest__Output>;
      ApplyResponse: MessageTypeDefinition<_raftvs_v1_ApplyResponse, _raftvs_v1_ApplyResponse__Output>;
      Change: MessageTypeDefinition<_raftvs_v1_Change, _raftvs_v1_Change__Output>;
      Cluster: SubtypeConstructor<typeof grpc.Client, _raftvs_v1_ClusterClient> & {
        service: _raftvs_v1_ClusterDefinition;
      };
      ContentRule: MessageTypeDefinition<_raftvs_v1_ContentRule, _raftvs_v1_ContentRule__Output>;
      DeleteRequest: MessageTypeDefinition<_raftvs_v1_DeleteRequest, _raftvs_v1_DeleteRequest__Output>;
      DeleteResponse: MessageTypeDefinition<_raftvs_v1_DeleteResponse, _raftvs_v1_DeleteResponse__Output>;
      GetRequest: MessageTypeDefinition<_raftvs_v1_GetRequest, _raftvs_v1_GetRequest__Output>;
      GetResponse: MessageTypeDefinition<_raftvs_v1_GetResponse, _raftvs_v1_GetResponse__Output>;
      HeaderMatch: MessageTypeDefinition<_raftvs_v1_HeaderMatch, _raftvs_v1_HeaderMatch__Output>;
      HttpSettings: MessageTypeDefinition<_raftvs_v1_HttpSettings, _raftvs_v1_HttpSettings__Output>;
      KV: SubtypeConstructor<typeof grpc.Client, _raftvs_v1_KVClient> & { service: _raftvs_v1_KVDefinition };
      LeaderTransferRequest: MessageTypeDefinition<
        _raftvs_v1_LeaderTransferRequest,
        _raftvs_v1_LeaderTransferRequest__Output
      >;
      LeaderTransferResponse: MessageTypeDefinition<
        _raftvs_v1_LeaderTransferResponse,
        _raftvs_v1_LeaderTransferResponse__Output
      >;
      ListServicesRequest: MessageTypeDefinition<
        _raftvs_v1_ListServicesRequest,
        _raftvs_v1_ListServicesRequest__Output
      >;
      ListServicesResponse: MessageTypeDefinition<
        _raftvs_v1_ListServicesResponse,
        _raftvs_v1_ListServicesResponse__Output
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
      Persistence: MessageTypeDefinition<_raftvs_v1_Persistence, _raftvs_v1_Persistence__Output>;
      Progress: MessageTypeDefinition<_raftvs_v1_Progress, _raftvs_v1_Progress__Output>;
      PutRequest: MessageTypeDefinition<_raftvs_v1_PutRequest, _raftvs_v1_PutRequest__Output>;
      PutResponse: MessageTypeDefinition<_raftvs_v1_PutResponse, _raftvs_v1_PutResponse__Output>;
      RealServer: MessageTypeDefinition<_raftvs_v1_RealServer, _raftvs_v1_RealServer__Output>;
      ServerSpec: MessageTypeDefinition<_raftvs_v1_ServerSpec, _raftvs_v1_ServerSpec__Output>;
      ServiceEvent: MessageTypeDefinition<_raftvs_v1_ServiceEvent, _raftvs_v1_ServiceEvent__Output>;
      ServiceSpec: MessageTypeDefinition<_raftvs_v1_ServiceSpec, _raftvs_v1_ServiceSpec__Output>;
      Services: SubtypeConstructor<typeof grpc.Client, _raftvs_v1_ServicesClient> & {
        service: _raftvs_v1_ServicesDefinition;
      };
      SnapshotSaveRequest: MessageTypeDefinition<
        _raftvs_v1_SnapshotSaveRequest,
        _raftvs_v1_SnapshotSaveRequest__Output
      >;
      SnapshotSaveResponse: MessageTypeDefinition<
        _raftvs_v1_SnapshotSaveResponse,
        _raftvs_v1_SnapshotSaveResponse__Output
      >;
      StatusRequest: MessageTypeDefinition<_raftvs_v1_StatusRequest, _raftvs_v1_StatusRequest__Output>;
      VirtualService: MessageTypeDefinition<_raftvs_v1_VirtualService, _raftvs_v1_VirtualService__Output>;
      WatchRequest: MessageTypeDefinition<_raftvs_v1_WatchRequest, _raftvs_v1_WatchRequest__Output>;
      WatchResponse: MessageTypeDefinition<_raftvs_v1_WatchResponse, _raftvs_v1_WatchResponse__Output>;
    };
  };
}
