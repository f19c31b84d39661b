// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface Progress {
  id?: number | string | Long;
  match?: number | string | Long;
  next?: number | string | Long;
  state?: string;
  learner?: boolean;
}

export interface Progress__Output {
  id: number;
  match: number;
  next: number;
  state: string;
  learner: boolean;
}
