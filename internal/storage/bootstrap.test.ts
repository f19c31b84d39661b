// A new data directory: bootstrapped as an initial member (raft's bootstrapStorage state, made
// durable) or empty for a node that joins later; initialVoters are ignored once data exists.

import test from "ava";
import { bootstrapStorage, MemoryStorage } from "../raft/index.ts";
import { logView, openStorage, reopen, tempDir } from "./test-helpers.ts";

test("a new directory with initialVoters holds raft's bootstrap state, durably", async (t) => {
  const s = await openStorage(t, await tempDir(t), { initialVoters: [1, 2, 3] });
  t.true(s.isNew);
  const expected = new MemoryStorage();
  bootstrapStorage(expected, [1, 2, 3]);
  const check = (st: typeof s): void => {
    t.deepEqual(st.snapshot().metadata, {
      index: 1,
      term: 1,
      confState: { voters: [1, 2, 3], learners: [] },
    });
    t.deepEqual(st.initialState(), {
      hardState: { term: 1, vote: 0, commit: 1 },
      confState: { voters: [1, 2, 3], learners: [] },
    });
    t.deepEqual(logView(st), logView(expected));
    t.is(st.term(1), 1);
  };
  check(s);
  check(await reopen(t, s));
});

test("a new directory without initialVoters holds an empty log", async (t) => {
  const s = await openStorage(t, await tempDir(t), { nodeId: 4 });
  const check = (st: typeof s): void => {
    t.is(st.firstIndex(), 1);
    t.is(st.lastIndex(), 0);
    t.is(st.term(0), 0);
    t.is(st.snapshot().metadata.index, 0);
    t.deepEqual(st.initialState(), {
      hardState: { term: 0, vote: 0, commit: 0 },
      confState: { voters: [], learners: [] },
    });
  };
  check(s);
  check(await reopen(t, s, { nodeId: 4 }));
});

test("initialVoters are ignored when the directory already holds a log", async (t) => {
  const dir = await tempDir(t);
  const s = await openStorage(t, dir);
  await s.close();
  const again = await openStorage(t, dir, { initialVoters: [1, 2, 3] });
  t.false(again.isNew);
  t.is(again.lastIndex(), 0);
  t.is(again.snapshot().metadata.index, 0);
});
