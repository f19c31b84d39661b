// The demo's replicated state machine: a key=value map plus a running sha256 over every
// applied command, with snapshot encode/restore so that a node restored from a snapshot
// carries on the same digest as the nodes that replayed the log.

import { createHash } from "node:crypto";
import type { Entry } from "../types.ts";

export interface DemoCommand {
  /** Client sequence number, shown as #id. */
  id: number;
  key: string;
  value: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeCommand(c: DemoCommand): Uint8Array {
  return encoder.encode(JSON.stringify({ id: c.id, key: c.key, value: c.value }));
}

export function decodeCommand(data: Uint8Array): DemoCommand {
  const o = JSON.parse(decoder.decode(data)) as Partial<DemoCommand>;
  if (typeof o.id !== "number" || typeof o.key !== "string" || typeof o.value !== "string")
    throw new Error(`demo: malformed command ${decoder.decode(data)}`);
  return { id: o.id, key: o.key, value: o.value };
}

export function describeCommand(c: DemoCommand): string {
  return `#${c.id} set ${c.key}=${c.value}`;
}

const GENESIS_DIGEST = createHash("sha256").update("raftvs-demo").digest("hex");

interface SnapshotBody {
  index: number;
  digest: string;
  applied: number;
  kv: [string, string][];
}

export class KvState {
  readonly kv = new Map<string, string>();
  /** sha256 chain over (index, term, data) of every command applied, in order. */
  digest = GENESIS_DIGEST;
  /** Commands applied (including those folded into a restored snapshot). */
  applied = 0;
  /** Raft index the state reflects (the last command applied, or the snapshot's index). */
  index = 0;
  /** Index of the last snapshot this node took or restored. */
  snapshotIndex = 0;

  apply(e: Entry): DemoCommand {
    const c = decodeCommand(e.data);
    this.kv.set(c.key, c.value);
    const head = Buffer.alloc(16);
    head.writeDoubleBE(e.index, 0);
    head.writeDoubleBE(e.term, 8);
    this.digest = createHash("sha256").update(this.digest).update(head).update(e.data).digest("hex");
    this.applied++;
    this.index = e.index;
    return c;
  }

  /** The state at Raft index `index` (which may be past the last command: no-ops, conf changes). */
  snapshot(index: number): Uint8Array {
    const kv = [...this.kv.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const body: SnapshotBody = { index, digest: this.digest, applied: this.applied, kv };
    this.snapshotIndex = index;
    return encoder.encode(JSON.stringify(body));
  }

  restore(data: Uint8Array, index: number): void {
    const body = JSON.parse(decoder.decode(data)) as SnapshotBody;
    if (body.index !== index) throw new Error(`demo: snapshot body at ${body.index}, metadata at ${index}`);
    this.kv.clear();
    for (const [k, v] of body.kv) this.kv.set(k, v);
    this.digest = body.digest;
    this.applied = body.applied;
    this.index = index;
    this.snapshotIndex = index;
  }
}
