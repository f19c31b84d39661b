// Original file: proto/admin.proto

export interface GetRequest {
  key?: string;
  serializable?: boolean;
}

export interface GetRequest__Output {
  key: string;
  serializable: boolean;
}
