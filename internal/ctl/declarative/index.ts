// Public surface of declarative table management: YAML out (get -o yaml), YAML in, diff, apply.

export { APPLY_USAGE, applyCommand, DIFF_EXIT_CODE } from "./apply-command.ts";
export { diffTable, summarizeDiff } from "./diff.ts";
export { DeclarativeError, yamlToSpecs } from "./from-yaml.ts";
export type { CommandIo, TableClient, TableOp } from "./ops.ts";
export { exitCodeOf } from "./ops.ts";
export { serviceToDoc, tableToYaml } from "./to-yaml.ts";
