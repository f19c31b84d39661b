// Original file: proto/admin.proto

export interface DeleteRequest {
  key?: string;
}

export interface DeleteRequest__Output {
  key: string;
}
