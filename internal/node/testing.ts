// Test support for the node: an in-memory NodeStorage and an in-process transport joining nodes,
// so the run loop can be tested without disks or sockets (integration tests use the real ones).

import {
  type ConfState,
  type Entry,
  type HardState,
  MemoryStorage,
  type Message,
  type Snapshot,
} from "../raft/index.ts";
import type { NodeStorage, NodeTransport, RaftNode } from "./raft-node.ts";

export class MemoryNodeStorage implements NodeStorage {
  /** The in-memory log underneath (tests bootstrap it directly). */
  readonly mem = new MemoryStorage();

  initialState(): { hardState: HardState; confState: ConfState } {
    return this.mem.initialState();
  }
  entries(lo: number, hi: number, maxSizeBytes: number): Entry[] {
    return this.mem.entries(lo, hi, maxSizeBytes);
  }
  term(i: number): number {
    return this.mem.term(i);
  }
  lastIndex(): number {
    return this.mem.lastIndex();
  }
  firstIndex(): number {
    return this.mem.firstIndex();
  }
  snapshot(): Snapshot {
    return this.mem.snapshot();
  }

  async save(rd: { hardState?: HardState; entries: Entry[]; snapshot?: Snapshot }): Promise<void> {
    if (rd.snapshot) this.mem.applySnapshot(rd.snapshot);
    this.mem.append(rd.entries);
    if (rd.hardState) this.mem.setHardState(rd.hardState);
  }

  async createSnapshot(
    index: number,
    confState: ConfState,
    data: Uint8Array,
    keepEntries: number,
  ): Promise<Snapshot> {
    const snap = this.mem.createSnapshot(index, confState, data);
    const compactTo = index - keepEntries;
    if (compactTo >= this.mem.firstIndex()) this.mem.compact(compactTo);
    return snap;
  }
}

/** Delivers messages between registered nodes on the next turn of the event loop; links can be cut. */
export class InProcessNetwork {
  readonly nodes = new Map<number, RaftNode>();
  readonly down = new Set<number>();

  transportFor(id: number): NodeTransport {
    return {
      send: (msgs: Message[]) => {
        for (const m of msgs) {
          if (this.down.has(id) || this.down.has(m.to)) continue;
          setImmediate(() => {
            const to = this.nodes.get(m.to);
            if (!to || this.down.has(m.to) || this.down.has(id)) return;
            to.receive([m]);
            if (m.type === "Snap") this.nodes.get(id)?.reportSnapshot(m.to, true);
          });
        }
      },
      setPeer: () => {},
      removePeer: () => {},
    };
  }
}
