// A latency histogram that worker processes can send to the parent and merge: log-linear buckets
// over microseconds (exact below 128 µs, then 64 buckets per power of two, so a reported
// percentile is within 1/128 of the true value), plus the exact count, sum, min and max.

const LINEAR = 128;
const SUB = 64;
const MAX_SHIFT = 32;
const BUCKETS = LINEAR + MAX_SHIFT * SUB;

function bucketOf(us: number): number {
  const v = Math.max(0, Math.min(Math.floor(us), 2 ** (MAX_SHIFT + 6) - 1));
  if (v < LINEAR) return v;
  const bits = Math.floor(Math.log2(v)) + 1; // bit length, at least 8
  const shift = bits - 7;
  const top = Math.floor(v / 2 ** shift); // 64..127
  return LINEAR + (shift - 1) * SUB + (top - SUB);
}

/** The middle of a bucket, in microseconds. */
function midpointUs(bucket: number): number {
  if (bucket < LINEAR) return bucket;
  const shift = Math.floor((bucket - LINEAR) / SUB) + 1;
  const top = ((bucket - LINEAR) % SUB) + SUB;
  return top * 2 ** shift + 2 ** (shift - 1);
}

/** What crosses a process boundary: non-empty buckets as [bucket, count] pairs. */
export interface HistogramJson {
  buckets: Array<[number, number]>;
  count: number;
  sumUs: number;
  minUs: number;
  maxUs: number;
}

export class Histogram {
  readonly #counts = new Float64Array(BUCKETS);
  count = 0;
  sumUs = 0;
  minUs = Number.POSITIVE_INFINITY;
  maxUs = 0;

  recordMs(ms: number): void {
    this.recordUs(ms * 1000);
  }

  recordUs(us: number): void {
    this.#counts[bucketOf(us)]!++;
    this.count++;
    this.sumUs += us;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
  }

  merge(other: Histogram | HistogramJson): void {
    const h = other instanceof Histogram ? other.toJSON() : other;
    for (const [b, n] of h.buckets) this.#counts[b]! += n;
    this.count += h.count;
    this.sumUs += h.sumUs;
    if (h.count > 0) {
      this.minUs = Math.min(this.minUs, h.minUs);
      this.maxUs = Math.max(this.maxUs, h.maxUs);
    }
  }

  /** The value at percentile p (0..100) in milliseconds; 0 when empty. Exact at 0 and 100. */
  percentileMs(p: number): number {
    if (this.count === 0) return 0;
    if (p <= 0) return this.minUs / 1000;
    if (p >= 100) return this.maxUs / 1000;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.#counts[b]!;
      if (seen >= rank) return Math.min(Math.max(midpointUs(b), this.minUs), this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  meanMs(): number {
    return this.count === 0 ? 0 : this.sumUs / this.count / 1000;
  }

  toJSON(): HistogramJson {
    const buckets: Array<[number, number]> = [];
    for (let b = 0; b < BUCKETS; b++) if (this.#counts[b]! > 0) buckets.push([b, this.#counts[b]!]);
    return {
      buckets,
      count: this.count,
      sumUs: this.sumUs,
      minUs: this.count === 0 ? 0 : this.minUs,
      maxUs: this.maxUs,
    };
  }

  static fromJSON(h: HistogramJson): Histogram {
    const out = new Histogram();
    out.merge(h);
    return out;
  }
}

/** Percentile of a plain list (failover times are few): nearest rank. */
export function percentileOf(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(s.length, rank) - 1]!;
}

/** Median of a plain list: the mean of the two middle values for an even count. */
export function medianOf(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
