// Errors the durable storage raises: one class with stable codes that callers match on, the data
// directory it concerns, and the underlying error as `cause`.

export const StorageErrorCode = {
  /** The directory holds something that is not this node's log: another cluster, node or program. */
  ForeignDir: "STORAGE_FOREIGN_DIR",
  /** The log fails a check on open (checksum, gap, inconsistent records); the message names where. */
  Damaged: "STORAGE_DAMAGED",
  /** Another process (or another open in this one) holds the database lock. */
  Locked: "STORAGE_LOCKED",
  /** The data was written in a storage format this build does not know. */
  Version: "STORAGE_VERSION",
  /** The disk or LevelDB failed; after a failed write the storage refuses every later write. */
  Io: "STORAGE_IO",
  /** The storage was closed. */
  Closed: "STORAGE_CLOSED",
  /** An option or argument is out of its range; nothing was written. */
  InvalidArgument: "STORAGE_INVALID_ARGUMENT",
  /** save() was called while a previous save() had not settled. */
  Busy: "STORAGE_BUSY",
} as const;
export type StorageErrorCode = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  /** The data directory concerned. */
  readonly dir: string;
  /** For STORAGE_DAMAGED in the log: the log index found wrong. */
  readonly index: number | undefined;

  constructor(
    code: StorageErrorCode,
    dir: string,
    message: string,
    options: { cause?: unknown; index?: number } = {},
  ) {
    super(`${message} (data dir ${dir})`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StorageError";
    this.code = code;
    this.dir = dir;
    this.index = options.index;
  }
}
