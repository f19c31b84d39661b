// Turns parsed ipvsadm commands into table ops with ipvsadm's exact semantics, and an ipvsadm -S
// rule file (the -R input) into ONE transaction, so a restore applies entirely or not at all.

// ipvsadm semantics mirrored here (from ipvsadm 1.31's process_options and libipvs, which send
// every field of a service or destination on each add and edit):
// - -A/-E: the scheduler is wlc unless -s is given; no -p means not persistent; no -b means no
//   scheduler flags. So -E is a full replacement of those three settings, not a patch: for
//   example "-E -t VIP:80 -s rr" on a persistent service turns persistence off.
// - -a/-e: weight 1 unless -w; method -g (direct routing) unless -g/-i/-m/-P; thresholds 0 unless
//   -x/-y. So -e replaces all five settings of the real server.
// - -a/-e with -g or -i on an address service: the real server's port is the service's port,
//   whatever port -r names (ipvsadm does this silently; we also print a warning).
// - -r without a port: the service's port (for -a, -e and -d).
// Settings ipvsadm has no words for (the service's mode, HTTP rules, connection limits, pools)
// are never touched by -E or -e.

import type { ForwardMethod, ServerSpec, ServiceSpec, TableOp } from "../../state/services/index.ts";

export type { TableOp };

import {
  DEFAULT_SCHEDULER,
  type IpvsadmCommand,
  type ParseError,
  parseIpvsadmArgs,
  type ServiceRef,
} from "./parse.ts";

export interface OpsResult {
  ops: TableOp[];
  /** Things the user may not expect (ports replaced as ipvsadm does); print them on stderr. */
  warnings: string[];
}

/** ipvsadm's default forwarding method for -a and -e (IP_VS_CONN_F_DROUTE). */
export const DEFAULT_FORWARD: ForwardMethod = "dr";

const MODIFYING = new Set([
  "add-service",
  "edit-service",
  "delete-service",
  "add-server",
  "edit-server",
  "delete-server",
  "clear",
]);

/** True for the commands that change the table (-A -E -D -a -e -d -C). */
export function isModifying(cmd: IpvsadmCommand): boolean {
  return MODIFYING.has(cmd.command);
}

function identity(svc: ServiceRef): ServiceSpec {
  return svc.kind === "fwmark"
    ? { fwmark: svc.fwmark, family: svc.family }
    : { protocol: svc.protocol, vip: svc.ip, port: svc.port };
}

function display(ip: string, port: number | undefined): string {
  const host = ip.includes(":") ? `[${ip}]` : ip;
  return port === undefined ? host : `${host}:${port}`;
}

/** The port a real server gets, or an error (a firewall-mark service has no port to default to). */
function serverPort(
  cmd: IpvsadmCommand,
  forward: ForwardMethod | undefined,
  warnings: string[],
): number | ParseError {
  const svc = cmd.service!;
  const rs = cmd.server!;
  if (svc.kind === "fwmark") {
    if (rs.port === undefined)
      return {
        error: `-r ${display(rs.ip, undefined)}: a firewall-mark service's real server needs a port (-r ADDRESS:PORT); raftvs stores one for every real server`,
      };
    return rs.port;
  }
  if ((forward === "dr" || forward === "tun") && rs.port !== undefined && rs.port !== svc.port)
    warnings.push(
      `-r ${display(rs.ip, rs.port)}: ${forward === "dr" ? "direct routing" : "tunnelling"} keeps the service's port, so the real server is ${display(rs.ip, svc.port)} (as in ipvsadm)`,
    );
  if (forward === "dr" || forward === "tun") return svc.port;
  return rs.port ?? svc.port;
}

/** The table ops of one modifying command (-A -E -D -a -e -d -C). */
export function commandToOps(cmd: IpvsadmCommand): OpsResult | ParseError {
  const warnings: string[] = [];
  const svc = cmd.service;
  switch (cmd.command) {
    case "add-service":
    case "edit-service": {
      const service: ServiceSpec = {
        ...identity(svc!),
        scheduler: cmd.scheduler ?? DEFAULT_SCHEDULER,
        schedFlags: cmd.schedFlags ?? [],
      };
      if (cmd.persistence) service.persistence = { ...cmd.persistence };
      else if (cmd.command === "edit-service") service.persistence = null;
      return {
        ops: [{ op: cmd.command === "add-service" ? "service.add" : "service.edit", service }],
        warnings,
      };
    }
    case "delete-service":
      return { ops: [{ op: "service.delete", key: svc!.key }], warnings };
    case "add-server":
    case "edit-server": {
      const forward = cmd.forward ?? DEFAULT_FORWARD;
      const port = serverPort(cmd, forward, warnings);
      if (typeof port !== "number") return port;
      const server: ServerSpec = {
        address: cmd.server!.ip,
        port,
        weight: cmd.weight ?? 1,
        forward,
        upperThreshold: cmd.upperThreshold ?? 0,
        lowerThreshold: cmd.lowerThreshold ?? 0,
      };
      return {
        ops: [{ op: cmd.command === "add-server" ? "server.add" : "server.edit", service: svc!.key, server }],
        warnings,
      };
    }
    case "delete-server": {
      const port = serverPort(cmd, undefined, warnings);
      if (typeof port !== "number") return port;
      return { ops: [{ op: "server.delete", service: svc!.key, address: cmd.server!.ip, port }], warnings };
    }
    case "clear":
      return { ops: [{ op: "clear" }], warnings };
    default:
      return { error: `${cmd.command} does not change the table` };
  }
}

/**
 * Splits rule text into the argument lists of its lines, as ipvsadm -R reads its input: tokens
 * are separated by blanks, "#" starts a comment, a token "ipvsadm" is skipped (so lines copied
 * from a shell script work), and blank lines are ignored.
 */
export function ruleLines(text: string): Array<{ line: number; args: string[] }> {
  const out: Array<{ line: number; args: string[] }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const hash = raw.indexOf("#");
    const body = hash < 0 ? raw : raw.slice(0, hash);
    const args = body.split(/[ \t\r]+/).filter((t) => t !== "" && t !== "ipvsadm");
    if (args.length > 0) out.push({ line: i + 1, args });
  });
  return out;
}

/** Every line of ipvsadm -S format text as one list of ops (an error names the line). */
export function restoreToOps(text: string): OpsResult | ParseError {
  const ops: TableOp[] = [];
  const warnings: string[] = [];
  for (const { line, args } of ruleLines(text)) {
    const cmd = parseIpvsadmArgs(args);
    if ("error" in cmd) return { error: `line ${line}: ${cmd.error}` };
    if (!isModifying(cmd))
      return {
        error: `line ${line}: only -A -E -D -a -e -d -C may appear in restore input (got ${args.join(" ")})`,
      };
    const r = commandToOps(cmd);
    if ("error" in r) return { error: `line ${line}: ${r.error}` };
    ops.push(...r.ops);
    warnings.push(...r.warnings.map((w) => `line ${line}: ${w}`));
  }
  return { ops, warnings };
}
