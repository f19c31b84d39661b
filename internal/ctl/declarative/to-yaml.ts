// Writing the virtual-service table as a short YAML document (`raftvsctl get -o yaml`): identity,
// scheduler, and only the fields that differ from their defaults, so files stay readable.

import { Document } from "yaml";
import {
  type ContentRule,
  type HttpSettings,
  hostPort,
  type RealServer,
  type VirtualService,
} from "../../state/services/index.ts";

type Doc = Record<string, unknown>;

/** A real server: "addr:port" when every field is the default, else a map of the others. */
function serverDoc(rs: RealServer, serviceForward: string): string | Doc {
  const o: Doc = { address: hostPort(rs.address, rs.port) };
  if (rs.weight !== 1) o.weight = rs.weight;
  if (rs.forward !== serviceForward) o.forward = rs.forward;
  if (rs.upperThreshold !== 0) o.upperThreshold = rs.upperThreshold;
  if (rs.lowerThreshold !== 0) o.lowerThreshold = rs.lowerThreshold;
  if (rs.maxConn !== 0) o.maxConn = rs.maxConn;
  if (rs.pool !== "") o.pool = rs.pool;
  return Object.keys(o).length === 1 ? (o.address as string) : o;
}

function ruleDoc(r: ContentRule): Doc {
  const o: Doc = {};
  if (r.host !== undefined) o.host = r.host;
  if (r.pathPrefix !== undefined) o.pathPrefix = r.pathPrefix;
  if (r.pathRegex !== undefined) o.pathRegex = r.pathRegex;
  if (r.header !== undefined) o.header = { ...r.header };
  o.pool = r.pool;
  return o;
}

function httpDoc(h: HttpSettings): Doc {
  const o: Doc = {};
  if (h.rules.length > 0) o.rules = h.rules.map(ruleDoc);
  if (h.sorryServer !== undefined) o.sorryServer = h.sorryServer;
  return o;
}

/** One service as the YAML document writes it (also what `yamlToSpecs` reads back). */
export function serviceToDoc(svc: VirtualService): Doc {
  const o: Doc = {};
  if (svc.fwmark !== undefined) {
    o.fwmark = svc.fwmark;
    if (svc.family === 6) o.family = 6;
  } else {
    o.protocol = svc.protocol;
    o.vip = svc.vip;
    o.port = svc.port;
  }
  o.scheduler = svc.scheduler;
  if (svc.schedFlags.length > 0) o.schedFlags = [...svc.schedFlags];
  if (svc.persistence) o.persistence = { ...svc.persistence };
  if (svc.forward !== "proxy") o.forward = svc.forward;
  if (svc.mode !== "l4") o.mode = svc.mode;
  if (svc.maxConn !== 0) o.maxConn = svc.maxConn;
  if (svc.http) o.http = httpDoc(svc.http);
  o.realServers = svc.realServers.map((rs) => serverDoc(rs, svc.forward));
  return o;
}

/** The table as YAML, services in key order; a header comment names the revision if given. */
export function tableToYaml(
  services: readonly VirtualService[],
  opts: { revision?: number; comment?: string } = {},
): string {
  const sorted = [...services].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const doc = new Document({ services: sorted.map(serviceToDoc) });
  const header = [
    opts.revision === undefined
      ? " raftvs virtual services"
      : ` raftvs virtual services at revision ${opts.revision}`,
    ...(opts.comment ? [` ${opts.comment}`] : []),
    " apply changes with: raftvsctl apply -f FILE [--dry-run]",
  ];
  doc.commentBefore = header.join("\n");
  return doc.toString({ lineWidth: 0 });
}
