// The virtual-service table as raftvsctl's commands see it: a linearizable list and one
// transaction of ops, over the Services API (ops are turned into protobuf changes here).

import type { Change } from "../../proto/gen/raftvs/v1/Change.ts";
import type { ServiceSpec as ServiceSpecProto } from "../../proto/gen/raftvs/v1/ServiceSpec.ts";
import type { VirtualService as VirtualServiceProto } from "../../proto/gen/raftvs/v1/VirtualService.ts";
import { serviceFromProto } from "../admin/index.ts";
import type { services } from "../state/index.ts";
import type { AdminClient } from "./client.ts";

export type TableOp = services.TableOp;

export interface TableClient {
  list(): Promise<{ services: services.VirtualService[]; revision: number }>;
  apply(
    ops: TableOp[],
    opts?: { dryRun?: boolean; baseRevision?: number },
  ): Promise<{ revision: number; changed: string[] }>;
}

function specOut(s: services.ServiceSpec): ServiceSpecProto {
  const { persistence, schedFlags, realServers, http, ...plain } = s;
  const out: ServiceSpecProto = { ...plain };
  if (persistence === null) out.noPersistence = true;
  else if (persistence !== undefined) out.persistence = persistence;
  if (schedFlags !== undefined) {
    out.schedFlags = schedFlags;
    out.setSchedFlags = true;
  }
  if (realServers !== undefined) out.realServers = realServers;
  if (http) out.http = http;
  return out;
}

export function opToChange(op: TableOp): Change {
  switch (op.op) {
    case "service.add":
    case "service.edit":
      return { op: op.op, service: specOut(op.service) };
    case "service.delete":
      return { op: op.op, serviceKey: op.key };
    case "server.add":
    case "server.edit":
      return { op: op.op, serviceKey: op.service, server: op.server };
    case "server.delete":
      return {
        op: op.op,
        serviceKey: op.service,
        address: op.address,
        ...(op.port !== undefined ? { port: op.port } : {}),
      };
    case "clear":
      return { op: "clear" };
  }
}

export function tableClient(client: AdminClient): TableClient {
  return {
    async list() {
      const r = await client.call<{ services: VirtualServiceProto[]; revision: number }>(
        "Services",
        "List",
        {},
      );
      return { services: r.services.map(serviceFromProto), revision: Number(r.revision) };
    },
    async apply(ops, opts = {}) {
      const r = await client.call<{ revision: number; changed: string[] }>("Services", "Apply", {
        changes: ops.map(opToChange),
        dryRun: opts.dryRun ?? false,
        ...(opts.baseRevision !== undefined ? { ifRevision: opts.baseRevision } : {}),
      });
      return { revision: Number(r.revision), changed: r.changed };
    },
  };
}
