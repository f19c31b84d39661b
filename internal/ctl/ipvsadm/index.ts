// Public surface of raftvsctl's ipvsadm-compatible mode.

export { isIpvsadmInvocation } from "./detect.ts";
export type { Counters, ListFormat, TableStats } from "./format.ts";
export {
  formatConnections,
  formatList,
  formatSave,
  formatService,
  largeNumber,
  serverStatsKey,
  VERSION_LINE,
} from "./format.ts";
export type { CommandName, IpvsadmCommand, ListOptions, ListView, ServerRef, ServiceRef } from "./parse.ts";
export { IPVSADM_USAGE, parseIpvsadmArgs } from "./parse.ts";
export type { IpvsadmDeps } from "./run.ts";
export { runIpvsadmMode } from "./run.ts";
export type { OpsResult, TableOp } from "./to-ops.ts";
export { commandToOps, restoreToOps } from "./to-ops.ts";
