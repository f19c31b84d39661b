// Public surface of the durable Raft log: DurableStorage, its options, stats and errors.

export type { StorageStats } from "./durable-storage.ts";
export { DurableStorage } from "./durable-storage.ts";
export { StorageError, StorageErrorCode } from "./errors.ts";
export type { DurableStorageOptions, StorageLogger } from "./options.ts";
export type { SaveInput } from "./write-plan.ts";
