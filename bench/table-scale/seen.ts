// When each node's watch reported each table revision, and waiting until every node has reached
// a revision: "applied on all nodes" is the latest of the nodes' first reports at or after it.

class NodeLog {
  /** Revisions reported, increasing, with the performance.now() at which each report arrived. */
  readonly revisions: number[] = [];
  readonly times: number[] = [];

  get reached(): number {
    return this.revisions.at(-1) ?? 0;
  }

  record(revision: number, atMs: number): void {
    if (revision <= this.reached) return;
    this.revisions.push(revision);
    this.times.push(atMs);
  }

  /** When this node first reported `revision` or a later one; undefined if it has not yet. */
  timeOf(revision: number): number | undefined {
    let lo = 0;
    let hi = this.revisions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.revisions[mid]! < revision) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.revisions.length ? this.times[lo] : undefined;
  }
}

interface Waiter {
  revision: number;
  resolve: (atMs: number) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class SeenOnAll {
  readonly #nodes: NodeLog[];
  #waiters: Waiter[] = [];
  #failure: Error | undefined;

  constructor(nodes: number) {
    this.#nodes = Array.from({ length: nodes }, () => new NodeLog());
  }

  /** Node `i` (0-based) reported that its table is at `revision`, at time `atMs`. */
  record(i: number, revision: number, atMs: number): void {
    this.#nodes[i]!.record(revision, atMs);
    if (this.#waiters.length === 0) return;
    const left: Waiter[] = [];
    for (const w of this.#waiters) {
      const at = this.timeOnAll(w.revision);
      if (at === undefined) left.push(w);
      else {
        clearTimeout(w.timer);
        w.resolve(at);
      }
    }
    this.#waiters = left;
  }

  /** The time the last node reached `revision`, or undefined while some node has not. */
  timeOnAll(revision: number): number | undefined {
    let latest = Number.NEGATIVE_INFINITY;
    for (const n of this.#nodes) {
      const t = n.timeOf(revision);
      if (t === undefined) return undefined;
      latest = Math.max(latest, t);
    }
    return latest;
  }

  /** Per node, when it reached `revision` (undefined where it has not). */
  timesOf(revision: number): Array<number | undefined> {
    return this.#nodes.map((n) => n.timeOf(revision));
  }

  reached(): number[] {
    return this.#nodes.map((n) => n.reached);
  }

  /** Resolves with the time the last node reached `revision`; rejects after `timeoutMs`. */
  waitAll(revision: number, timeoutMs: number): Promise<number> {
    if (this.#failure) return Promise.reject(this.#failure);
    const at = this.timeOnAll(revision);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        revision,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((x) => x !== w);
          reject(
            new Error(
              `revision ${revision} not seen on every node within ${timeoutMs} ms (nodes at ${this.reached().join(", ")})`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.push(w);
    });
  }

  /** A watch broke: every wait now fails with `err`. */
  fail(err: Error): void {
    if (this.#failure) return;
    this.#failure = err;
    for (const w of this.#waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.#waiters = [];
  }
}
