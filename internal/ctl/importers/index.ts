// Public surface of the configuration importers (haproxy.cfg, keepalived.conf) and `import`.

export { type HaproxyImportOptions, importHaproxy, schedulerOf } from "./haproxy.ts";
export {
  detectFormat,
  formatUnmapped,
  IMPORT_USAGE,
  type ImportFormat,
  importCommand,
} from "./import-command.ts";
export { importKeepalived } from "./keepalived.ts";
export type { CheckKind, ImportedCheck, ImportResult, Unmapped } from "./result.ts";
