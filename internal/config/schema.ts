// The daemon's configuration: its shape, defaults, and validation that names every bad field.

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface ClientTlsFiles {
  cert: string;
  key: string;
  /** When set, clients must present a certificate from this CA. */
  ca?: string;
}

export type Role = "admin" | "readonly";

export interface AuthConfig {
  tokens: Array<{ name: string; token: string; role: Role }>;
  /** Role by client-certificate common name (a verified certificate not listed is readonly). */
  clientCertRoles: Record<string, Role>;
}

export interface InitialMember {
  id: number;
  peer: string;
  client: string;
}

export interface DaemonConfig {
  id: number;
  clusterId: string;
  dataDir: string;
  listen: { peer: string; client: string };
  /**
   * The members of a brand-new cluster (identical on each of them; ignored once data exists), or
   * with `join`, members of the existing cluster to reach until the member directory arrives.
   */
  initialCluster: InitialMember[];
  /** Start with an empty log and wait to be added by `raftvsctl member add`. */
  join: boolean;
  tls: { peer?: TlsFiles; client?: ClientTlsFiles };
  /** Client-API credentials; with none (and no client CA) the API is open, on loopback only. */
  auth: AuthConfig;
  raft: {
    tickMs: number;
    electionTicks: number;
    heartbeatTicks: number;
    maxInflightMsgs: number;
    maxSizePerMsgBytes: number;
    snapshotEveryEntries: number;
    snapshotKeepEntries: number;
    leaseMarginTicks: number;
    /** Largest peer gRPC message; an entry must fit in one (so proposals are capped below it). */
    peerMaxMessageBytes: number;
  };
  log: { level: "trace" | "debug" | "info" | "warn" | "error" | "fatal"; pretty: boolean | "auto" };
  /** Milliseconds to wait for in-flight work on SIGTERM before exiting. */
  shutdownGraceMs: number;
  /** Default timeout of client requests (proposals, read barriers). */
  requestTimeoutMs: number;
}

export const CONFIG_DEFAULTS = {
  clusterId: "raftvs",
  listen: { peer: "127.0.0.1:7001", client: "127.0.0.1:8001" },
  initialCluster: [],
  join: false,
  tls: {},
  auth: { tokens: [], clientCertRoles: {} },
  raft: {
    tickMs: 10,
    electionTicks: 15,
    heartbeatTicks: 3,
    maxInflightMsgs: 256,
    maxSizePerMsgBytes: 1024 * 1024,
    snapshotEveryEntries: 10_000,
    snapshotKeepEntries: 5_000,
    leaseMarginTicks: 2,
    peerMaxMessageBytes: 64 * 1024 * 1024,
  },
  log: { level: "info", pretty: "auto" },
  shutdownGraceMs: 5_000,
  requestTimeoutMs: 5_000,
} satisfies Omit<DaemonConfig, "id" | "dataDir">;

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  /** Every problem found, each naming its field ("raft.tickMs: must be ..."). */
  readonly problems: string[];
  constructor(problems: string[], source: string) {
    super(`invalid configuration (${source}):\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/;

export function hostPortProblem(v: unknown): string | undefined {
  if (typeof v !== "string") return `must be "host:port" (got ${JSON.stringify(v)})`;
  const m = HOST_PORT.exec(v);
  if (!m) return `must be "host:port" (got ${JSON.stringify(v)})`;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `port must be in 1..65535 (got ${port})`;
  return undefined;
}

/** Every problem of a merged configuration, each prefixed with its field path. */
export function validateConfig(c: DaemonConfig): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, field: string, why: string): void => {
    if (!ok) problems.push(`${field}: ${why}`);
  };
  const posInt = (v: unknown, field: string, max = Number.MAX_SAFE_INTEGER): void =>
    need(
      Number.isSafeInteger(v) && (v as number) > 0 && (v as number) <= max,
      field,
      `must be an integer in 1..${max} (got ${JSON.stringify(v)})`,
    );
  posInt(c.id, "id");
  need(
    typeof c.clusterId === "string" && /^[A-Za-z0-9._-]{1,64}$/.test(c.clusterId),
    "clusterId",
    "must be 1-64 of [A-Za-z0-9._-]",
  );
  need(
    typeof c.dataDir === "string" && c.dataDir.length > 0,
    "dataDir",
    "is required (a directory for the node's data)",
  );
  for (const f of ["peer", "client"] as const) {
    const p = hostPortProblem(c.listen?.[f]);
    if (p) problems.push(`listen.${f}: ${p}`);
  }
  need(Array.isArray(c.initialCluster), "initialCluster", "must be a list of {id, peer, client}");
  if (Array.isArray(c.initialCluster)) {
    const seen = new Set<number>();
    c.initialCluster.forEach((m, i) => {
      posInt(m?.id, `initialCluster[${i}].id`);
      if (seen.has(m?.id)) problems.push(`initialCluster[${i}].id: duplicate id ${m.id}`);
      seen.add(m?.id);
      for (const f of ["peer", "client"] as const) {
        const p = hostPortProblem(m?.[f]);
        if (p) problems.push(`initialCluster[${i}].${f}: ${p}`);
      }
    });
    if (!c.join && c.initialCluster.length > 0 && !seen.has(c.id))
      problems.push(`initialCluster: does not list this node's id ${c.id}`);
  }
  need(typeof c.join === "boolean", "join", "must be true or false");
  if (c.join && c.initialCluster.length === 0)
    problems.push(
      "initialCluster: a joining node needs the existing members it can reach (id=peer/client,...)",
    );
  if (!c.join && c.initialCluster.length === 0)
    problems.push("initialCluster: required for a new cluster (or set join: true to be added later)");
  const tls = c.tls?.peer;
  if (tls !== undefined)
    for (const f of ["ca", "cert", "key"] as const)
      need(typeof tls[f] === "string" && tls[f].length > 0, `tls.peer.${f}`, "must be a file path");
  const ctls = c.tls?.client;
  if (ctls !== undefined) {
    for (const f of ["cert", "key"] as const)
      need(typeof ctls[f] === "string" && ctls[f].length > 0, `tls.client.${f}`, "must be a file path");
    if (ctls.ca !== undefined)
      need(typeof ctls.ca === "string" && ctls.ca.length > 0, "tls.client.ca", "must be a file path");
  }
  const auth = c.auth;
  need(Array.isArray(auth?.tokens), "auth.tokens", "must be a list of {name, token, role}");
  (Array.isArray(auth?.tokens) ? auth.tokens : []).forEach((tk, i) => {
    need(
      typeof tk?.name === "string" && /^[A-Za-z0-9._-]{1,64}$/.test(tk.name),
      `auth.tokens[${i}].name`,
      "must be 1-64 of [A-Za-z0-9._-]",
    );
    need(
      typeof tk?.token === "string" && tk.token.length >= 16,
      `auth.tokens[${i}].token`,
      "must be a secret of at least 16 characters",
    );
    need(
      tk?.role === "admin" || tk?.role === "readonly",
      `auth.tokens[${i}].role`,
      "must be admin or readonly",
    );
  });
  const certRoles = auth?.clientCertRoles ?? {};
  need(
    typeof certRoles === "object" && certRoles !== null && !Array.isArray(certRoles),
    "auth.clientCertRoles",
    "must map common names to roles",
  );
  for (const [cn, role] of Object.entries(certRoles))
    need(role === "admin" || role === "readonly", `auth.clientCertRoles.${cn}`, "must be admin or readonly");
  const open = (auth?.tokens?.length ?? 0) === 0 && !ctls?.ca;
  const clientHost =
    typeof c.listen?.client === "string" ? c.listen.client.slice(0, c.listen.client.lastIndexOf(":")) : "";
  if (
    open &&
    !["127.0.0.1", "localhost", "[::1]", "::1"].includes(clientHost) &&
    !clientHost.startsWith("127.")
  )
    problems.push(
      "listen.client: a client API on a non-loopback address needs credentials: auth.tokens or tls.client.ca (client certificates)",
    );
  const r = c.raft;
  posInt(r?.tickMs, "raft.tickMs", 10_000);
  posInt(r?.electionTicks, "raft.electionTicks", 1_000);
  posInt(r?.heartbeatTicks, "raft.heartbeatTicks", 1_000);
  if (r && r.heartbeatTicks >= r.electionTicks)
    problems.push("raft.heartbeatTicks: must be less than raft.electionTicks");
  posInt(r?.maxInflightMsgs, "raft.maxInflightMsgs", 65_536);
  posInt(r?.maxSizePerMsgBytes, "raft.maxSizePerMsgBytes", 64 * 1024 * 1024);
  posInt(r?.snapshotEveryEntries, "raft.snapshotEveryEntries");
  need(
    Number.isSafeInteger(r?.peerMaxMessageBytes) &&
      r.peerMaxMessageBytes >= 1024 * 1024 &&
      r.peerMaxMessageBytes < 2 ** 31,
    "raft.peerMaxMessageBytes",
    "must be an integer from 1 MiB (1048576) to 2 GiB",
  );
  need(
    Number.isSafeInteger(r?.snapshotKeepEntries) && r.snapshotKeepEntries >= 0,
    "raft.snapshotKeepEntries",
    "must be a non-negative integer",
  );
  need(
    Number.isSafeInteger(r?.leaseMarginTicks) &&
      r.leaseMarginTicks >= 1 &&
      r.leaseMarginTicks < r.electionTicks,
    "raft.leaseMarginTicks",
    "must be an integer in 1..electionTicks-1",
  );
  need(
    ["trace", "debug", "info", "warn", "error", "fatal"].includes(c.log?.level),
    "log.level",
    "must be one of trace, debug, info, warn, error, fatal",
  );
  need([true, false, "auto"].includes(c.log?.pretty as never), "log.pretty", 'must be true, false or "auto"');
  posInt(c.shutdownGraceMs, "shutdownGraceMs", 600_000);
  posInt(c.requestTimeoutMs, "requestTimeoutMs", 600_000);
  return problems;
}
