// Tests for the simulator's key-value state machine and its command and snapshot encodings.

import test from "ava";
import { decodeCommand, decodeRequestId, encodeCommand, encodeRequestId, KvStore, requestId } from "./kv.ts";

test("a command round-trips through its encoding", (t) => {
  const c = { clientId: 3, seq: 17, key: "k2", value: "c3.17" };
  t.deepEqual(decodeCommand(encodeCommand(c)), c);
});

test("a malformed command is refused", (t) => {
  t.throws(() => decodeCommand(new TextEncoder().encode("not a command")), { message: /malformed/ });
  t.throws(() => decodeCommand(new TextEncoder().encode("x\t1\tk\tv")), { message: /malformed/ });
});

test("request ids round-trip as ReadIndex contexts", (t) => {
  const id = requestId(2, 9);
  t.is(id, "2:9");
  t.is(decodeRequestId(encodeRequestId(id)), id);
});

test("a store restores from its snapshot, and equal stores have equal digests", (t) => {
  const a = new KvStore();
  a.put("b", "2");
  a.put("a", "1");
  a.put("b", "3");
  const b = KvStore.restore(a.snapshot());
  t.is(b.get("a"), "1");
  t.is(b.get("b"), "3");
  t.is(b.get("c"), undefined);
  t.is(b.digest(), a.digest());
  const c = new KvStore();
  c.put("a", "1");
  c.put("b", "3");
  t.is(c.digest(), a.digest(), "insertion order does not matter");
  c.put("a", "x");
  t.not(c.digest(), a.digest());
});

test("an empty snapshot (the bootstrap one) restores an empty store", (t) => {
  t.is(KvStore.restore(new Uint8Array(0)).size, 0);
  t.throws(() => KvStore.restore(new TextEncoder().encode('{"a":1}')), { message: /malformed/ });
});
