// Original file: proto/admin.proto

export interface SnapshotSaveRequest {}

export interface SnapshotSaveRequest__Output {}
