// Small value parsers shared by the importers: durations and non-negative integers.

/** HAProxy time: a number with an optional unit (us, ms, s, m, h, d; none = ms), in ms. */
export function haproxyMs(raw: string | undefined): number | undefined {
  const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(raw ?? "");
  if (!m) return undefined;
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Math.round(Number(m[1]) * scale[m[2] ?? "ms"]!);
}

/** keepalived seconds (may have a fraction), in ms. */
export function secondsMs(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d+(\.\d+)?$/.test(raw) ? Math.round(Number(raw) * 1000) : undefined;
}

export function count(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d{1,10}$/.test(raw) ? Number(raw) : undefined;
}
