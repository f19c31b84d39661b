// Converts between the table's model and its protobuf messages: services out (List, Watch) and
// changes in (Apply), keeping "absent" distinct from "zero" through proto3 optional fields.

import type { Change__Output } from "../../proto/gen/raftvs/v1/Change.ts";
import type { ServerSpec__Output } from "../../proto/gen/raftvs/v1/ServerSpec.ts";
import type { ServiceSpec__Output } from "../../proto/gen/raftvs/v1/ServiceSpec.ts";
import type { VirtualService as VirtualServiceProto } from "../../proto/gen/raftvs/v1/VirtualService.ts";
import { services } from "../state/index.ts";

type Obj = Record<string, unknown>;

/** Copies the fields of `from` that are present (not undefined) into a plain object. */
function present(from: object, fields: readonly string[]): Obj {
  const out: Obj = {};
  for (const f of fields) {
    const v = (from as Obj)[f];
    if (v !== undefined && v !== null) out[f] = v;
  }
  return out;
}

const SERVER_FIELDS = services.SERVER_SPEC_FIELDS;
const SERVICE_FIELDS = [
  "protocol",
  "vip",
  "port",
  "fwmark",
  "family",
  "scheduler",
  "forward",
  "mode",
  "maxConn",
] as const;

function serverSpecIn(s: ServerSpec__Output): Obj {
  return present(s, SERVER_FIELDS);
}

function httpIn(h: NonNullable<ServiceSpec__Output["http"]>): Obj {
  return {
    rules: h.rules.map((r) => {
      const rule = present(r, ["host", "pathPrefix", "pathRegex", "pool"]);
      if (r.header) rule.header = present(r.header, ["name", "value", "regex"]);
      return rule;
    }),
    ...(h.sorryServer !== undefined ? { sorryServer: h.sorryServer } : {}),
  };
}

function serviceSpecIn(s: ServiceSpec__Output, withServers: boolean): Obj {
  const spec = present(s, SERVICE_FIELDS);
  if (s.setSchedFlags) spec.schedFlags = s.schedFlags;
  if (s.noPersistence) spec.persistence = null;
  else if (s.persistence) {
    const p = s.persistence;
    spec.persistence = {
      ...(p.timeoutSec ? { timeoutSec: p.timeoutSec } : {}),
      ...(p.netmask ? { netmask: p.netmask } : {}),
      ...(p.prefixLen ? { prefixLen: p.prefixLen } : {}),
    };
  }
  if (s.http) spec.http = httpIn(s.http);
  if (withServers && s.realServers.length > 0) spec.realServers = s.realServers.map(serverSpecIn);
  return spec;
}

/** One protobuf change as a table op (validated by the table itself when staged). */
export function changeIn(c: Change__Output): Obj {
  switch (c.op) {
    case "service.add":
    case "service.edit":
      return { op: c.op, service: c.service ? serviceSpecIn(c.service, c.op === "service.add") : undefined };
    case "service.delete":
      return { op: c.op, key: c.serviceKey };
    case "server.add":
    case "server.edit":
      return { op: c.op, service: c.serviceKey, server: c.server ? serverSpecIn(c.server) : undefined };
    case "server.delete":
      return {
        op: c.op,
        service: c.serviceKey,
        address: c.address,
        ...(c.port !== undefined ? { port: c.port } : {}),
      };
    default:
      return { op: c.op };
  }
}

export function serviceOut(s: services.VirtualService): VirtualServiceProto {
  return {
    key: s.key,
    family: s.family,
    protocol: s.protocol ?? "",
    vip: s.vip ?? "",
    port: s.port ?? 0,
    fwmark: s.fwmark ?? 0,
    scheduler: s.scheduler,
    schedFlags: s.schedFlags,
    ...(s.persistence
      ? {
          persistence: {
            timeoutSec: s.persistence.timeoutSec,
            netmask: s.persistence.netmask ?? "",
            prefixLen: s.persistence.prefixLen ?? 0,
          },
        }
      : {}),
    forward: s.forward,
    mode: s.mode,
    ...(s.http
      ? { http: { rules: s.http.rules, ...(s.http.sorryServer ? { sorryServer: s.http.sorryServer } : {}) } }
      : {}),
    maxConn: s.maxConn,
    realServers: s.realServers,
  };
}

/** The table model from a listed protobuf service (for clients such as raftvsctl). */
export function serviceFromProto(p: VirtualServiceProto): services.VirtualService {
  const svc: services.VirtualService = {
    key: p.key ?? "",
    family: (p.family === 6 ? 6 : 4) as 4 | 6,
    scheduler: p.scheduler as services.SchedulerName,
    schedFlags: (p.schedFlags ?? []) as services.SchedFlag[],
    forward: p.forward as services.ForwardMethod,
    mode: p.mode as services.ServiceMode,
    maxConn: Number(p.maxConn ?? 0),
    realServers: (p.realServers ?? []).map((r) => ({
      address: r.address ?? "",
      port: Number(r.port ?? 0),
      weight: Number(r.weight ?? 0),
      forward: r.forward as services.ForwardMethod,
      upperThreshold: Number(r.upperThreshold ?? 0),
      lowerThreshold: Number(r.lowerThreshold ?? 0),
      maxConn: Number(r.maxConn ?? 0),
      pool: r.pool ?? "",
    })),
  };
  if (p.protocol) svc.protocol = p.protocol as services.Protocol;
  if (p.vip) svc.vip = p.vip;
  if (p.port) svc.port = Number(p.port);
  if (p.fwmark) svc.fwmark = Number(p.fwmark);
  if (p.persistence) {
    svc.persistence = { timeoutSec: Number(p.persistence.timeoutSec ?? 0) };
    if (p.persistence.netmask) svc.persistence.netmask = p.persistence.netmask;
    if (p.persistence.prefixLen) svc.persistence.prefixLen = Number(p.persistence.prefixLen);
  }
  if (p.http) {
    svc.http = { rules: (p.http.rules ?? []) as services.ContentRule[] };
    if (p.http.sorryServer) svc.http.sorryServer = p.http.sorryServer;
  }
  return svc;
}
