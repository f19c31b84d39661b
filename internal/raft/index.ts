// Public surface of the Raft library: the RawNode API, storage, configuration and the data types.

export { applyConfChangeTo, decodeConfChange, encodeConfChange } from "./confchange.ts";
export type { RaftConfig, RaftConfigInput, UnsafeTestingFaults } from "./config.ts";
export { RAFT_DEFAULTS, ReadOnlyOption, resolveConfig } from "./config.ts";
export { RaftError, RaftErrorCode } from "./errors.ts";
export type { RaftLogger } from "./logger.ts";
export { silentLogger } from "./logger.ts";
export { SeededRandom } from "./rand.ts";
export { RawNode } from "./rawnode.ts";
export type { Storage } from "./storage.ts";
export { bootstrapStorage, EMPTY_SNAPSHOT, MemoryStorage } from "./storage.ts";
export type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  Message,
  NodeId,
  ProgressStatus,
  ReadState,
  Ready,
  Snapshot,
  SnapshotMetadata,
  SoftState,
  Status,
} from "./types.ts";
export {
  ConfChangeType,
  EntryType,
  emptyMessage,
  LOCAL_MESSAGE_TYPES,
  MessageType,
  NONE,
  StateType,
} from "./types.ts";
