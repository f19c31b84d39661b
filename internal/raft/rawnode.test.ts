// RawNode, the synchronous API: the Ready/advance contract (what each field holds and when),
// step() refusing local-only and malformed messages (with a seeded fuzz), and restart from storage.

import test from "ava";
import { RaftError, RaftErrorCode } from "./errors.ts";
import { SeededRandom } from "./rand.ts";
import { RawNode } from "./rawnode.ts";
import {
  appliedData,
  enc,
  entries,
  handleReady,
  msg,
  newCluster,
  newNode,
  proposeAndSettle,
  tickNodes,
  tickUntil,
} from "./test-helpers.ts";
import {
  EntryType,
  emptyMessage,
  LOCAL_MESSAGE_TYPES,
  type Message,
  MessageType,
  StateType,
} from "./types.ts";

const refused = { instanceOf: RaftError, code: RaftErrorCode.StepRefused };
const invariant = { instanceOf: RaftError, code: RaftErrorCode.Invariant };

test("Ready: a single node's election yields soft state, hard state and its empty entry; the commit comes next", (t) => {
  const { rn, storage } = newNode(1, [1]);
  t.false(rn.hasReady());
  rn.campaign();
  t.true(rn.hasReady());
  const rd = rn.ready();
  t.deepEqual(rd.softState, { lead: 1, state: StateType.Leader });
  t.deepEqual(rd.hardState, { term: 2, vote: 1, commit: 1 });
  t.deepEqual(
    rd.entries.map((e) => [e.index, e.term, e.data.byteLength]),
    [[2, 2, 0]],
  );
  t.deepEqual(rd.committedEntries, [], "nothing applies before it is persisted");
  t.deepEqual(rd.messages, []);
  t.true(rd.mustSync);
  storage.append(rd.entries);
  storage.setHardState(rd.hardState!);
  rn.advance();

  const rd2 = rn.ready();
  t.is(rd2.softState, undefined, "unchanged soft state is not repeated");
  t.deepEqual(rd2.hardState, { term: 2, vote: 1, commit: 2 });
  t.deepEqual(
    rd2.committedEntries.map((e) => e.index),
    [2],
  );
  t.deepEqual(rd2.entries, []);
  t.false(rd2.mustSync, "a commit index change alone needs no fsync");
  storage.setHardState(rd2.hardState!);
  rn.advance();
  t.false(rn.hasReady());
  t.is(rn.status().applied, 2);
});

test("Ready: ready() twice without advance(), or advance() without ready(), is an invariant error", (t) => {
  const { rn } = newNode(1, [1]);
  rn.campaign();
  rn.ready();
  t.throws(() => rn.ready(), invariant);
  rn.advance();
  t.throws(() => rn.advance(), invariant);
});

test("Ready: a follower's acknowledgment travels in the same Ready as the entries it acknowledges (persist first)", (t) => {
  const { rn } = newNode(2, [1, 2, 3]);
  rn.step(msg(MessageType.App, 1, 2, 2, { index: 1, logTerm: 1, entries: entries(2, 3, 2), commit: 3 }));
  const rd = rn.ready();
  t.deepEqual(
    rd.entries.map((e) => e.index),
    [2, 3],
  );
  t.true(rd.mustSync);
  t.deepEqual(
    rd.messages.map((m) => [m.type, m.to, m.index, m.reject]),
    [[MessageType.AppResp, 1, 3, false]],
  );
  t.deepEqual(rd.hardState, { term: 2, vote: 0, commit: 3 });
  t.deepEqual(rd.committedEntries, [], "committed but not yet persisted: not applied in this Ready");
});

test("Ready: committed entries are handed out once persisted, in order, exactly once", (t) => {
  const { rn, storage } = newNode(2, [1, 2, 3]);
  rn.step(msg(MessageType.App, 1, 2, 2, { index: 1, logTerm: 1, entries: entries(2, 4, 2), commit: 4 }));
  handleReady(rn, storage);
  const rd = handleReady(rn, storage);
  t.deepEqual(
    rd.committedEntries.map((e) => e.index),
    [2, 3, 4],
  );
  t.false(rn.hasReady());
  rn.step(msg(MessageType.Heartbeat, 1, 2, 2, { commit: 4 }));
  const rd3 = handleReady(rn, storage);
  t.deepEqual(rd3.committedEntries, []);
});

test("Ready: a granted vote makes mustSync true (term and vote must be durable before the answer leaves)", (t) => {
  const { rn } = newNode(2, [1, 2, 3], { checkQuorum: false, preVote: false });
  rn.step(msg(MessageType.Vote, 1, 2, 2, { index: 1, logTerm: 1 }));
  const rd = rn.ready();
  t.deepEqual(rd.hardState, { term: 2, vote: 1, commit: 1 });
  t.true(rd.mustSync);
  t.deepEqual(
    rd.messages.map((m) => [m.type, m.reject]),
    [[MessageType.VoteResp, false]],
  );
});

test("status(): progress is reported on the leader only", (t) => {
  const c = newCluster(3);
  c.elect(1);
  const st = c.node(1).rn.status();
  t.is(st.softState.state, StateType.Leader);
  t.deepEqual([...(st.progress?.keys() ?? [])].sort(), [1, 2, 3]);
  t.is(st.progress?.get(2)?.match, st.hardState.commit);
  t.is(c.node(2).rn.status().progress, undefined);
  t.deepEqual(c.node(2).rn.status().confState, { voters: [1, 2, 3], learners: [] });
});

for (const type of LOCAL_MESSAGE_TYPES) {
  test(`step() refuses the local-only message type ${type} with RAFT_STEP_REFUSED`, (t) => {
    const c = newCluster(3);
    c.elect(1);
    for (const id of [1, 2]) {
      t.throws(() => c.node(id).rn.step(msg(type, 3, id, c.node(id).rn.raft.term)), refused);
    }
    t.is(c.node(1).rn.raft.state, StateType.Leader);
  });
}

const malformed: [string, () => unknown][] = [
  ["null", () => null],
  ["a number", () => 42],
  ["an unknown type", () => msg("Bogus" as MessageType, 1, 2, 2)],
  ["a negative term", () => msg(MessageType.Heartbeat, 1, 2, -1)],
  ["a fractional index", () => msg(MessageType.App, 1, 2, 2, { index: 1.5 })],
  ["a NaN commit", () => msg(MessageType.Heartbeat, 1, 2, 2, { commit: Number.NaN })],
  ["a string logTerm", () => msg(MessageType.Vote, 1, 2, 3, { logTerm: "1" as unknown as number })],
  ["from 0", () => msg(MessageType.Heartbeat, 0, 2, 2)],
  [
    "entries not an array",
    () => msg(MessageType.App, 1, 2, 2, { entries: "x" as unknown as Message["entries"] }),
  ],
  [
    "entry data not bytes",
    () =>
      msg(MessageType.Prop, 1, 2, 0, {
        entries: [{ term: 0, index: 0, type: EntryType.Normal, data: "x" as unknown as Uint8Array }],
      }),
  ],
  [
    "an unknown entry type",
    () =>
      msg(MessageType.Prop, 1, 2, 0, {
        entries: [{ term: 0, index: 0, type: "weird" as EntryType, data: enc("x") }],
      }),
  ],
  [
    "non-contiguous App entries",
    () => msg(MessageType.App, 1, 2, 2, { index: 1, entries: [entries(3, 3, 2)[0]!] }),
  ],
  [
    "an App entry above the message term",
    () => msg(MessageType.App, 1, 2, 2, { index: 1, entries: entries(2, 2, 3) }),
  ],
  ["a proposal without entries", () => msg(MessageType.Prop, 1, 2, 0)],
  ["a Snap without snapshot", () => msg(MessageType.Snap, 1, 2, 2)],
  [
    "a Snap with a malformed snapshot",
    () =>
      msg(MessageType.Snap, 1, 2, 2, {
        snapshot: {
          metadata: { index: -3, term: 2, confState: { voters: [], learners: [] } },
          data: enc(""),
        },
      }),
  ],
  [
    "a context that is not bytes",
    () => msg(MessageType.ReadIndex, 1, 2, 0, { context: "c" as unknown as Uint8Array }),
  ],
];

for (const [what, make] of malformed) {
  test(`step() refuses a malformed message (${what}) with RAFT_STEP_REFUSED and changes nothing`, (t) => {
    const c = newCluster(3);
    c.elect(1);
    const n2 = c.node(2);
    const before = n2.rn.status();
    t.throws(() => n2.rn.step(make() as Message), refused);
    t.deepEqual(n2.rn.status(), before);
    t.false(n2.rn.hasReady());
  });
}

test("step() refuses a response from a node that is not a member while leader", (t) => {
  const c = newCluster(3);
  c.elect(1);
  t.throws(
    () => c.node(1).rn.step(msg(MessageType.AppResp, 9, 1, c.node(1).rn.raft.term, { index: 3 })),
    refused,
  );
});

// Regression (a bug fixed in rawnode.ts validateNetworkMessage + raft.ts step): a network message with term 0 is treated
// as local and skips every term check, yet only Prop and ReadIndex legitimately travel without a
// term. A term-0 Heartbeat makes a follower adopt its sender (even another follower) as leader and
// commit up to its `commit`; a term-0 App appends and commits an entry of term 0.
// Reproduction: newCluster(3); elect(1); cut 2->1 and 3->1; propose "u" on 1 and stabilize (index
// 3 reaches every node but is committed nowhere); then node 2 steps { type: Heartbeat, from: 3,
// to: 2, term: 0, commit: 3 }: it is accepted, node 2's lead becomes 3 and its commit index 3.
test("step() refuses a Heartbeat or App with term 0 (only Prop and ReadIndex travel without a term)", (t) => {
  const c = newCluster(3);
  c.elect(1);
  c.cut.add("2->1");
  c.cut.add("3->1");
  proposeAndSettle(c, 1, "u");
  const n2 = c.node(2).rn;
  t.is(c.node(1).rn.raft.raftLog.committed, 2, "index 3 is not committed");
  t.is(n2.raft.raftLog.lastIndex(), 3);
  t.throws(() => n2.step(msg(MessageType.Heartbeat, 3, 2, 0, { commit: 3 })), refused);
  t.is(n2.raft.raftLog.committed, 2);
  t.is(n2.raft.lead, 1);
  const evil = { term: 0, index: 4, type: EntryType.Normal, data: enc("evil") };
  t.throws(
    () => n2.step(msg(MessageType.App, 3, 2, 0, { index: 3, logTerm: 2, entries: [evil], commit: 4 })),
    refused,
  );
  t.is(n2.raft.raftLog.lastIndex(), 3);
});

// Regression (a bug fixed in rawnode.ts validateNetworkMessage): the entry loop reads `e.data` without checking that
// each element of `entries` is an object, so an entries array holding null (or undefined) throws a
// TypeError ("Cannot read properties of null (reading 'data')") instead of RaftError(StepRefused).
// Reproduction: any node; step({ ...emptyMessage("Prop", 2, 3, 0), entries: [null] }).
test("step() refuses an entries array holding null with RAFT_STEP_REFUSED, not a TypeError", (t) => {
  const { rn } = newNode(2, [1, 2, 3]);
  const m = { ...emptyMessage(MessageType.Prop, 2, 3, 0), entries: [null] } as unknown as Message;
  t.throws(() => rn.step(m), refused);
});

/** A random value that is never a valid non-negative safe integer. */
function badNumber(rnd: SeededRandom): unknown {
  const choices: unknown[] = [
    -1,
    -7,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    "3",
    null,
    undefined,
    2 ** 60,
    {},
  ];
  return choices[rnd.int(choices.length)];
}

const NETWORK_TYPES = Object.values(MessageType).filter((ty) => !LOCAL_MESSAGE_TYPES.has(ty));
const NUMERIC_FIELDS = [
  "to",
  "from",
  "term",
  "logTerm",
  "index",
  "commit",
  "leaseTick",
  "rejectHint",
] as const;

/**
 * One malformed message: a plausible message of a random network type, then 1-3 corruptions,
 * each of which alone makes it invalid. (Entry elements that are not objects are covered by the
 * test above.)
 */
function garbageMessage(rnd: SeededRandom): unknown {
  const type = NETWORK_TYPES[rnd.int(NETWORK_TYPES.length)]!;
  const term = type === MessageType.Prop || type === MessageType.ReadIndex ? 0 : 1 + rnd.int(5);
  const m: Record<string, unknown> = {
    ...msg(type, 1 + rnd.int(4), 2, term, {
      index: rnd.int(6),
      logTerm: rnd.int(4),
      commit: rnd.int(6),
      entries:
        type === MessageType.Prop ? [{ term: 0, index: 0, type: EntryType.Normal, data: enc("p") }] : [],
    }),
  };
  let whole: { value: unknown } | undefined;
  const corruptions: (() => void)[] = [
    () => {
      const types: unknown[] = ["Nope", "", 7, undefined, "hup", ...LOCAL_MESSAGE_TYPES];
      m.type = types[rnd.int(types.length)];
    },
    () => {
      m[NUMERIC_FIELDS[rnd.int(NUMERIC_FIELDS.length)]!] = badNumber(rnd);
    },
    () => {
      m.from = 0;
    },
    () => {
      m.entries = [null, undefined, "x", 5, {}][rnd.int(5)];
    },
    () => {
      const data = [undefined, "bytes", [1, 2], null, 3][rnd.int(5)];
      m.entries = [{ term: 0, index: 0, type: EntryType.Normal, data }];
    },
    () => {
      m.entries = [{ term: 0, index: 0, type: ["x", 1, undefined][rnd.int(3)], data: enc("d") }];
    },
    () => {
      m.type = MessageType.App;
      m.term = 2;
      m.index = 1;
      m.entries = rnd.int(2) === 0 ? entries(3, 4, 2) : entries(2, 2, 3 + rnd.int(3));
    },
    () => {
      m.type = MessageType.Prop;
      m.entries = [];
    },
    () => {
      m.type = MessageType.Snap;
      m.snapshot = [
        undefined,
        null,
        {},
        { metadata: { index: 0, term: 1, confState: { voters: [1], learners: [] } }, data: enc("") },
        { metadata: { index: 9, term: 1, confState: null }, data: enc("") },
        { metadata: { index: 9, term: 1, confState: { voters: [1], learners: [] } }, data: "x" },
      ][rnd.int(6)];
    },
    () => {
      m.context = ["ctx", 5, [1, 2], null, {}][rnd.int(5)];
    },
    () => {
      whole = { value: [null, undefined, 42, "msg", true][rnd.int(5)] };
    },
  ];
  const n = 1 + rnd.int(3);
  for (let i = 0; i < n; i++) corruptions[rnd.int(corruptions.length)]!();
  return whole !== undefined ? whole.value : m;
}

test("fuzz: 1,000 seeded garbage messages only ever throw RAFT_STEP_REFUSED and never break the node", (t) => {
  const rnd = new SeededRandom(1337);
  for (const target of [1, 2]) {
    const c = newCluster(3);
    c.elect(1);
    proposeAndSettle(c, 1, "before");
    const node = c.node(target);
    const before = node.rn.status();
    for (let i = 0; i < 500; i++) {
      const m = garbageMessage(rnd);
      try {
        node.rn.step(m as Message);
        t.fail(`accepted garbage #${i}: ${JSON.stringify(m)}`);
        return;
      } catch (err) {
        if (!(err instanceof RaftError) || err.code !== RaftErrorCode.StepRefused) {
          t.fail(`garbage #${i} ${JSON.stringify(m)} threw ${String(err)}`);
          return;
        }
      }
    }
    t.deepEqual(node.rn.status(), before, `node ${target} unchanged`);
    // Still a working node: it can be elected and commit.
    if (c.leader()?.id === target) {
      c.node(target).rn.transferLeadership(3);
      c.stabilize();
    }
    c.leader()!.rn.transferLeadership(target);
    c.stabilize();
    t.is(c.leader()?.id, target, `node ${target} was elected`);
    proposeAndSettle(c, target, "after");
    for (const n of c.nodes.values()) t.deepEqual(appliedData(n), ["before", "after"]);
  }
});

test("restart: a node rebuilt from its storage recovers term, vote and commit, and re-applies from `applied`", (t) => {
  const c = newCluster(3);
  c.elect(1);
  for (const v of ["a", "b"]) proposeAndSettle(c, 1, v);
  tickNodes(c, [1, 2, 3], 2);
  const old = c.node(2);
  const hs = old.storage.hardState();
  t.deepEqual(hs, { term: old.rn.raft.term, vote: 1, commit: old.rn.raft.raftLog.committed });

  const fresh = new RawNode({ id: 2, storage: old.storage });
  t.is(fresh.raft.term, hs.term);
  t.is(fresh.raft.vote, 1);
  t.is(fresh.raft.raftLog.committed, hs.commit);
  t.is(fresh.raft.state, StateType.Follower);
  t.is(fresh.raft.lead, 0);
  const rd = fresh.ready();
  t.deepEqual(
    rd.committedEntries.filter((e) => e.data.byteLength > 0).map((e) => new TextDecoder().decode(e.data)),
    ["a", "b"],
    "with applied = 0 every committed entry is handed out again",
  );
  t.is(rd.hardState, undefined, "the recovered hard state is not reported as a change");
  fresh.advance();

  const resumed = new RawNode({ id: 2, storage: old.storage, applied: hs.commit });
  t.false(resumed.hasReady(), "entries up to `applied` are not handed out again");
});

test("restart: a restarted follower rejoins the cluster and catches up", (t) => {
  const c = newCluster(3);
  c.elect(1);
  proposeAndSettle(c, 1, "a");
  const n3 = c.node(3);
  c.isolate(3);
  proposeAndSettle(c, 1, "b");
  // Node 3 crashes and restarts from its storage (its applied state machine survived up to `a`).
  n3.rn = new RawNode({ id: 3, storage: n3.storage, applied: n3.rn.raft.raftLog.applied });
  c.heal();
  tickUntil(c, () => appliedData(n3).length === 2, 30);
  t.deepEqual(appliedData(n3), ["a", "b"]);
  t.is(c.leader()?.id, 1, "the restarted node did not disturb the leader");
});
