// Reconnect delays: exponential from an initial delay up to a cap, with jitter so peers that lost
// the same node do not retry in lockstep.

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(initialMs: number, maxMs: number, random: () => number = Math.random) {
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
    this.#random = random;
  }

  /** The next delay: the doubled step, capped, then drawn from [half of it, all of it]. */
  next(): number {
    const step = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return Math.round(step / 2 + (this.#random() * step) / 2);
  }

  /** After a success: the next failure waits the initial delay again. */
  reset(): void {
    this.#attempt = 0;
  }
}
