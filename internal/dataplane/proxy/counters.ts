// Connection and byte counters for one service or real server, with the sliding window of recent
// closes that stands in for IPVS's "inactive" connections.

export class Counters {
  active = 0;
  total = 0;
  bytesIn = 0;
  bytesOut = 0;
  readonly #windowMs: number;
  /** Close times (monotonic ms), oldest first from #head. */
  #closedAt: number[] = [];
  #head = 0;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Connections closed within the window ending at `now`. */
  inactive(now: number): number {
    const limit = now - this.#windowMs;
    const closed = this.#closedAt;
    while (this.#head < closed.length && (closed[this.#head] as number) <= limit) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > closed.length) {
      this.#closedAt = closed.slice(this.#head);
      this.#head = 0;
    }
    return this.#closedAt.length - this.#head;
  }

  closed(now: number): void {
    this.active--;
    this.#closedAt.push(now);
  }
}
