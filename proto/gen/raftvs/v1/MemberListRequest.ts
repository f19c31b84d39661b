// Original file: proto/admin.proto

export interface MemberListRequest {
  serializable?: boolean;
}

export interface MemberListRequest__Output {
  serializable: boolean;
}
