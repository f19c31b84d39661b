// DurableStorage: the Raft log on LevelDB. Serves Raft's synchronous reads from an in-memory
// mirror (a MemoryStorage) and makes every change durable in one LevelDB batch before the mirror
// shows it. Key layout: keys.ts; values: entry-codec.ts; creation: open-log.ts; recovery: load.ts.
//
// Group commit: the node hands one Ready (all proposals since the last one) to save(), which
// writes it as one batch with one fsync. Writes run one at a time, in call order.

import type { ConfState, Entry, HardState, MemoryStorage, Snapshot, Storage } from "../raft/index.ts";
import { diskBytes, inspectDataDir, syncNewDataDir } from "./data-dir.ts";
import { StorageError, StorageErrorCode } from "./errors.ts";
import { type LogDb, loadLog, readMeta } from "./load.ts";
import { createLog, openLogDb } from "./open-log.ts";
import {
  type DurableStorageOptions,
  type ResolvedOptions,
  resolveOptions,
  type StorageLogger,
} from "./options.ts";
import { planSave, planSnapshot, type SaveInput, type WritePlan } from "./write-plan.ts";

/** Figures for status pages. */
export interface StorageStats {
  dir: string;
  /** Bytes of the LevelDB files (approximate: LevelDB compacts in the background). */
  diskBytes: number;
  firstIndex: number;
  lastIndex: number;
  /** Entries held in the log (lastIndex - firstIndex + 1). */
  entries: number;
  snapshotIndex: number;
  snapshotBytes: number;
  /** save() calls that wrote a batch. */
  saves: number;
  /** Batches written with sync (each one fsync). */
  fsyncs: number;
  /** Duration of the last save() batch, in milliseconds. */
  lastSaveMs: number;
  /** Bytes of keys and values put since open. */
  bytesWritten: number;
}

const noop = (): void => {};

export class DurableStorage implements Storage {
  /** True when this open created the data (a new node); false when it recovered existing data. */
  readonly isNew: boolean;
  readonly dir: string;
  readonly #dbPath: string;
  readonly #db: LogDb;
  readonly #mirror: MemoryStorage;
  readonly #log: StorageLogger;
  #snapshotChunks: number;
  /** The tail of the write queue; every write chains onto it. */
  #writes: Promise<void> = Promise.resolve();
  #saveInFlight = false;
  #closing: Promise<void> | undefined;
  /** Set by the first failed write; every later write rejects with it. */
  #failure: StorageError | undefined;
  #saves = 0;
  #fsyncs = 0;
  #lastSaveMs = 0;
  #bytesWritten = 0;

  private constructor(
    o: ResolvedOptions,
    dbPath: string,
    db: LogDb,
    mirror: MemoryStorage,
    snapshotChunks: number,
    isNew: boolean,
  ) {
    this.dir = o.dir;
    this.#dbPath = dbPath;
    this.#db = db;
    this.#mirror = mirror;
    this.#snapshotChunks = snapshotChunks;
    this.#log = o.logger;
    this.isNew = isNew;
  }

  /**
   * Opens the log in `opts.dir`, creating it when the directory is missing or empty. Existing data
   * is recovered exactly, or refused with a StorageError; it is never deleted or recreated.
   */
  static async open(opts: DurableStorageOptions): Promise<DurableStorage> {
    const o = resolveOptions(opts);
    const started = performance.now();
    const state = await inspectDataDir(o.dir);
    const db = await openLogDb(o.dir, state);
    try {
      const meta = await readMeta(db, o);
      let storage: DurableStorage;
      if (meta === undefined) {
        if (!state.fresh)
          o.logger.warn(
            { dir: o.dir },
            "raft log database holds no record (its creation was interrupted); creating it",
          );
        const mirror = await createLog(db, o);
        await syncNewDataDir(o.dir, state);
        storage = new DurableStorage(o, state.dbPath, db, mirror, 0, true);
      } else {
        const recovered = await loadLog(db, meta, o.dir);
        storage = new DurableStorage(o, state.dbPath, db, recovered.mirror, recovered.snapshotChunks, false);
      }
      const s = storage.#mirror;
      o.logger.info(
        {
          dir: o.dir,
          isNew: storage.isNew,
          firstIndex: s.firstIndex(),
          lastIndex: s.lastIndex(),
          snapshotIndex: s.snapshot().metadata.index,
          hardState: s.hardState(),
          openMs: Math.round(performance.now() - started),
        },
        storage.isNew ? "raft log created" : "raft log recovered",
      );
      return storage;
    } catch (err) {
      await db.close().catch(noop);
      throw err;
    }
  }

  // ---- Storage (synchronous, from the mirror) ----

  initialState(): { hardState: HardState; confState: ConfState } {
    return this.#read().initialState();
  }

  entries(lo: number, hi: number, maxSizeBytes: number): Entry[] {
    return this.#read().entries(lo, hi, maxSizeBytes);
  }

  term(i: number): number {
    return this.#read().term(i);
  }

  firstIndex(): number {
    return this.#read().firstIndex();
  }

  lastIndex(): number {
    return this.#read().lastIndex();
  }

  snapshot(): Snapshot {
    return this.#read().snapshot();
  }

  hardState(): HardState {
    return this.#read().hardState();
  }

  // ---- writes ----

  /**
   * Persists one Ready's hard state, snapshot and entries in one LevelDB batch (one fsync when
   * `sync`), then shows them to reads. Entries may replace a conflicting suffix; the stale keys
   * above the new last index are deleted in the same batch. One call at a time: a call while
   * another is unsettled rejects with STORAGE_BUSY. Bad input rejects with
   * STORAGE_INVALID_ARGUMENT and writes nothing; a failed write rejects with STORAGE_IO and
   * fails every later write (the node must stop).
   */
  async save(rd: SaveInput, sync: boolean): Promise<void> {
    this.#checkWritable();
    if (this.#saveInFlight)
      throw new StorageError(
        StorageErrorCode.Busy,
        this.dir,
        "save() called while a previous save() is in flight",
      );
    this.#saveInFlight = true;
    try {
      await this.#enqueue(async () => {
        const plan = planSave(this.#mirror, this.#snapshotChunks, rd, this.dir);
        if (plan.ops.length === 0) return;
        const started = performance.now();
        await this.#write(plan, sync === true);
        this.#saves++;
        this.#lastSaveMs = performance.now() - started;
      });
    } finally {
      this.#saveInFlight = false;
    }
  }

  /**
   * Records a snapshot of the applied state at `index` (which must be committed) durably, and
   * compacts the log up to `index - keepEntries` in the same batch. `data` must not change
   * afterwards. A snapshot not newer than the held one rejects with RaftError SnapshotOutOfDate.
   */
  async createSnapshot(
    index: number,
    confState: ConfState,
    data: Uint8Array,
    keepEntries: number,
  ): Promise<Snapshot> {
    this.#checkWritable();
    return this.#enqueue(async () => {
      const plan = planSnapshot(
        this.#mirror,
        this.#snapshotChunks,
        { index, confState, data, keepEntries },
        this.dir,
      );
      await this.#write(plan, true);
      return plan.snapshot();
    });
  }

  stats(): StorageStats {
    const m = this.#read();
    const snap = m.snapshot();
    return {
      dir: this.dir,
      diskBytes: diskBytes(this.#dbPath),
      firstIndex: m.firstIndex(),
      lastIndex: m.lastIndex(),
      entries: m.lastIndex() - m.firstIndex() + 1,
      snapshotIndex: snap.metadata.index,
      snapshotBytes: snap.data.byteLength,
      saves: this.#saves,
      fsyncs: this.#fsyncs,
      lastSaveMs: this.#lastSaveMs,
      bytesWritten: this.#bytesWritten,
    };
  }

  /** Waits for accepted writes, then closes the database. Safe to repeat; later calls of anything else reject. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#writes;
      try {
        await this.#db.close();
      } catch (err) {
        const message = `closing the raft log failed: ${(err as Error).message}`;
        throw new StorageError(StorageErrorCode.Io, this.dir, message, { cause: err });
      }
      this.#log.info({ dir: this.dir }, "raft log closed");
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- internals ----

  #read(): MemoryStorage {
    if (this.#closing !== undefined)
      throw new StorageError(StorageErrorCode.Closed, this.dir, "the storage is closed");
    return this.#mirror;
  }

  #checkWritable(): void {
    this.#read();
    if (this.#failure !== undefined) throw this.#refusal(this.#failure);
  }

  #refusal(failure: StorageError): StorageError {
    const message = "refusing writes after an earlier write failed";
    return new StorageError(StorageErrorCode.Io, this.dir, message, { cause: failure });
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    // A write accepted before close() still runs; one queued behind a failed write does not.
    const run = this.#writes.then(() => {
      if (this.#failure !== undefined) throw this.#refusal(this.#failure);
      return task();
    });
    this.#writes = run.then(noop, noop);
    return run;
  }

  async #write(plan: WritePlan, sync: boolean): Promise<void> {
    // A chained batch is one LevelDB WriteBatch, written atomically with one fsync, exactly like
    // db.batch(ops); it hands each key and value to LevelDB directly, which halves the cost of a
    // 64-entry batch compared with the array form (whose op objects are read through N-API).
    const batch = this.#db.batch();
    try {
      for (const op of plan.ops) {
        if (op.type === "put") batch.put(op.key, op.value);
        else batch.del(op.key);
      }
      await batch.write({ sync });
    } catch (err) {
      await batch.close().catch(noop);
      const message = `write failed: ${(err as Error).message}`;
      this.#failure = new StorageError(StorageErrorCode.Io, this.dir, message, { cause: err });
      this.#log.error({ dir: this.dir, err }, "raft log write failed; refusing further writes");
      throw this.#failure;
    }
    plan.apply();
    this.#snapshotChunks = plan.snapshotChunks;
    this.#bytesWritten += plan.bytes;
    if (sync) this.#fsyncs++;
  }
}
