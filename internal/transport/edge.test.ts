// Batches from peers are validated at the edge: a wrong cluster, a misaddressed batch, unknown
// types, out-of-range numbers and oversize batches are refused with a clear status, and the
// server goes on serving well-formed peers.
import { Client, credentials, Metadata, status } from "@grpc/grpc-js";
import test from "ava";
import { raftTransportService } from "./proto.ts";
import { batch, rawClient, wireHeartbeat } from "./raw-client.ts";
import { heartbeat, startNode, WARN, waitFor } from "./test-helpers.ts";

/** -1 as a uint64 on the wire. */
const MINUS_ONE = "18446744073709551615";

test("a batch with another cluster id is refused and logged with the peer", async (t) => {
  const b = await startNode(t, 2);
  const raw = rawClient(t, b.address);
  const out = await raw.stream([batch(2, [wireHeartbeat(2)], { clusterId: "other-cluster" })]);
  t.is(out.code, status.FAILED_PRECONDITION);
  t.regex(out.details, /cluster id mismatch/);
  t.is(b.received.length, 0);
  const warn = b.logs.find((l) => l.level === WARN && /refused a batch/.test(l.msg));
  t.truthy(warn);
  t.is(warn!.peer, 5);
  t.regex(String(warn!.msg), /peer 5/);
});

test("a peer transport of another cluster is refused, logged on both sides, and backs off", async (t) => {
  const b = await startNode(t, 2);
  const a = await startNode(t, 1, { clusterId: "other-cluster" });
  a.transport.setPeer(2, b.address);
  a.transport.send([heartbeat(1, 2, 1)]);
  await waitFor(() => a.unreachable.includes(2), 5000, "onUnreachable");
  const sender = a.logs.find((l) => l.level === WARN && l.msg === "stream to peer failed");
  t.regex(String(sender?.reason), /FAILED_PRECONDITION: .*cluster id mismatch/);
  t.true(b.logs.some((l) => l.level === WARN && l.peer === 1 && /refused a batch from peer 1/.test(l.msg)));
  t.is(b.received.length, 0);
  // Keep sending for a second: the refusals must back off, not spin.
  for (let i = 0; i < 20; i++) {
    a.transport.send([heartbeat(1, 2, i)]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.true(
    a.transport.stats().get(2)!.reconnects <= 8,
    `${a.transport.stats().get(2)!.reconnects} attempts in 1 s`,
  );
  t.is(a.logs.filter((l) => l.level === WARN && l.msg === "stream to peer failed").length, 1, "warned once");
  t.is(b.received.length, 0);
});

const refusals: { name: string; batch: ReturnType<typeof batch>; code: status; details: RegExp }[] = [
  {
    name: "a batch for another node",
    batch: batch(9, [wireHeartbeat(9)]),
    code: status.FAILED_PRECONDITION,
    details: /addressed to node 9/,
  },
  {
    name: "an unknown message type",
    batch: batch(2, [wireHeartbeat(2, { type: 99 as never })]),
    code: status.INVALID_ARGUMENT,
    details: /type 99 is unknown/,
  },
  {
    name: "an unspecified message type",
    batch: batch(2, [wireHeartbeat(2, { type: "MESSAGE_TYPE_UNSPECIFIED" })]),
    code: status.INVALID_ARGUMENT,
    details: /unknown/,
  },
  {
    name: "a negative term",
    batch: batch(2, [wireHeartbeat(2, { term: MINUS_ONE })]),
    code: status.INVALID_ARGUMENT,
    details: /term must be a non-negative integer/,
  },
  {
    name: "a negative entry index",
    batch: batch(2, [
      wireHeartbeat(2, {
        type: "MESSAGE_TYPE_APP",
        entries: [{ term: 1, index: MINUS_ONE, type: "ENTRY_TYPE_NORMAL" }],
      }),
    ]),
    code: status.INVALID_ARGUMENT,
    details: /entries\[0\]\.index/,
  },
  {
    name: "an unknown entry type",
    batch: batch(2, [
      wireHeartbeat(2, { type: "MESSAGE_TYPE_APP", entries: [{ term: 1, index: 1, type: 7 as never }] }),
    ]),
    code: status.INVALID_ARGUMENT,
    details: /entries\[0\]\.type 7 is unknown/,
  },
  {
    name: "a Snap message on the stream",
    batch: batch(2, [
      wireHeartbeat(2, { type: "MESSAGE_TYPE_SNAP", snapshot: { index: 1, term: 1, confState: {} } }),
    ]),
    code: status.INVALID_ARGUMENT,
    details: /SendSnapshot only/,
  },
  {
    name: "a message not from the batch's sender",
    batch: batch(2, [wireHeartbeat(2, { from: 7 })]),
    code: status.INVALID_ARGUMENT,
    details: /from is 7/,
  },
  {
    name: "a batch from node 0",
    batch: batch(2, [wireHeartbeat(2, { from: 0 })], { from: 0 }),
    code: status.INVALID_ARGUMENT,
    details: /from must name a node/,
  },
];

for (const r of refusals) {
  test(`refused: ${r.name}`, async (t) => {
    const b = await startNode(t, 2);
    const raw = rawClient(t, b.address);
    const out = await raw.stream([batch(2, [wireHeartbeat(2, { commit: 1 })]), r.batch]);
    t.is(out.code, r.code, out.details);
    t.regex(out.details, r.details);
    t.is(b.received.length, 1, "the good batch before it was delivered, the bad one not");
    t.true(b.logs.some((l) => l.level === WARN && /refused a batch/.test(l.msg)));
    // Still serving.
    const again = await rawClient(t, b.address).stream([batch(2, [wireHeartbeat(2, { commit: 2 })])]);
    t.is(again.code, status.OK);
    t.is(b.received.length, 2);
  });
}

test("a batch over maxMessageBytes is refused by the gRPC limit", async (t) => {
  const b = await startNode(t, 2, { maxMessageBytes: 64 * 1024 });
  const raw = rawClient(t, b.address);
  const big = wireHeartbeat(2, {
    type: "MESSAGE_TYPE_APP",
    entries: [{ term: 1, index: 1, type: "ENTRY_TYPE_NORMAL", data: Buffer.alloc(100 * 1024) }],
  });
  const out = await raw.stream([batch(2, [big])]);
  t.is(out.code, status.RESOURCE_EXHAUSTED, out.details);
  t.true(
    b.logs.some((l) => /maxMessageBytes/.test(l.msg)),
    "the cut stream is logged",
  );
  t.is(b.received.length, 0);
  const again = await rawClient(t, b.address).stream([batch(2, [wireHeartbeat(2)])]);
  t.is(again.code, status.OK);
  t.is(b.received.length, 1);
});

test("bytes that are not a MessageBatch are refused and the server goes on", async (t) => {
  const b = await startNode(t, 2);
  const client = new Client(b.address, credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 });
  t.teardown(() => client.close());
  const code = await new Promise<status>((resolve) => {
    const call = client.makeClientStreamRequest(
      raftTransportService.Stream.path,
      (b: Buffer) => b,
      raftTransportService.Stream.responseDeserialize,
      new Metadata(),
      {},
      (err) => resolve(err ? err.code : status.OK),
    );
    call.on("error", () => {});
    // Field 1 with wire type 7, which does not exist.
    call.write(Buffer.from([0x0f, 0x01, 0x02]));
    call.end();
  });
  t.not(code, status.OK);
  t.is(b.received.length, 0);
  const again = await rawClient(t, b.address).stream([batch(2, [wireHeartbeat(2)])]);
  t.is(again.code, status.OK);
});
