// mh: Maglev hashing (IPVS's mh). Each server's preference list is a permutation of a prime-size
// lookup table from two hashes of its id (offset, skip); servers take turns ∝ weight claiming
// their next free preferred slot until the table is full. Removing one of N moves ≈ 1/N of keys.

import { clientKey, gcd, usable, ViewTracker } from "./common.ts";
import { hash32, hash32With } from "./hash.ts";
import type { PickContext, Scheduler, SchedulerOptions, ServerView } from "./types.ts";
import { SCHEDULER_DEFAULTS } from "./types.ts";

export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

export function nextPrime(n: number): number {
  let p = Math.max(2, Math.ceil(n));
  while (!isPrime(p)) p++;
  return p;
}

/** Upper bound on turns per round, so that a huge weight ratio still fills in bounded rounds. */
const MAX_TURNS = 256;

/** Builds the Maglev lookup table of size m (prime) over the servers with weight > 0. */
export function buildMaglevTable(servers: readonly ServerView[], m: number): Int32Array {
  const table = new Int32Array(m).fill(-1);
  const members: number[] = [];
  let g = 0;
  let maxW = 0;
  servers.forEach((s, i) => {
    if (s.weight > 0) {
      members.push(i);
      g = gcd(g, s.weight);
      maxW = Math.max(maxW, s.weight);
    }
  });
  if (members.length === 0) return table;
  const scale = maxW / g > MAX_TURNS ? MAX_TURNS / maxW : 1 / g;
  const turns = members.map((i) => Math.max(1, Math.round((servers[i] as ServerView).weight * scale)));
  const offset = members.map((i) => hash32((servers[i] as ServerView).id, 1) % m);
  const skip = members.map((i) => (hash32((servers[i] as ServerView).id, 2) % (m - 1)) + 1);
  const next = members.map((_, k) => offset[k] as number);
  let filled = 0;
  while (filled < m) {
    for (let k = 0; k < members.length && filled < m; k++) {
      for (let t = 0; t < (turns[k] as number) && filled < m; t++) {
        let c = next[k] as number;
        while ((table[c] as number) >= 0) c = (c + (skip[k] as number)) % m;
        table[c] = members[k] as number;
        next[k] = (c + (skip[k] as number)) % m;
        filled++;
      }
    }
  }
  return table;
}

export class MaglevHashing implements Scheduler {
  readonly name = "mh" as const;
  readonly #servers: readonly ServerView[];
  readonly #port: boolean;
  readonly #fallback: boolean;
  readonly #requestedSize: number;
  readonly #view = new ViewTracker();
  #table: Int32Array = new Int32Array(0);

  constructor(servers: readonly ServerView[], opts: SchedulerOptions) {
    const size = opts.mhTableSize ?? SCHEDULER_DEFAULTS.mhTableSize;
    if (!isPrime(size)) throw new RangeError(`mh: table size ${size} is not a prime`);
    this.#servers = servers;
    this.#requestedSize = size;
    this.#port = opts.flags.includes("mh-port");
    this.#fallback = opts.flags.includes("mh-fallback");
  }

  /** The table size in use: the configured prime, or the next prime ≥ 100·N if that is larger. */
  get tableSize(): number {
    return this.#table.length;
  }

  pick(ctx: PickContext): number | undefined {
    const servers = this.#servers;
    if (this.#view.changed(servers)) {
      const m = Math.max(this.#requestedSize, nextPrime(100 * servers.length));
      this.#table = buildMaglevTable(servers, m);
    }
    const m = this.#table.length;
    if (m === 0 || servers.length === 0) return undefined;
    const key = clientKey(ctx, this.#port);
    const tries = this.#fallback ? Math.min(m, 256) : 1;
    for (let off = 0; off < tries; off++) {
      const h = off === 0 ? hash32(key) : hash32With(key, off);
      const i = this.#table[h % m] as number;
      if (i >= 0 && usable(servers[i] as ServerView)) return i;
    }
    return undefined;
  }
}
