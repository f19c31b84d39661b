// The sender's limits: a send bigger than maxMessageBytes is split into batches that fit, a single
// message too big is dropped and reported, and a peer's queue overflows by dropping, not growing.
import { createServer, type Socket } from "node:net";
import test from "ava";
import { EntryType, emptyMessage, type Message, MessageType } from "../raft/index.ts";
import { heartbeat, mesh, startNode, waitFor } from "./test-helpers.ts";

const KiB = 1024;

function append(from: number, to: number, index: number, bytes: number): Message {
  return {
    ...emptyMessage(MessageType.App, to, from, 1),
    index,
    entries: [{ term: 1, index: index + 1, type: EntryType.Normal, data: new Uint8Array(bytes).fill(index) }],
  };
}

test("a send over maxMessageBytes is split into batches that fit, in order", async (t) => {
  const a = await startNode(t, 1, { maxMessageBytes: 64 * KiB });
  const b = await startNode(t, 2, { maxMessageBytes: 64 * KiB });
  mesh(a, b);
  a.transport.send(Array.from({ length: 10 }, (_, i) => append(1, 2, i, 20 * KiB)));
  await waitFor(() => b.received.length === 10, 5000, "10 appends");
  t.deepEqual(
    b.received.map((m) => m.index),
    Array.from({ length: 10 }, (_, i) => i),
  );
  t.true(a.transport.stats().get(2)!.sentBatches >= 4, "at most three 20 KiB entries per 64 KiB batch");
});

test("one message over maxMessageBytes is dropped, logged and reported", async (t) => {
  const a = await startNode(t, 1, { maxMessageBytes: 64 * KiB });
  const b = await startNode(t, 2);
  mesh(a, b);
  a.transport.send([append(1, 2, 0, 100 * KiB), heartbeat(1, 2, 7)]);
  await waitFor(() => b.received.length === 1, 5000, "the heartbeat");
  t.is(b.received[0]!.commit, 7);
  await waitFor(() => a.unreachable.includes(2), 1000, "onUnreachable");
  t.is(a.transport.stats().get(2)!.droppedMessages, 1);
  t.true(a.logs.some((l) => l.msg === "dropped a message larger than maxMessageBytes"));
});

test("a peer that accepts TCP but never answers: the queue overflows by dropping", async (t) => {
  // A black hole: accepts connections, reads nothing, says nothing.
  const sockets = new Set<Socket>();
  const hole = createServer((s) => sockets.add(s));
  await new Promise<void>((resolve) => hole.listen(0, "127.0.0.1", resolve));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    hole.close();
  });
  const port = (hole.address() as { port: number }).port;
  const a = await startNode(t, 1, { maxQueuedMessages: 10, openTimeoutMs: 60_000 });
  a.transport.setPeer(2, `127.0.0.1:${port}`);
  for (let i = 0; i < 25; i++) a.transport.send([heartbeat(1, 2, i)]);
  const stats = a.transport.stats().get(2)!;
  t.is(stats.queuedMessages, 10);
  t.is(stats.droppedMessages, 15);
  t.false(stats.connected);
  await waitFor(() => a.unreachable.length > 0, 1000, "onUnreachable");
  t.true(a.unreachable.every((p) => p === 2));
});

test("a stream the peer never accepts is given up after openTimeoutMs", async (t) => {
  const sockets = new Set<Socket>();
  const hole = createServer((s) => sockets.add(s));
  await new Promise<void>((resolve) => hole.listen(0, "127.0.0.1", resolve));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    hole.close();
  });
  const port = (hole.address() as { port: number }).port;
  const a = await startNode(t, 1, { openTimeoutMs: 200 });
  a.transport.setPeer(2, `127.0.0.1:${port}`);
  a.transport.send([heartbeat(1, 2, 1)]);
  await waitFor(() => a.unreachable.includes(2), 3000, "onUnreachable after the open timeout");
  t.true(a.logs.some((l) => /openTimeoutMs/.test(String(l.reason))));
  t.is(a.transport.stats().get(2)!.droppedMessages, 1);
});
