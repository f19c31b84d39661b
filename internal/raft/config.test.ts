// resolveConfig: the defaults it fills in, and that every invalid field is refused with
// RAFT_INVALID_CONFIG and named in the message.

import test from "ava";
import { RAFT_DEFAULTS, type RaftConfigInput, ReadOnlyOption, resolveConfig } from "./config.ts";
import { RaftError, RaftErrorCode } from "./errors.ts";
import { RawNode } from "./rawnode.ts";
import { bootstrapStorage, MemoryStorage } from "./storage.ts";

function base(): RaftConfigInput {
  const storage = new MemoryStorage();
  bootstrapStorage(storage, [1]);
  return { id: 1, storage };
}

test("defaults: every RAFT_DEFAULTS value, startupQuietTicks = electionTicks, randomSeed = id", (t) => {
  const c = resolveConfig({ ...base(), id: 7 });
  for (const [k, v] of Object.entries(RAFT_DEFAULTS)) t.deepEqual(c[k as keyof typeof c], v, k);
  t.is(c.startupQuietTicks, RAFT_DEFAULTS.electionTicks);
  t.is(c.randomSeed, 7);
  t.true(c.checkQuorum);
  t.true(c.preVote);
  t.is(c.readOnlyOption, ReadOnlyOption.Safe);
});

test("startupQuietTicks defaults to the configured electionTicks, and an explicit value wins", (t) => {
  t.is(resolveConfig({ ...base(), electionTicks: 30 }).startupQuietTicks, 30);
  t.is(resolveConfig({ ...base(), electionTicks: 30, startupQuietTicks: 0 }).startupQuietTicks, 0);
});

test("given values override the defaults", (t) => {
  const c = resolveConfig({
    ...base(),
    electionTicks: 20,
    heartbeatTicks: 3,
    maxInflightMsgs: 8,
    preVote: false,
  });
  t.is(c.electionTicks, 20);
  t.is(c.heartbeatTicks, 3);
  t.is(c.maxInflightMsgs, 8);
  t.false(c.preVote);
});

const invalid: [string, Partial<RaftConfigInput>][] = [
  ["id", { id: 0 }],
  ["id", { id: 1.5 }],
  ["electionTicks", { electionTicks: 0 }],
  ["heartbeatTicks", { heartbeatTicks: -1 }],
  ["heartbeatTicks", { heartbeatTicks: 10, electionTicks: 10 }],
  ["maxSizePerMsgBytes", { maxSizePerMsgBytes: 0 }],
  ["maxCommittedSizePerReadyBytes", { maxCommittedSizePerReadyBytes: Number.NaN }],
  ["maxInflightMsgs", { maxInflightMsgs: 0 }],
  ["applied", { applied: -1 }],
  ["maxUncommittedEntriesBytes", { maxUncommittedEntriesBytes: -5 }],
  ["leaseMarginTicks", { leaseMarginTicks: 10 }],
  ["leaseMarginTicks", { leaseMarginTicks: -1 }],
  ["readOnlyOption", { readOnlyOption: "fast" as ReadOnlyOption }],
  ["readOnlyOption", { readOnlyOption: ReadOnlyOption.LeaseBased, checkQuorum: false }],
  ["startupQuietTicks", { startupQuietTicks: -1 }],
  ["randomSeed", { randomSeed: 0.5 }],
  ["storage", { storage: undefined as unknown as MemoryStorage }],
];

const show = (patch: object): string =>
  Object.entries(patch)
    .map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : String(v)}`)
    .join(", ");

for (const [field, patch] of invalid) {
  test(`an invalid ${field} (${show(patch)}) is refused with RAFT_INVALID_CONFIG naming ${field}`, (t) => {
    const err = t.throws(() => resolveConfig({ ...base(), ...patch }), {
      instanceOf: RaftError,
      code: RaftErrorCode.InvalidConfig,
    });
    t.true(err?.message.includes(field), err?.message);
  });
}

test("RawNode validates its configuration before starting", (t) => {
  t.throws(() => new RawNode({ ...base(), electionTicks: 0 }), {
    instanceOf: RaftError,
    code: RaftErrorCode.InvalidConfig,
  });
});

// Regression (a bug fixed in config.ts resolveConfig): `{ ...RAFT_DEFAULTS, ...input }` lets an optional field that is
// present but undefined overwrite its default. RaftConfigInput allows it (exactOptionalPropertyTypes
// is off), so `{ id, storage, logger: opts.logger }` type-checks, then `new RawNode` crashes with a
// TypeError in the Raft constructor (this.log.info on undefined); `electionTicks: undefined` is
// refused instead of defaulted. Fix: drop undefined-valued keys from `input` before spreading.
test("an optional field passed as undefined takes its default", (t) => {
  const c = resolveConfig({
    ...base(),
    electionTicks: undefined,
    logger: undefined,
    unsafeTestingFaults: undefined,
  });
  t.is(c.electionTicks, RAFT_DEFAULTS.electionTicks);
  t.is(c.logger, RAFT_DEFAULTS.logger);
  t.deepEqual(c.unsafeTestingFaults, {});
});
