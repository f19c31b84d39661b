// Original file: proto/admin.proto

import type { Long } from "@grpc/proto-loader";

export interface Member {
  id?: number | string | Long;
  peerAddress?: string;
  clientAddress?: string;
  learner?: boolean;
}

export interface Member__Output {
  id: number;
  peerAddress: string;
  clientAddress: string;
  learner: boolean;
}
