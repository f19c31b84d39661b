// Small helpers over entries shared by the log, storage and the state machine.

import type { Entry } from "./types.ts";

/** Bytes an entry counts for in size limits: its payload plus a fixed header estimate. */
export function entrySize(e: Entry): number {
  return e.data.byteLength + 16;
}

export function entriesSize(ents: readonly Entry[]): number {
  let n = 0;
  for (const e of ents) n += entrySize(e);
  return n;
}

/** The longest prefix of `ents` within `maxSizeBytes`, but never empty when `ents` is not. */
export function limitSize(ents: Entry[], maxSizeBytes: number): Entry[] {
  if (ents.length === 0) return ents;
  let size = entrySize(ents[0]!);
  let n = 1;
  for (; n < ents.length; n++) {
    size += entrySize(ents[n]!);
    if (size > maxSizeBytes) break;
  }
  return n === ents.length ? ents : ents.slice(0, n);
}
