// Loads proto/admin.proto at run time with the options the generated types in proto/gen/ assume.

import { fileURLToPath } from "node:url";
import { loadPackageDefinition } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import type { ProtoGrpcType } from "../../proto/gen/admin.ts";

const ADMIN_PROTO = fileURLToPath(new URL("../../proto/admin.proto", import.meta.url));

export const adminProtoDefinition = loadSync(ADMIN_PROTO, {
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
});

export const adminProto = loadPackageDefinition(adminProtoDefinition) as unknown as ProtoGrpcType;

export const ClusterService = adminProto.raftvs.v1.Cluster;
export const KvService = adminProto.raftvs.v1.KV;
export const ServicesService = adminProto.raftvs.v1.Services;
