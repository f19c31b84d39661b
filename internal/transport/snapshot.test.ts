// Snapshots travel through SendSnapshot in chunks: reassembled intact into one Snap message, or
// refused over the receiver's size limit; the sender hears the outcome exactly once either way.
import { randomBytes } from "node:crypto";
import test from "ava";
import { emptyMessage, type Message, MessageType } from "../raft/index.ts";
import { mesh, startNode, WARN, waitFor } from "./test-helpers.ts";

const MiB = 1024 * 1024;

function snap(from: number, to: number, data: Uint8Array): Message {
  return {
    ...emptyMessage(MessageType.Snap, to, from, 3),
    snapshot: { metadata: { index: 100, term: 3, confState: { voters: [1, 2, 3], learners: [4] } }, data },
  };
}

test("a 5 MiB snapshot arrives intact in chunks and is reported ok", async (t) => {
  const a = await startNode(t, 1);
  const b = await startNode(t, 2);
  mesh(a, b);
  const data = randomBytes(5 * MiB);
  a.transport.send([snap(1, 2, data)]);
  await waitFor(() => a.snapshotStatus.length === 1, 10_000, "snapshot status");
  t.deepEqual(a.snapshotStatus, [{ peer: 2, ok: true }]);
  t.is(b.received.length, 1, "one Snap message");
  const got = b.received[0]!;
  t.is(got.type, MessageType.Snap);
  t.deepEqual(got.snapshot!.metadata, {
    index: 100,
    term: 3,
    confState: { voters: [1, 2, 3], learners: [4] },
  });
  t.true(Buffer.from(got.snapshot!.data).equals(data));
  t.is(a.transport.stats().get(2)!.snapshotsSent, 1);
  t.is(b.logs.find((l) => l.msg === "snapshot received")?.chunks, 5, "1 MiB chunks");
});

test("a snapshot over the receiver's maxSnapshotBytes is refused and reported failed", async (t) => {
  const a = await startNode(t, 1);
  const b = await startNode(t, 2, { maxSnapshotBytes: 1 * MiB });
  mesh(a, b);
  a.transport.send([snap(1, 2, randomBytes(3 * MiB))]);
  await waitFor(() => a.snapshotStatus.length === 1, 10_000, "snapshot status");
  t.deepEqual(a.snapshotStatus, [{ peer: 2, ok: false }]);
  t.is(b.received.length, 0);
  t.true(b.logs.some((l) => l.level === WARN && /maxSnapshotBytes/.test(String(l.reason))));
  // The message stream is unaffected.
  a.transport.send([{ ...emptyMessage(MessageType.Heartbeat, 2, 1, 3) }]);
  await waitFor(() => b.received.length === 1, 5000, "heartbeat after the refusal");
});

test("a snapshot to an unreachable or unknown peer is reported failed", async (t) => {
  const a = await startNode(t, 1);
  const gone = await startNode(t, 2);
  const address = gone.address;
  await gone.transport.close();
  a.transport.setPeer(2, address);
  a.transport.send([snap(1, 2, randomBytes(1000)), snap(1, 9, randomBytes(10))]);
  await waitFor(() => a.snapshotStatus.length === 2, 10_000, "two statuses");
  t.deepEqual(
    [...a.snapshotStatus].sort((x, y) => x.peer - y.peer),
    [
      { peer: 2, ok: false },
      { peer: 9, ok: false },
    ],
  );
});

test("an empty snapshot arrives too", async (t) => {
  const a = await startNode(t, 1);
  const b = await startNode(t, 2);
  mesh(a, b);
  a.transport.send([snap(1, 2, new Uint8Array(0))]);
  await waitFor(() => a.snapshotStatus.length === 1, 5000, "status");
  t.deepEqual(a.snapshotStatus, [{ peer: 2, ok: true }]);
  t.is(b.received[0]!.snapshot!.data.length, 0);
});
