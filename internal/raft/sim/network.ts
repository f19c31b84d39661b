// The simulated network between nodes: per-message drop, random delay (hence reordering),
// duplication, and partitions as a set of cut one-way links. All draws come from one generator.

import type { SeededRandom } from "../rand.ts";
import { EventQueue } from "./event-queue.ts";

export interface NetworkFaults {
  /** Probability that a message is lost. */
  dropRate: number;
  /** Probability that a message is delivered twice (the copy with its own delay). */
  duplicateRate: number;
  /** Delay of an ordinary message, in time units, drawn uniformly from [min, max]. */
  minDelay: number;
  maxDelay: number;
  /** Probability of a delay spike, drawn uniformly from [maxDelay, spikeMaxDelay]. */
  spikeRate: number;
  spikeMaxDelay: number;
}

export const CALM_NETWORK: NetworkFaults = {
  dropRate: 0,
  duplicateRate: 0,
  minDelay: 1,
  maxDelay: 3,
  spikeRate: 0,
  spikeMaxDelay: 3,
};

export interface Addressed {
  from: number;
  to: number;
}

/** What happened to a message handed to `send`. */
export type SendOutcome = "sent" | "dropped" | "partitioned";

export interface Delivery<T> {
  msg: T;
  /** False when a partition cut the link while the message was in flight (it is lost). */
  delivered: boolean;
}

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  partitioned: number;
  duplicated: number;
}

export class SimNetwork<T extends Addressed> {
  faults: NetworkFaults;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, partitioned: 0, duplicated: 0 };
  readonly #rng: SeededRandom;
  readonly #queue = new EventQueue<T>();
  readonly #cut = new Set<string>();
  /** Stalled one-way links: "from>to" -> time before which nothing on the link arrives. */
  readonly #stalls = new Map<string, number>();
  readonly #copy: (msg: T) => T;

  /** `copy` makes the duplicate of a message (the receiver may keep references into the original). */
  constructor(rng: SeededRandom, faults: NetworkFaults, copy: (msg: T) => T) {
    this.#rng = rng;
    this.faults = faults;
    this.#copy = copy;
  }

  get inFlight(): number {
    return this.#queue.size;
  }

  send(msg: T, now: number): SendOutcome {
    this.stats.sent++;
    if (msg.from === msg.to) {
      this.#queue.push(now, msg);
      return "sent";
    }
    if (this.isCut(msg.from, msg.to)) {
      this.stats.partitioned++;
      return "partitioned";
    }
    const f = this.faults;
    if (this.#rng.next() < f.dropRate) {
      this.stats.dropped++;
      return "dropped";
    }
    const stalledUntil = this.#stalls.size > 0 ? (this.#stalls.get(`${msg.from}>${msg.to}`) ?? 0) : 0;
    const base = Math.max(now, stalledUntil);
    this.#queue.push(base + this.#delay(), msg);
    if (this.#rng.next() < f.duplicateRate) {
      this.stats.duplicated++;
      this.#queue.push(base + this.#delay(), this.#copy(msg));
    }
    return "sent";
  }

  /** The next message due at or before `now`, checked against the partitions of now. */
  popDue(now: number): Delivery<T> | undefined {
    const msg = this.#queue.popDue(now);
    if (msg === undefined) return undefined;
    if (msg.from !== msg.to && this.isCut(msg.from, msg.to)) {
      this.stats.partitioned++;
      return { msg, delivered: false };
    }
    this.stats.delivered++;
    return { msg, delivered: true };
  }

  isCut(from: number, to: number): boolean {
    return this.#cut.size > 0 && this.#cut.has(`${from}>${to}`);
  }

  /** Cuts the one-way link from -> to. */
  cut(from: number, to: number): void {
    if (from !== to) this.#cut.add(`${from}>${to}`);
  }

  /** Cuts every link between the two groups, both ways. */
  partition(a: readonly number[], b: readonly number[]): void {
    for (const x of a) {
      for (const y of b) {
        this.cut(x, y);
        this.cut(y, x);
      }
    }
  }

  /**
   * Stalls the one-way link from -> to until `until`: messages sent on it meanwhile are held and
   * then arrive in a burst (a congested or blocked connection that later recovers).
   */
  stall(from: number, to: number, until: number): void {
    if (from !== to) this.#stalls.set(`${from}>${to}`, until);
  }

  /** Ends every stall (messages already held still arrive as scheduled). */
  clearStalls(): void {
    this.#stalls.clear();
  }

  /** Reconnects every cut link. */
  heal(): void {
    this.#cut.clear();
  }

  get cutLinks(): number {
    return this.#cut.size;
  }

  #delay(): number {
    const f = this.faults;
    if (f.spikeRate > 0 && this.#rng.next() < f.spikeRate) {
      return f.maxDelay + this.#rng.int(Math.max(1, f.spikeMaxDelay - f.maxDelay + 1));
    }
    return f.minDelay + this.#rng.int(f.maxDelay - f.minDelay + 1);
  }
}
