// Command-line checks the benchmarks share: a usage error class and a bounded number flag whose
// error names the flag, its range and what was given.

export class UsageError extends Error {}

/** `raw` as a number in [min, max] (an integer unless `integer` is false), or a UsageError. */
export function numberFlag(flag: string, raw: string, min: number, max: number, integer = true): number {
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v) || (integer && !Number.isSafeInteger(v)) || v < min || v > max)
    throw new UsageError(
      `--${flag} must be ${integer ? "an integer" : "a number"} from ${min} to ${max} (got "${raw}")`,
    );
  return v;
}
