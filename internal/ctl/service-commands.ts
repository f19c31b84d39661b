// raftvsctl's modern table commands: `service list|show` (table, json or yaml) and
// `get -o yaml` (the whole table as a declarative document that `apply -f` takes back).

import { services } from "../state/index.ts";
import { CtlError } from "./client.ts";
import type { CommandContext } from "./cluster-commands.ts";
import { tableToYaml } from "./declarative/index.ts";
import { renderTable } from "./output.ts";
import type { TableClient } from "./table-client.ts";

export type ListFormat = "table" | "json" | "yaml";

function persistenceText(s: services.VirtualService): string {
  const p = s.persistence;
  if (!p) return "-";
  const mask = p.netmask ? `/${p.netmask}` : p.prefixLen ? `/${p.prefixLen}` : "";
  return `${p.timeoutSec}s${mask}`;
}

function serviceRows(list: services.VirtualService[]): Array<Array<string | number>> {
  return list.map((s) => [
    s.key,
    s.scheduler + (s.schedFlags.length ? ` (${s.schedFlags.join(",")})` : ""),
    persistenceText(s),
    s.forward,
    s.mode,
    s.realServers.length,
    s.realServers.filter((r) => r.weight > 0).length,
  ]);
}

export async function serviceCommand(
  ctx: CommandContext,
  table: TableClient,
  args: string[],
  format: ListFormat,
): Promise<void> {
  const [sub, keyRaw] = args;
  const { services: list, revision } = await table.list();
  switch (sub) {
    case "list":
    case undefined: {
      if (format === "yaml") ctx.print(tableToYaml(list, { revision }).trimEnd());
      else if (format === "json") ctx.print(JSON.stringify({ revision, services: list }, null, 2));
      else
        ctx.print(
          renderTable(
            ["SERVICE", "SCHEDULER", "PERSISTENCE", "FORWARD", "MODE", "SERVERS", "ACTIVE"],
            serviceRows(list),
          ),
        );
      return;
    }
    case "show": {
      const key = keyRaw === undefined ? undefined : services.parseServiceKey(keyRaw);
      if (!key)
        throw new CtlError(
          `service show needs a service key like tcp/198.18.0.10:80 or fwm/5 (got ${JSON.stringify(keyRaw)})`,
          2,
        );
      const svc = list.find((s) => s.key === key);
      if (!svc) throw new CtlError(`no service ${key} (revision ${revision})`, 6);
      if (format === "yaml") ctx.print(tableToYaml([svc], { revision }).trimEnd());
      else if (format === "json") ctx.print(JSON.stringify(svc, null, 2));
      else {
        ctx.print(
          renderTable(
            ["SERVICE", "SCHEDULER", "PERSISTENCE", "FORWARD", "MODE", "SERVERS", "ACTIVE"],
            serviceRows([svc]),
          ),
        );
        ctx.print("");
        ctx.print(
          renderTable(
            ["REAL SERVER", "WEIGHT", "FORWARD", "UPPER", "LOWER", "MAXCONN", "POOL"],
            svc.realServers.map((r) => [
              services.hostPort(r.address, r.port),
              r.weight,
              r.forward,
              r.upperThreshold,
              r.lowerThreshold,
              r.maxConn,
              r.pool || "-",
            ]),
          ),
        );
        for (const [i, rule] of (svc.http?.rules ?? []).entries())
          ctx.print(`rule ${i + 1}: ${JSON.stringify(rule)}`);
      }
      return;
    }
    default:
      throw new CtlError(`unknown service command ${JSON.stringify(sub)}: use list or show KEY`, 2);
  }
}
