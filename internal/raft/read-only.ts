// Pending ReadIndex requests on a leader in the safe mode: each waits for a quorum of heartbeat
// acknowledgments carrying its context; an acknowledged request also settles every earlier one.

import type { Message, NodeId } from "./types.ts";

export interface ReadIndexStatus {
  /** The commit index when the request arrived: the read index. */
  index: number;
  /** The original request (its `from` and `context` say whom to answer). */
  req: Message;
  acks: Set<NodeId>;
}

export function contextKey(ctx: Uint8Array | undefined): string {
  return ctx === undefined ? "" : Buffer.from(ctx.buffer, ctx.byteOffset, ctx.byteLength).toString("latin1");
}

export class ReadOnlyQueue {
  readonly #pending = new Map<string, ReadIndexStatus>();
  #queue: string[] = [];

  get size(): number {
    return this.#queue.length;
  }

  addRequest(index: number, req: Message): void {
    const key = contextKey(req.context);
    if (this.#pending.has(key)) return;
    this.#pending.set(key, { index, req, acks: new Set() });
    this.#queue.push(key);
  }

  /** Records an acknowledgment; returns the request's acks so far, or undefined if unknown. */
  recvAck(id: NodeId, ctx: Uint8Array | undefined): Set<NodeId> | undefined {
    const rs = this.#pending.get(contextKey(ctx));
    if (!rs) return undefined;
    rs.acks.add(id);
    return rs.acks;
  }

  /** Removes and returns every request up to and including the one with `ctx`. */
  advance(ctx: Uint8Array | undefined): ReadIndexStatus[] {
    const at = this.#queue.indexOf(contextKey(ctx));
    if (at < 0) return [];
    const done = this.#queue.slice(0, at + 1);
    this.#queue = this.#queue.slice(at + 1);
    const out: ReadIndexStatus[] = [];
    for (const key of done) {
      out.push(this.#pending.get(key)!);
      this.#pending.delete(key);
    }
    return out;
  }

  /** Context of the newest pending request: heartbeats carry it so acks settle all before it. */
  lastPendingContext(): Uint8Array | undefined {
    const key = this.#queue[this.#queue.length - 1];
    return key === undefined ? undefined : this.#pending.get(key)!.req.context;
  }
}
