// The options DurableStorage.open() takes, and their validation (every field checked before any
// file is touched).

import type { RaftLogger } from "../raft/index.ts";
import { StorageError, StorageErrorCode } from "./errors.ts";

/** pino's shape; a child logger with `{ component: "storage" }` is the usual argument. */
export type StorageLogger = RaftLogger;

export interface DurableStorageOptions {
  /** The data directory; the storage owns it entirely (the LevelDB lives in `<dir>/raft-log`). */
  dir: string;
  /** The cluster's name, e.g. "raftvs-local"; stored at creation, checked at every open. */
  clusterId: string;
  /** This node's id; stored at creation, checked at every open. */
  nodeId: number;
  /**
   * When the directory is new: bootstrap as an initial member of a cluster of these voters
   * (a snapshot at index 1, term 1 holding them). Omit for a node that joins later (empty log).
   * Ignored when the directory already holds data.
   */
  initialVoters?: number[];
  /** With initialVoters: the application's initial state, the bootstrap snapshot's data. */
  initialData?: Uint8Array;
  logger?: StorageLogger;
}

/** Options after validation. */
export interface ResolvedOptions {
  dir: string;
  clusterId: string;
  nodeId: number;
  initialVoters: number[] | undefined;
  initialData: Uint8Array;
  logger: StorageLogger;
}

const CLUSTER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const noop = (): void => {};
const silent: StorageLogger = { debug: noop, info: noop, warn: noop, error: noop };

function isNodeId(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0;
}

export function resolveOptions(opts: DurableStorageOptions): ResolvedOptions {
  const dir = typeof opts?.dir === "string" ? opts.dir : "";
  const bad = (message: string): StorageError =>
    new StorageError(StorageErrorCode.InvalidArgument, dir || "(none)", message);
  if (typeof opts !== "object" || opts === null) throw bad("storage options must be an object");
  if (dir === "" || dir.includes("\0")) throw bad("options.dir must be a non-empty path");
  if (typeof opts.clusterId !== "string" || !CLUSTER_ID.test(opts.clusterId))
    throw bad(
      `options.clusterId ${JSON.stringify(opts.clusterId)} must be 1-128 characters of letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  if (!isNodeId(opts.nodeId)) throw bad(`options.nodeId ${String(opts.nodeId)} must be a positive integer`);
  let initialVoters: number[] | undefined;
  if (opts.initialVoters !== undefined) {
    const v = opts.initialVoters;
    if (!Array.isArray(v) || v.length === 0 || !v.every(isNodeId))
      throw bad(`options.initialVoters must be a non-empty list of positive integers`);
    if (new Set(v).size !== v.length) throw bad(`options.initialVoters [${v.join(", ")}] lists a node twice`);
    if (!v.includes(opts.nodeId))
      throw bad(`options.initialVoters [${v.join(", ")}] must include this node (${opts.nodeId})`);
    initialVoters = [...v];
  }
  if (opts.initialData !== undefined && !(opts.initialData instanceof Uint8Array))
    throw bad("options.initialData must be bytes");
  if (opts.initialData !== undefined && initialVoters === undefined)
    throw bad("options.initialData needs options.initialVoters (it is the bootstrap snapshot's data)");
  return {
    dir,
    clusterId: opts.clusterId,
    nodeId: opts.nodeId,
    initialVoters,
    initialData: opts.initialData ?? new Uint8Array(0),
    logger: opts.logger ?? silent,
  };
}
