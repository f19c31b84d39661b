// The replicated key-value table: values with the revision that last changed them. Deterministic;
// used for cluster metadata and as the write path the durable-node tests and benchmark drive.

export interface KvRecord {
  value: string;
  /** Revision of the change that wrote this value. */
  modRevision: number;
}

export class KvTable {
  readonly #rows = new Map<string, KvRecord>();

  get(key: string): KvRecord | undefined {
    return this.#rows.get(key);
  }

  put(key: string, value: string, revision: number): void {
    this.#rows.set(key, { value, modRevision: revision });
  }

  delete(key: string): boolean {
    return this.#rows.delete(key);
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Rows in key order (the canonical order for snapshots and hashes). */
  sorted(): Array<[string, KvRecord]> {
    return [...this.#rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Keys starting with `prefix`, in key order, at most `limit`. */
  range(prefix: string, limit: number): Array<[string, KvRecord]> {
    const out: Array<[string, KvRecord]> = [];
    for (const row of this.sorted()) {
      if (!row[0].startsWith(prefix)) continue;
      out.push(row);
      if (out.length >= limit) break;
    }
    return out;
  }

  load(rows: Array<[string, KvRecord]>): void {
    this.#rows.clear();
    for (const [k, r] of rows) this.#rows.set(k, r);
  }
}
