// Loads proto/raft.proto once, with the options the generated types in proto/gen/ assume
// (uint64 as number, enums as strings, defaults filled in), and exposes the typed service.
import { fileURLToPath } from "node:url";
import { loadPackageDefinition } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import type { ProtoGrpcType } from "../../proto/gen/raft.ts";

export type { MessageBatch, MessageBatch__Output } from "../../proto/gen/raftvs/v1/MessageBatch.ts";
export type { RaftMessage, RaftMessage__Output } from "../../proto/gen/raftvs/v1/RaftMessage.ts";
export type { SnapshotChunk, SnapshotChunk__Output } from "../../proto/gen/raftvs/v1/SnapshotChunk.ts";
export type { SnapshotHeader, SnapshotHeader__Output } from "../../proto/gen/raftvs/v1/SnapshotHeader.ts";
export type { SnapshotResult, SnapshotResult__Output } from "../../proto/gen/raftvs/v1/SnapshotResult.ts";
export type { StreamSummary, StreamSummary__Output } from "../../proto/gen/raftvs/v1/StreamSummary.ts";

export const PROTO_PATH = fileURLToPath(new URL("../../proto/raft.proto", import.meta.url));

/** Must match the flags of scripts/gen-proto.sh. */
export const LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

const proto = loadPackageDefinition(loadSync(PROTO_PATH, LOADER_OPTIONS)) as unknown as ProtoGrpcType;

/** raftvs.v1.RaftTransport: method paths and (de)serializers, for servers and raw clients. */
export const raftTransportService = proto.raftvs.v1.RaftTransport.service;

/** The service's client class (used by tests that play a misbehaving peer). */
export const RaftTransportClient = proto.raftvs.v1.RaftTransport;
