// `raftvsctl apply -f FILE [--dry-run [--exit-code]]`: shows the diff between the cluster's table
// and a services YAML file, then applies it as one transaction (or stops there for --dry-run).

import { parseArgs } from "node:util";
import { diffTable, summarizeDiff } from "./diff.ts";
import { DeclarativeError, yamlToSpecs } from "./from-yaml.ts";
import { type CommandIo, exitCodeOf, type TableClient } from "./ops.ts";

/** Exit code of `--dry-run --exit-code` when the file differs from the table (1 means "error"). */
export const DIFF_EXIT_CODE = 7;

export const APPLY_USAGE = `usage: raftvsctl apply -f FILE [--dry-run [--exit-code]]
Makes the virtual-service table equal to FILE (YAML, as written by "raftvsctl get -o yaml";
-f - reads stdin): prints the diff (+ added, ~ changed, - deleted), then applies every change
in ONE transaction and prints the new revision. Services not in FILE are deleted.
  --dry-run     print the diff only
  --exit-code   with --dry-run: exit ${DIFF_EXIT_CODE} when there are differences, 0 when none
exit codes: 0 ok, 1 error, 2 bad usage or invalid file, 3 refused by the table's rules`;

/** Runs `apply` and returns its exit code; `args` are the words after "apply". */
export async function applyCommand(args: string[], deps: TableClient & CommandIo): Promise<number> {
  let values: { filename?: string; "dry-run"?: boolean; "exit-code"?: boolean };
  try {
    const parsed = parseArgs({
      args,
      allowPositionals: false,
      strict: true,
      options: {
        filename: { type: "string", short: "f" },
        "dry-run": { type: "boolean" },
        "exit-code": { type: "boolean" },
      },
    });
    values = parsed.values;
  } catch (err) {
    deps.err(`raftvsctl apply: ${(err as Error).message}\n${APPLY_USAGE}`);
    return 2;
  }
  const file = values.filename;
  if (file === undefined) {
    deps.err(`raftvsctl apply: -f FILE is required\n${APPLY_USAGE}`);
    return 2;
  }
  if (values["exit-code"] && !values["dry-run"]) {
    deps.err("raftvsctl apply: --exit-code goes with --dry-run");
    return 2;
  }
  let text: string;
  try {
    text = await deps.readFile(file);
  } catch (err) {
    deps.err(`raftvsctl apply: cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  try {
    const desired = yamlToSpecs(text, file === "-" ? "<stdin>" : file);
    const { services, revision } = await deps.list();
    const { ops, lines } = diffTable(services, desired);
    if (ops.length === 0) {
      deps.out(`no changes: the table at revision ${revision} already matches ${file}`);
      return 0;
    }
    deps.out(lines.join("\n"));
    deps.out(summarizeDiff(lines));
    if (values["dry-run"]) {
      deps.out("dry run: nothing applied");
      return values["exit-code"] ? DIFF_EXIT_CODE : 0;
    }
    const done = await deps.apply(ops, { baseRevision: revision });
    deps.out(
      `applied ${ops.length} op${ops.length === 1 ? "" : "s"} in one transaction: revision ${done.revision}`,
    );
    return 0;
  } catch (err) {
    deps.err(`raftvsctl apply: ${(err as Error).message}`);
    return err instanceof DeclarativeError ? 2 : exitCodeOf(err);
  }
}
