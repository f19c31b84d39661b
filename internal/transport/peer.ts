// One peer's outbound side: a single long-lived Stream call carrying encoded batches, a bounded
// queue for while it opens or is backpressured, reconnects with backoff, and one snapshot at a time.
import { type Client, type ClientWritableStream, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import type { Logger } from "pino";
import type { NodeId } from "../raft/index.ts";
import { Backoff } from "./backoff.ts";
import { createPeerClient } from "./client.ts";
import type { ResolvedOptions } from "./options.ts";
import { type RaftMessage, type StreamSummary__Output, raftTransportService as service } from "./proto.ts";
import { type OutboundSnapshot, sendSnapshot } from "./snapshot-client.ts";

/** Counters for one peer; `connected` is true while its stream is accepted and open. */
export interface PeerStats {
  address: string;
  connected: boolean;
  sentBatches: number;
  sentMessages: number;
  droppedMessages: number;
  /** Streams opened after the first one (every one follows a failure). */
  reconnects: number;
  queuedMessages: number;
  snapshotsSent: number;
  snapshotsFailed: number;
}

export interface PeerHooks {
  log: Logger;
  /** Reports the peer unreachable to the user (deferred, and silenced after close). */
  unreachable(): void;
  /** Reports a snapshot's outcome to the user (same rules). */
  snapshotStatus(ok: boolean): void;
}

type State = "opening" | "open" | "backoff" | "closed";

const identity = (b: Buffer): Buffer => b;
/**
 * Queued batches are merged into gRPC messages of at most this size and count: big enough to
 * amortise gRPC's per-message cost, small enough that the receiver never decodes for long.
 */
const MERGE_MAX_BYTES = 256 * 1024;
const MERGE_MAX_MESSAGES = 1024;
/** Snapshot deadline: this much, plus the time to move the data at this slow a rate. */
const SNAPSHOT_BASE_DEADLINE_MS = 60_000;
const SNAPSHOT_MIN_BYTES_PER_MS = 1024; // 1 MiB/s

export class PeerStream {
  readonly id: NodeId;
  readonly address: string;
  readonly #opts: ResolvedOptions;
  readonly #hooks: PeerHooks;
  readonly #client: Client;
  readonly #backoff: Backoff;
  #state: State = "opening";
  /** The current Stream call; callbacks of older calls compare against it and bow out. */
  #call: ClientWritableStream<Buffer> | undefined;
  #needDrain = false;
  #queue: Buffer[] = [];
  #queueCounts: number[] = [];
  #queuedBytes = 0;
  #overflowing = false;
  #droppedWhileFull = 0;
  #timer: NodeJS.Timeout | undefined;
  #lastFailure = "";
  #openedAt = 0;
  #streamsStarted = 0;
  #snapshot: OutboundSnapshot | undefined;
  #closeWaiter: (() => void) | undefined;
  readonly #stats: PeerStats;

  constructor(id: NodeId, address: string, opts: ResolvedOptions, hooks: PeerHooks) {
    this.id = id;
    this.address = address;
    this.#opts = opts;
    this.#hooks = hooks;
    this.#client = createPeerClient(address, opts);
    this.#backoff = new Backoff(opts.reconnectInitialMs, opts.reconnectMaxMs);
    this.#stats = {
      address,
      connected: false,
      sentBatches: 0,
      sentMessages: 0,
      droppedMessages: 0,
      reconnects: 0,
      queuedMessages: 0,
      snapshotsSent: 0,
      snapshotsFailed: 0,
    };
    this.#open();
  }

  stats(): PeerStats {
    return { ...this.#stats };
  }

  /** Sends one batch (split if its encoding is over maxMessageBytes); drops it while disconnected. */
  send(msgs: RaftMessage[]): void {
    if (this.#state === "closed") return;
    if (this.#state === "backoff") {
      // Already reported unreachable for this failure; Raft resends what matters.
      this.#stats.droppedMessages += msgs.length;
      return;
    }
    this.#encode(msgs);
  }

  #encode(msgs: RaftMessage[]): void {
    const buf = service.Stream.requestSerialize({
      clusterId: this.#opts.clusterId,
      from: this.#opts.nodeId,
      to: this.id,
      messages: msgs,
      fromAddress: this.#opts.advertiseAddress,
    });
    if (buf.length <= this.#opts.maxMessageBytes) {
      this.#push(buf, msgs.length);
    } else if (msgs.length === 1) {
      this.#hooks.log.error(
        { bytes: buf.length, maxMessageBytes: this.#opts.maxMessageBytes, type: msgs[0]!.type },
        "dropped a message larger than maxMessageBytes",
      );
      this.#stats.droppedMessages++;
      this.#hooks.unreachable();
    } else {
      const mid = msgs.length >>> 1;
      this.#encode(msgs.slice(0, mid));
      this.#encode(msgs.slice(mid));
    }
  }

  #push(buf: Buffer, count: number): void {
    if (this.#state === "open" && !this.#needDrain && this.#queue.length === 0) {
      this.#write(buf, count);
      return;
    }
    if (
      this.#stats.queuedMessages + count > this.#opts.maxQueuedMessages ||
      this.#queuedBytes + buf.length > this.#opts.maxQueuedBytes
    ) {
      this.#stats.droppedMessages += count;
      this.#droppedWhileFull += count;
      // Once per episode: the log and the report, not once per dropped batch.
      if (!this.#overflowing) {
        this.#overflowing = true;
        this.#hooks.log.warn(
          { queued: this.#stats.queuedMessages, queuedBytes: this.#queuedBytes, state: this.#state },
          "peer queue full; dropping messages until it drains",
        );
        this.#hooks.unreachable();
      }
      return;
    }
    this.#queue.push(buf);
    this.#queueCounts.push(count);
    this.#stats.queuedMessages += count;
    this.#queuedBytes += buf.length;
  }

  #write(buf: Buffer, count: number): void {
    this.#stats.sentBatches++;
    this.#stats.sentMessages += count;
    if (!this.#call!.write(buf)) this.#needDrain = true;
  }

  /**
   * Writes out the queue, merging queued batches into as few gRPC messages as fit under
   * maxMessageBytes: encodings of batches with the same envelope, concatenated, decode as one
   * batch holding all their messages in order (protobuf appends repeated fields).
   */
  #flush(): void {
    const max = Math.min(this.#opts.maxMessageBytes, MERGE_MAX_BYTES);
    while (this.#queue.length > 0 && this.#state === "open" && !this.#needDrain) {
      let n = 1;
      let bytes = this.#queue[0]!.length;
      let count = this.#queueCounts[0]!;
      while (n < this.#queue.length && bytes + this.#queue[n]!.length <= max && count < MERGE_MAX_MESSAGES) {
        bytes += this.#queue[n]!.length;
        count += this.#queueCounts[n]!;
        n++;
      }
      const buf = n === 1 ? this.#queue[0]! : Buffer.concat(this.#queue.slice(0, n), bytes);
      this.#queue.splice(0, n);
      this.#queueCounts.splice(0, n);
      this.#stats.queuedMessages -= count;
      this.#queuedBytes -= bytes;
      this.#write(buf, count);
    }
    if (this.#queue.length === 0) this.#endOverflow();
  }

  #endOverflow(): void {
    if (!this.#overflowing) return;
    this.#overflowing = false;
    this.#hooks.log.info({ dropped: this.#droppedWhileFull }, "peer queue drained");
    this.#droppedWhileFull = 0;
  }

  #dropQueue(): void {
    this.#overflowing = false;
    this.#droppedWhileFull = 0;
    this.#stats.droppedMessages += this.#stats.queuedMessages;
    this.#stats.queuedMessages = 0;
    this.#queuedBytes = 0;
    this.#queue = [];
    this.#queueCounts = [];
  }

  #open(): void {
    this.#state = "opening";
    if (this.#streamsStarted++ > 0) this.#stats.reconnects++;
    let call: ClientWritableStream<Buffer> | undefined;
    const current = (): boolean => call !== undefined && call === this.#call;
    call = this.#client.makeClientStreamRequest<Buffer, StreamSummary__Output>(
      service.Stream.path,
      identity,
      service.Stream.responseDeserialize,
      new Metadata(),
      {},
      (err: ServiceError | null) => {
        if (current()) this.#ended(err);
      },
    );
    this.#call = call;
    this.#needDrain = false;
    call.on("metadata", () => {
      if (current() && this.#state === "opening") this.#accepted();
    });
    call.on("drain", () => {
      if (!current()) return;
      this.#needDrain = false;
      this.#flush();
    });
    // Failures arrive through the callback above.
    call.on("error", () => {});
    this.#timer = setTimeout(() => {
      if (!current() || this.#state !== "opening") return;
      this.#ended(null, `not accepted within ${this.#opts.openTimeoutMs} ms (openTimeoutMs)`);
    }, this.#opts.openTimeoutMs);
    this.#timer.unref();
  }

  #accepted(): void {
    clearTimeout(this.#timer);
    this.#state = "open";
    this.#openedAt = performance.now();
    this.#stats.connected = true;
    this.#hooks.log.info({ address: this.address }, "stream to peer open");
    this.#flush();
  }

  /** The current stream ended: closing, or a failure to report and retry after a backoff. */
  #ended(err: ServiceError | null, reason?: string): void {
    const call = this.#call;
    this.#call = undefined;
    clearTimeout(this.#timer);
    this.#stats.connected = false;
    if (this.#state === "closed") {
      this.#closeWaiter?.();
      return;
    }
    call?.cancel();
    // A stream that stayed up a while was healthy: start the backoff (and the log) afresh. One
    // that the peer accepts and then refuses (another cluster) must not retry at full speed.
    if (this.#state === "open" && performance.now() - this.#openedAt >= this.#opts.reconnectMaxMs) {
      this.#backoff.reset();
      this.#lastFailure = "";
    }
    this.#dropQueue();
    this.#needDrain = false;
    this.#state = "backoff";
    const why =
      reason ?? (err ? `${status[err.code] ?? err.code}: ${err.details}` : "the peer ended the stream");
    const delayMs = this.#backoff.next();
    // Log each new kind of failure; repeats of the same one (a peer that stays away) at debug.
    // gRPC stamps some reasons with the time, which must not make every repeat look new.
    const kind = why.replace(/\(\d{4}-\d\d-\d\dT[^)]*\)/g, "");
    const level = kind !== this.#lastFailure ? "warn" : "debug";
    this.#hooks.log[level](
      { address: this.address, reason: why, retryInMs: delayMs },
      "stream to peer failed",
    );
    this.#lastFailure = kind;
    this.#hooks.unreachable();
    this.#timer = setTimeout(() => {
      if (this.#state === "backoff") this.#open();
    }, delayMs);
    this.#timer.unref();
  }

  /** Sends a Snap message's snapshot on a connection of its own; reports the outcome once. */
  sendSnapshot(header: RaftMessage, data: Uint8Array): void {
    if (this.#state === "closed") return;
    if (this.#snapshot) {
      this.#hooks.log.warn("a snapshot to this peer is already in flight; refusing another");
      this.#stats.snapshotsFailed++;
      this.#hooks.snapshotStatus(false);
      return;
    }
    const client = createPeerClient(this.address, this.#opts);
    const started = performance.now();
    const snap = sendSnapshot({
      client,
      clusterId: this.#opts.clusterId,
      from: this.#opts.nodeId,
      to: this.id,
      header,
      data,
      chunkBytes: this.#opts.snapshotChunkBytes,
      deadlineMs: SNAPSHOT_BASE_DEADLINE_MS + Math.ceil(data.length / SNAPSHOT_MIN_BYTES_PER_MS),
    });
    this.#snapshot = snap;
    this.#hooks.log.info({ bytes: data.length, index: header.snapshot?.index }, "sending a snapshot");
    snap.result
      .then(
        (bytes) => {
          this.#hooks.log.info({ bytes, ms: Math.round(performance.now() - started) }, "snapshot delivered");
          this.#stats.snapshotsSent++;
          this.#hooks.snapshotStatus(true);
        },
        (err: ServiceError) => {
          this.#hooks.log.warn(
            { reason: `${status[err.code] ?? err.code}: ${err.details ?? err.message}` },
            "snapshot transfer failed",
          );
          this.#stats.snapshotsFailed++;
          this.#hooks.snapshotStatus(false);
        },
      )
      .finally(() => {
        this.#snapshot = undefined;
        client.close();
      });
  }

  /** Ends the stream gracefully (the peer answers OK), waiting at most graceMs; idempotent. */
  async close(graceMs: number): Promise<void> {
    if (this.#state === "closed") return;
    const call = this.#state === "open" ? this.#call : undefined;
    this.#state = "closed";
    clearTimeout(this.#timer);
    this.#dropQueue();
    this.#snapshot?.cancel();
    if (call) {
      const ended = new Promise<void>((resolve) => {
        this.#closeWaiter = resolve;
      });
      call.end();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([ended, timeout]);
      clearTimeout(timer);
    }
    this.#destroyNow();
  }

  /** Cancels everything at once. */
  destroy(): void {
    this.#state = "closed";
    clearTimeout(this.#timer);
    this.#dropQueue();
    this.#snapshot?.cancel();
    this.#destroyNow();
  }

  #destroyNow(): void {
    const call = this.#call;
    this.#call = undefined;
    this.#stats.connected = false;
    call?.cancel();
    this.#client.close();
  }
}
