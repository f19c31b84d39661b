// An in-memory cluster of RawNodes with synchronous, loss-free delivery (unless a link is cut):
// the harness for unit tests, the core benchmark and the demo. Not a simulator (see sim/).

import { decodeConfChange } from "./confchange.ts";
import type { RaftConfigInput } from "./config.ts";
import { RaftError, RaftErrorCode } from "./errors.ts";
import { RawNode } from "./rawnode.ts";
import { bootstrapStorage, MemoryStorage } from "./storage.ts";
import { type Entry, EntryType, type Message, type NodeId, type ReadState, StateType } from "./types.ts";

export interface MemberNode {
  id: NodeId;
  rn: RawNode;
  storage: MemoryStorage;
  /** Application entries applied, in order (leader no-ops and conf changes excluded). */
  applied: Entry[];
  readStates: ReadState[];
}

export type ClusterEvent =
  | { type: "leader"; id: NodeId; term: number }
  | { type: "applied"; id: NodeId; entries: Entry[] };

export class MemoryCluster {
  readonly nodes = new Map<NodeId, MemberNode>();
  /** Cut links: "from->to". Messages over a cut link are dropped. */
  readonly cut = new Set<string>();
  /** Messages waiting for delivery. */
  queue: Message[] = [];
  readonly #options: Partial<RaftConfigInput>;
  onEvent: ((e: ClusterEvent) => void) | undefined;

  constructor(ids: NodeId[], options: Partial<RaftConfigInput> = {}) {
    this.#options = options;
    for (const id of ids) {
      const storage = new MemoryStorage();
      bootstrapStorage(storage, ids);
      this.#addNode(id, storage);
    }
  }

  #addNode(id: NodeId, storage: MemoryStorage): MemberNode {
    const rn = new RawNode({ ...this.#options, id, storage });
    const n: MemberNode = { id, rn, storage, applied: [], readStates: [] };
    this.nodes.set(id, n);
    return n;
  }

  /** Adds a brand-new, empty node (to be added to the membership by a conf change). */
  addEmptyNode(id: NodeId): MemberNode {
    return this.#addNode(id, new MemoryStorage());
  }

  node(id: NodeId): MemberNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  leader(): MemberNode | undefined {
    for (const n of this.nodes.values()) if (n.rn.raft.state === StateType.Leader) return n;
    return undefined;
  }

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) {
      if (other === id) continue;
      this.cut.add(`${id}->${other}`);
      this.cut.add(`${other}->${id}`);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  /** Handles every node's Ready once: persist, queue messages, apply, advance. */
  #processReadies(): boolean {
    let any = false;
    for (const n of this.nodes.values()) {
      if (!n.rn.hasReady()) continue;
      any = true;
      const rd = n.rn.ready();
      if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
      n.storage.append(rd.entries);
      if (rd.hardState) n.storage.setHardState(rd.hardState);
      if (rd.softState?.state === StateType.Leader)
        this.onEvent?.({ type: "leader", id: n.id, term: n.rn.raft.term });
      for (const m of rd.messages) if (!this.cut.has(`${m.from}->${m.to}`)) this.queue.push(m);
      const appEntries: Entry[] = [];
      for (const e of rd.committedEntries) {
        if (e.type === EntryType.ConfChange) n.rn.applyConfChange(decodeConfChange(e.data));
        else if (e.data.byteLength > 0) appEntries.push(e);
      }
      n.applied.push(...appEntries);
      n.readStates.push(...rd.readStates);
      if (appEntries.length > 0) this.onEvent?.({ type: "applied", id: n.id, entries: appEntries });
      n.rn.advance();
    }
    return any;
  }

  /** Delivers queued messages once; messages to unknown nodes are dropped. */
  #deliver(): boolean {
    const batch = this.queue;
    this.queue = [];
    for (const m of batch) {
      const n = this.nodes.get(m.to);
      if (!n) continue;
      try {
        n.rn.step(m);
      } catch (err) {
        // A transport drops what the node refuses (for example a late answer from a removed member).
        if (!(err instanceof RaftError) || err.code !== RaftErrorCode.StepRefused) throw err;
      }
    }
    return batch.length > 0;
  }

  /** Runs Ready handling and delivery until nothing moves (bounded). */
  stabilize(maxRounds = 10_000): void {
    for (let i = 0; i < maxRounds; i++) {
      const a = this.#processReadies();
      const b = this.#deliver();
      if (!a && !b) return;
    }
    throw new Error(`cluster did not stabilize in ${maxRounds} rounds`);
  }

  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) for (const node of this.nodes.values()) node.rn.tick();
  }

  /** Campaigns on `id` and stabilizes; returns the leader. */
  elect(id: NodeId): MemberNode {
    this.node(id).rn.campaign();
    this.stabilize();
    const l = this.leader();
    if (!l) throw new Error(`node ${id} did not become leader`);
    return l;
  }
}
