// `raftvsctl import FILE [--format haproxy|keepalived] [--vip IP] [--dry-run]`: shows the services
// an haproxy.cfg or keepalived.conf maps to and what it could not map, then adds them in one go.

import { basename } from "node:path";
import { parseArgs } from "node:util";
import { serviceOf } from "../../state/services/index.ts";
import { type CommandIo, exitCodeOf, type TableClient, type TableOp } from "../declarative/ops.ts";
import { tableToYaml } from "../declarative/to-yaml.ts";
import { importHaproxy } from "./haproxy.ts";
import { importKeepalived } from "./keepalived.ts";
import type { ImportResult, Unmapped } from "./result.ts";

export type ImportFormat = "haproxy" | "keepalived";

export const IMPORT_USAGE = `usage: raftvsctl import FILE [--format haproxy|keepalived] [--vip IP] [--dry-run]
Reads an haproxy.cfg or keepalived.conf (the format is guessed from the content unless given),
prints the services it maps to as YAML on stdout and what it could not map on stderr, then adds
the services in ONE transaction. Existing services are never changed: the import is refused if
any of its services exists (edit the YAML and use "raftvsctl apply -f" instead).
  --vip IP     the VIP for haproxy binds on every address (bind *:80)
  --dry-run    print only; "raftvsctl import FILE --dry-run > services.yaml" gives an editable file
exit codes: 0 ok, 1 error or nothing importable, 2 bad usage, 3 refused (services already exist)`;

/** haproxy when the text has proxy sections, keepalived when it has keepalived blocks. */
export function detectFormat(text: string): ImportFormat | undefined {
  const ka = /^\s*(virtual_server|vrrp_instance|global_defs|vrrp_sync_group|virtual_server_group)\b/m.test(
    text,
  );
  const ha = /^\s*(frontend|backend|listen|defaults)\b/m.test(text);
  return ka === ha ? undefined : ka ? "keepalived" : "haproxy";
}

/** The unmapped list as printed: "line N: TEXT: REASON". */
export function formatUnmapped(file: string, unmapped: readonly Unmapped[]): string[] {
  if (unmapped.length === 0) return [`${file}: everything was mapped`];
  return [
    `${file}: ${unmapped.length} item${unmapped.length === 1 ? "" : "s"} not mapped:`,
    ...unmapped.map((u) => `  line ${u.line}: ${u.text}: ${u.reason}`),
  ];
}

/** Runs `import` and returns its exit code; `args` are the words after "import". */
export async function importCommand(args: string[], deps: TableClient & CommandIo): Promise<number> {
  let values: { format?: string; vip?: string; "dry-run"?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { format: { type: "string" }, vip: { type: "string" }, "dry-run": { type: "boolean" } },
    }));
  } catch (err) {
    deps.err(`raftvsctl import: ${(err as Error).message}\n${IMPORT_USAGE}`);
    return 2;
  }
  const [file, ...extra] = positionals;
  const usage = (msg: string) => {
    deps.err(`raftvsctl import: ${msg}\n${IMPORT_USAGE}`);
    return 2;
  };
  if (file === undefined || extra.length > 0) return usage("give exactly one FILE");
  if (values.format !== undefined && values.format !== "haproxy" && values.format !== "keepalived")
    return usage(`--format must be haproxy or keepalived (got ${JSON.stringify(values.format)})`);
  let text: string;
  try {
    text = await deps.readFile(file);
  } catch (err) {
    deps.err(`raftvsctl import: cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  const format = (values.format as ImportFormat | undefined) ?? detectFormat(text);
  if (!format)
    return usage(`cannot tell whether ${file} is an haproxy or a keepalived configuration; give --format`);
  const result: ImportResult =
    format === "haproxy"
      ? importHaproxy(text, values.vip ? { vip: values.vip } : {})
      : importKeepalived(text);
  const services = result.services.map((s, i) => serviceOf(s, `services[${i}]`));
  const name = basename(file);
  deps.out(tableToYaml(services, { comment: `imported from ${name} (${format})` }).trimEnd());
  deps.err(formatUnmapped(name, result.unmapped).join("\n"));
  if (result.checks.length > 0)
    deps.err(
      `${result.checks.length} health check${result.checks.length === 1 ? "" : "s"} found; not imported (not in the table yet)`,
    );
  if (services.length === 0) {
    deps.err("raftvsctl import: no service could be imported");
    return 1;
  }
  if (values["dry-run"]) {
    deps.err(`dry run: ${services.length} service${services.length === 1 ? "" : "s"} not added`);
    return 0;
  }
  try {
    const { services: existing, revision } = await deps.list();
    const have = new Set(existing.map((s) => s.key));
    const clash = services.filter((s) => have.has(s.key)).map((s) => s.key);
    if (clash.length > 0) {
      deps.err(
        `raftvsctl import: already in the table: ${clash.join(", ")}; nothing added (use "raftvsctl apply -f")`,
      );
      return 3;
    }
    const ops: TableOp[] = result.services.map((service) => ({ op: "service.add", service }));
    const done = await deps.apply(ops, { baseRevision: revision });
    deps.err(
      `added ${services.length} service${services.length === 1 ? "" : "s"} in one transaction: revision ${done.revision}`,
    );
    return 0;
  } catch (err) {
    deps.err(`raftvsctl import: ${(err as Error).message}`);
    return exitCodeOf(err);
  }
}
