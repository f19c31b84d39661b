// Public surface of the replicated state machine.

export type { Command } from "./commands.ts";
export { CommandError, MAX_KEY_BYTES, MAX_VALUE_BYTES, parseCommand } from "./commands.ts";
export type { KvRecord } from "./kv-table.ts";
export type { MemberInfo } from "./members.ts";
export { memberInfoProblem } from "./members.ts";
export type { PersistenceRecord } from "./persistence.ts";
export { clientGroup, PERSISTENCE_RECORDS_MAX, PersistenceTable } from "./persistence.ts";
export type { ApplyResult, MembershipChange } from "./replicated-state.ts";
export { ReplicatedState, RevisionMismatchError } from "./replicated-state.ts";
export * as services from "./services/index.ts";
