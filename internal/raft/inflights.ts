// The window of append messages in flight to one peer: the last index each carried, so that an
// acknowledgment up to index i frees every message up to it.

import { assert } from "./errors.ts";

export class Inflights {
  readonly capacity: number;
  /** Ring buffer of last indexes, oldest at #start. Invariant: increasing in ring order. */
  #buf: number[] = [];
  #start = 0;
  #count = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  full(): boolean {
    return this.#count >= this.capacity;
  }

  count(): number {
    return this.#count;
  }

  add(lastIndex: number): void {
    assert(!this.full(), "inflights: add to a full window");
    const pos = (this.#start + this.#count) % this.capacity;
    this.#buf[pos] = lastIndex;
    this.#count++;
  }

  /** Frees every in-flight message whose last index is <= `to`. */
  freeLE(to: number): void {
    while (this.#count > 0 && this.#buf[this.#start]! <= to) {
      this.#start = (this.#start + 1) % this.capacity;
      this.#count--;
    }
    if (this.#count === 0) this.#start = 0;
  }

  /** Frees the oldest in-flight message (a heartbeat answer shows the peer is alive again). */
  freeFirstOne(): void {
    if (this.#count === 0) return;
    this.freeLE(this.#buf[this.#start]!);
  }

  reset(): void {
    this.#count = 0;
    this.#start = 0;
  }
}
