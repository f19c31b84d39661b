// Helpers shared by the Raft library's unit tests (*.test.ts beside the code): clusters that may
// campaign at once, a tap on delivered messages, tick loops and standalone nodes. Test-only.

import type { RaftConfigInput } from "./config.ts";
import { RaftError, RaftErrorCode } from "./errors.ts";
import { type MemberNode, MemoryCluster } from "./memory-cluster.ts";
import { RawNode } from "./rawnode.ts";
import { bootstrapStorage, MemoryStorage } from "./storage.ts";
import {
  type Entry,
  EntryType,
  emptyMessage,
  type Message,
  type MessageType,
  type NodeId,
  type Ready,
  StateType,
} from "./types.ts";

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export const enc = (s: string): Uint8Array => textEncoder.encode(s);
export const dec = (b: Uint8Array): string => textDecoder.decode(b);

/** A cluster of nodes 1..n (or the given ids) that may campaign right away (no startup quiet). */
export function newCluster(ids: number | NodeId[], options: Partial<RaftConfigInput> = {}): MemoryCluster {
  const list = typeof ids === "number" ? Array.from({ length: ids }, (_, i) => i + 1) : ids;
  return new MemoryCluster(list, { startupQuietTicks: 0, ...options });
}

export function entry(index: number, term: number, data = ""): Entry {
  return { index, term, type: EntryType.Normal, data: enc(data) };
}

/** Entries index lo..hi (inclusive), all of term `term`. */
export function entries(lo: number, hi: number, term: number): Entry[] {
  const out: Entry[] = [];
  for (let i = lo; i <= hi; i++) out.push(entry(i, term, `e${i}`));
  return out;
}

/** A message with zero values except the given fields. */
export function msg(
  type: MessageType,
  from: NodeId,
  to: NodeId,
  term: number,
  fields: Partial<Message> = {},
): Message {
  return { ...emptyMessage(type, to, from, term), ...fields };
}

/** The application payloads a node applied, decoded. */
export function appliedData(n: MemberNode): string[] {
  return n.applied.map((e) => dec(e.data));
}

/** Proposes `data` on node `id` and stabilizes. */
export function proposeAndSettle(c: MemoryCluster, id: NodeId, data: string): void {
  c.node(id).rn.propose(enc(data));
  c.stabilize();
}

/** The leader among `ids` (a stale leader outside them is ignored). */
export function leaderAmong(c: MemoryCluster, ids: readonly NodeId[]): MemberNode | undefined {
  for (const id of ids) {
    const n = c.node(id);
    if (n.rn.raft.state === StateType.Leader) return n;
  }
  return undefined;
}

/**
 * Ticks `ids` (every node by default) one at a time, stabilizing after each tick, until `done`
 * holds. Returns the ticks it took; throws after `maxTicks`.
 */
export function tickUntil(
  c: MemoryCluster,
  done: () => boolean,
  maxTicks = 200,
  ids?: readonly NodeId[],
): number {
  for (let i = 0; i <= maxTicks; i++) {
    if (done()) return i;
    if (ids === undefined) c.tickAll();
    else for (const id of ids) c.node(id).rn.tick();
    c.stabilize();
  }
  throw new Error(`condition not reached in ${maxTicks} ticks`);
}

/** Ticks the given nodes `n` times, stabilizing after each tick. */
export function tickNodes(c: MemoryCluster, ids: readonly NodeId[], n: number): void {
  for (let i = 0; i < n; i++) {
    for (const id of ids) c.node(id).rn.tick();
    c.stabilize();
  }
}

/**
 * A tap on every message stepped into the cluster's nodes (after link cuts): records them and
 * drops those `drop` selects. Call attach() again after adding nodes.
 */
export class Tap {
  readonly delivered: Message[] = [];
  drop: (m: Message) => boolean = () => false;
  /**
   * When set, a RaftError(StepRefused) thrown by a node's step() is recorded in `refused` and
   * swallowed, as a transport would (MemoryCluster itself lets it escape from stabilize()).
   */
  swallowRefused = false;
  readonly refused: Message[] = [];
  /** Called after every message a node stepped (for invariants checked at each step). */
  afterStep: (n: MemberNode, m: Message) => void = () => {};
  readonly #cluster: MemoryCluster;
  readonly #attached = new WeakSet<RawNode>();

  constructor(c: MemoryCluster) {
    this.#cluster = c;
    this.attach();
  }

  attach(): void {
    for (const n of this.#cluster.nodes.values()) {
      if (this.#attached.has(n.rn)) continue;
      this.#attached.add(n.rn);
      const inner = n.rn.step.bind(n.rn);
      n.rn.step = (m: Message): void => {
        if (this.drop(m)) return;
        this.delivered.push(m);
        try {
          inner(m);
        } catch (err) {
          if (!(this.swallowRefused && err instanceof RaftError && err.code === RaftErrorCode.StepRefused))
            throw err;
          this.refused.push(m);
        } finally {
          this.afterStep(n, m);
        }
      };
    }
  }

  count(pred: (m: Message) => boolean): number {
    return this.delivered.filter(pred).length;
  }

  clear(): void {
    this.delivered.length = 0;
  }
}

/** A standalone node `id` of a fresh cluster of `voters`, fed messages by hand. */
export function newNode(
  id: NodeId,
  voters: readonly NodeId[],
  options: Partial<RaftConfigInput> = {},
): { rn: RawNode; storage: MemoryStorage } {
  const storage = new MemoryStorage();
  bootstrapStorage(storage, voters);
  const rn = new RawNode({ startupQuietTicks: 0, ...options, id, storage });
  return { rn, storage };
}

/** Handles one Ready the way a user must: persist, (collect messages), advance. */
export function handleReady(rn: RawNode, storage: MemoryStorage): Ready {
  const rd = rn.ready();
  if (rd.snapshot) storage.applySnapshot(rd.snapshot);
  storage.append(rd.entries);
  if (rd.hardState) storage.setHardState(rd.hardState);
  rn.advance();
  return rd;
}

/** Handles Readies until there is none; returns every message they carried. */
export function drainReadies(rn: RawNode, storage: MemoryStorage): Message[] {
  const out: Message[] = [];
  while (rn.hasReady()) out.push(...handleReady(rn, storage).messages);
  return out;
}
