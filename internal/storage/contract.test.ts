// DurableStorage against MemoryStorage: the same operations applied to both must give the same
// answers (values and error codes) from entries/term/firstIndex/lastIndex/snapshot/initialState,
// live after every step and again after a reopen from disk.

import test from "ava";
import {
  type ConfState,
  type Entry,
  type HardState,
  MemoryStorage,
  type Snapshot,
  type Storage,
} from "../raft/index.ts";
import type { DurableStorage } from "./durable-storage.ts";
import { entries, openStorage, reopen, tempDir } from "./test-helpers.ts";

type Step =
  | { ready: { hardState?: HardState; entries: Entry[]; snapshot?: Snapshot } }
  | { snapshot: number; keep: number };

const cs: ConfState = { voters: [1, 2, 3], learners: [] };
const hs = (term: number, commit: number): HardState => ({ term, vote: 1, commit });
const snap = (index: number, term: number): Snapshot => ({
  metadata: { index, term, confState: cs },
  data: new Uint8Array([index & 0xff]),
});

const scenarios: Record<string, Step[]> = {
  "an empty log": [],
  "appends, conflicting suffixes and compactions": [
    { ready: { entries: entries(1, 5, 1), hardState: hs(1, 3) } },
    { ready: { entries: entries(4, 7, 2), hardState: hs(2, 3) } },
    { ready: { entries: [], hardState: hs(2, 6) } },
    { snapshot: 5, keep: 2 },
    { ready: { entries: entries(8, 9, 2), hardState: hs(2, 8) } },
    { snapshot: 8, keep: 0 },
    { ready: { entries: entries(9, 12, 3), hardState: hs(3, 8) } },
    { ready: { entries: entries(10, 10, 4), hardState: hs(4, 10) } },
    { snapshot: 10, keep: 1 },
  ],
  "a leader's snapshot replacing the log": [
    { ready: { entries: entries(1, 3, 1), hardState: hs(1, 2) } },
    { ready: { snapshot: snap(10, 3), entries: [], hardState: hs(3, 10) } },
    { ready: { entries: entries(11, 12, 3) } },
    { ready: { snapshot: snap(20, 4), entries: entries(21, 23, 4), hardState: hs(4, 22) } },
    { snapshot: 22, keep: 5 },
  ],
  "a bootstrapped member growing and compacting": [
    { ready: { snapshot: snap(1, 1), entries: [], hardState: hs(1, 1) } },
    { ready: { entries: [...entries(2, 9, 2), ...entries(10, 20, 3)], hardState: hs(3, 15) } },
    { snapshot: 12, keep: 3 },
    { snapshot: 15, keep: 100 },
    { ready: { entries: entries(16, 18, 5), hardState: hs(5, 16) } },
    { ready: { entries: entries(17, 19, 6), hardState: hs(6, 16) } },
  ],
};

function applyToMemory(m: MemoryStorage, step: Step): void {
  if ("ready" in step) {
    const rd = step.ready;
    if (rd.snapshot) m.applySnapshot(rd.snapshot);
    m.append(rd.entries);
    if (rd.hardState) m.setHardState(rd.hardState);
    return;
  }
  m.createSnapshot(step.snapshot, cs, new Uint8Array([step.snapshot]));
  const compactTo = step.snapshot - step.keep;
  if (compactTo > m.firstIndex() - 1) m.compact(compactTo);
}

async function applyToDurable(d: DurableStorage, step: Step): Promise<void> {
  if ("ready" in step) await d.save(step.ready, true);
  else await d.createSnapshot(step.snapshot, cs, new Uint8Array([step.snapshot]), step.keep);
}

/** A value, or the error code thrown instead. */
function answer<T>(fn: () => T): { ok: T } | { err: unknown } {
  try {
    return { ok: fn() };
  } catch (e) {
    return { err: (e as { code?: unknown }).code ?? String(e) };
  }
}

const view = (es: Entry[]) => es.map((e) => [e.index, e.term, e.type, Buffer.from(e.data).toString("hex")]);

/** Everything Raft can ask a Storage, over every index around the log. */
function probe(s: Storage) {
  const first = s.firstIndex();
  const last = s.lastIndex();
  const terms = [];
  for (let i = Math.max(0, first - 3); i <= last + 2; i++) terms.push([i, answer(() => s.term(i))]);
  const ents = [];
  for (let lo = Math.max(0, first - 2); lo <= last + 2; lo++)
    for (let hi = lo; hi <= last + 3; hi++)
      for (const max of [0, 40, Number.MAX_SAFE_INTEGER])
        ents.push([lo, hi, max, answer(() => view(s.entries(lo, hi, max)))]);
  const sn = s.snapshot();
  return { first, last, terms, ents, snapshot: [sn.metadata, [...sn.data]], init: s.initialState() };
}

for (const [name, steps] of Object.entries(scenarios)) {
  test(`durable and memory storage answer alike: ${name}`, async (t) => {
    const m = new MemoryStorage();
    let d = await openStorage(t, await tempDir(t));
    t.deepEqual(probe(d), probe(m), "before any step");
    for (const [k, step] of steps.entries()) {
      applyToMemory(m, step);
      await applyToDurable(d, step);
      t.deepEqual(probe(d), probe(m), `after step ${k + 1}`);
      d = await reopen(t, d);
      t.deepEqual(probe(d), probe(m), `after step ${k + 1} and a reopen`);
    }
  });
}
