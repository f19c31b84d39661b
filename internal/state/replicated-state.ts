// The replicated state machine every node applies the committed log to: the key-value table and
// the member directory, with revision, applied index and entry time. Deterministic: apply() uses
// only the entry and its leader-stamped time; snapshot bytes are canonical, so equal state hashes equal.

import { createHash } from "node:crypto";
import { type Command, parseCommand } from "./commands.ts";
import { KvTable } from "./kv-table.ts";
import { MemberDirectory, type MemberInfo } from "./members.ts";
import { clientGroup, type PersistenceRecord, PersistenceTable } from "./persistence.ts";
import { ServiceTable, type VirtualService } from "./services/index.ts";

/** A transaction made against an older revision of the state (deterministic at apply). */
export class RevisionMismatchError extends Error {
  readonly code = "STATE_REVISION_MISMATCH";
  constructor(expected: number, actual: number) {
    super(
      `the state moved on since revision ${expected} (now ${actual}): read it again and recompute the changes`,
    );
    this.name = "RevisionMismatchError";
  }
}

export interface ApplyResult {
  revision: number;
  /** For delete: whether the key existed. */
  deleted?: boolean;
  /** For a table transaction: the service keys it changed. */
  changed?: string[];
}

export type MembershipChange =
  | { type: "add"; member: MemberInfo }
  | { type: "promote"; id: number }
  | { type: "remove"; id: number };

interface SnapshotBody {
  format: 1;
  appliedIndex: number;
  revision: number;
  entryTimeMs: number;
  members: MemberInfo[];
  kv: Array<[string, { value: string; modRevision: number }]>;
  services?: VirtualService[];
  persistence?: PersistenceRecord[];
}

export class ReplicatedState {
  readonly kv = new KvTable();
  readonly members = new MemberDirectory();
  readonly services = new ServiceTable();
  readonly persistence = new PersistenceTable();
  /** Number of changes applied (every command bumps it, even a no-op, so clients can order). */
  revision = 0;
  appliedIndex = 0;
  /** Leader wall-clock stamp of the last applied entry, never moving backwards. */
  entryTimeMs = 0;

  /** Applies one command committed at `index` with the leader's stamp `stampMs`. */
  apply(index: number, stampMs: number, raw: unknown): ApplyResult {
    this.#advance(index, stampMs);
    const cmd: Command = parseCommand(raw);
    if (cmd.op === "txn") {
      if (cmd.ifRevision !== undefined && cmd.ifRevision !== this.revision)
        throw new RevisionMismatchError(cmd.ifRevision, this.revision);
      // Validated in full before the revision moves: a refused transaction changes nothing.
      const changed = this.services.apply(cmd.ops, this.revision + 1);
      this.revision++;
      this.#prunePersistence();
      return { revision: this.revision, changed };
    }
    // Persistence records are soft state: they do not move the revision (so they never
    // invalidate an if_revision transaction), but they are in the snapshot and the hash.
    if (cmd.op === "persist") {
      for (const r of cmd.records) this.#persist(r.service, r.client, r.server);
      return { revision: this.revision };
    }
    if (cmd.op === "persist.sweep") {
      this.persistence.sweep(this.entryTimeMs);
      return { revision: this.revision };
    }
    this.revision++;
    switch (cmd.op) {
      case "put":
        this.kv.put(cmd.key, cmd.value, this.revision);
        return { revision: this.revision };
      case "delete":
        return { revision: this.revision, deleted: this.kv.delete(cmd.key) };
      case "noop":
        return { revision: this.revision };
    }
  }

  /** Records (or refreshes) one persistence record; records for unknown targets are ignored. */
  #persist(serviceKey: string, client: string, server: string): void {
    const svc = this.services.get(serviceKey);
    if (!svc?.persistence) return;
    if (!svc.realServers.some((r) => `${r.address}|${r.port}` === server)) return;
    const group = clientGroup(svc, client);
    if (group === undefined) return;
    this.persistence.put({
      service: svc.key,
      clientGroup: group,
      server,
      expiresAtMs: this.entryTimeMs + svc.persistence.timeoutSec * 1000,
    });
  }

  /** Records whose service or real server left the table go with them. */
  #prunePersistence(): void {
    if (this.persistence.size === 0) return;
    this.persistence.prune((service, server) => {
      const svc = this.services.get(service);
      return (
        svc?.persistence !== undefined && svc.realServers.some((r) => `${r.address}|${r.port}` === server)
      );
    });
  }

  /** Records an entry that changed nothing here (a leader's empty entry, a rejected command). */
  skip(index: number, stampMs: number): void {
    this.#advance(index, stampMs);
  }

  applyMembership(index: number, change: MembershipChange): void {
    this.#advance(index, this.entryTimeMs);
    this.revision++;
    switch (change.type) {
      case "add":
        this.members.set(change.member);
        return;
      case "promote": {
        const m = this.members.get(change.id);
        if (m) this.members.set({ ...m, learner: false });
        return;
      }
      case "remove":
        this.members.remove(change.id);
        return;
    }
  }

  #advance(index: number, stampMs: number): void {
    if (index <= this.appliedIndex)
      throw new Error(`apply of index ${index} at or below applied ${this.appliedIndex}`);
    this.appliedIndex = index;
    if (Number.isFinite(stampMs) && stampMs > this.entryTimeMs) this.entryTimeMs = stampMs;
  }

  snapshot(): Uint8Array {
    const body: SnapshotBody = {
      format: 1,
      appliedIndex: this.appliedIndex,
      revision: this.revision,
      entryTimeMs: this.entryTimeMs,
      members: this.members.list(),
      kv: this.kv.sorted(),
      services: this.services.rows(),
      persistence: this.persistence.rows(),
    };
    return Buffer.from(JSON.stringify(body));
  }

  /** Replaces the whole state with a snapshot's; empty data (a bare bootstrap) means empty state. */
  restore(data: Uint8Array): void {
    const body: SnapshotBody =
      data.byteLength === 0
        ? { format: 1, appliedIndex: 0, revision: 0, entryTimeMs: 0, members: [], kv: [], services: [] }
        : (JSON.parse(Buffer.from(data).toString("utf8")) as SnapshotBody);
    if (body.format !== 1) throw new Error(`unknown state snapshot format ${String(body.format)}`);
    this.appliedIndex = body.appliedIndex;
    this.revision = body.revision;
    this.entryTimeMs = body.entryTimeMs;
    this.members.load(body.members);
    this.kv.load(body.kv);
    this.services.load(body.services ?? [], body.revision);
    this.persistence.load(body.persistence ?? []);
  }

  #hashCache: { appliedIndex: number; revision: number; hash: string } | undefined;

  /** sha256 of the canonical snapshot: equal on every node that applied the same log. */
  hash(): string {
    const c = this.#hashCache;
    // Every change moves the applied index, so one hash per index is enough.
    if (c && c.appliedIndex === this.appliedIndex && c.revision === this.revision) return c.hash;
    const hash = createHash("sha256").update(this.snapshot()).digest("hex");
    this.#hashCache = { appliedIndex: this.appliedIndex, revision: this.revision, hash };
    return hash;
  }
}
