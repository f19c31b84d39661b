// A stream that breaks is reported unreachable once and reopened with backoff; messages sent
// while the peer is away are dropped, and flow again once it is back on the same port.
import test from "ava";
import { heartbeat, mesh, startNode, WARN, waitFor } from "./test-helpers.ts";

test("reconnects after the peer transport restarts on the same port", async (t) => {
  const a = await startNode(t, 1);
  const b1 = await startNode(t, 2);
  mesh(a, b1);
  a.transport.send([heartbeat(1, 2, 1)]);
  await waitFor(() => b1.received.length === 1, 5000, "first message");

  const port = b1.transport.port;
  await b1.transport.close();
  await waitFor(() => a.unreachable.includes(2), 5000, "onUnreachable(2)");
  t.false(a.transport.stats().get(2)!.connected);
  a.transport.send([heartbeat(1, 2, 2)]);
  t.true(a.transport.stats().get(2)!.droppedMessages >= 1, "dropped while the peer is away");

  const b2 = await startNode(t, 2, { listen: { host: "127.0.0.1", port } });
  await waitFor(() => a.transport.stats().get(2)!.connected, 5000, "reconnected");
  a.transport.send([heartbeat(1, 2, 3)]);
  await waitFor(() => b2.received.length === 1, 5000, "message after restart");
  t.is(b2.received[0]!.commit, 3);
  const stats = a.transport.stats().get(2)!;
  t.true(stats.reconnects >= 1);
  t.is(stats.sentMessages >= 2, true);
});

test("a peer that never answers is reported once per failed attempt, with backoff", async (t) => {
  const a = await startNode(t, 1, { reconnectInitialMs: 20, reconnectMaxMs: 100 });
  // A port nobody listens on: reserve one, then free it.
  const b = await startNode(t, 2);
  const address = b.address;
  await b.transport.close();
  a.transport.setPeer(2, address);
  await waitFor(() => a.unreachable.length >= 3, 5000, "three failures");
  const stats = a.transport.stats().get(2)!;
  t.false(stats.connected);
  t.true(stats.reconnects >= 2);
  // One report per failure: never more reports than attempts.
  t.true(a.unreachable.length <= stats.reconnects + 1);
  // One warning for the outage, not one per attempt.
  t.is(a.logs.filter((l) => l.level === WARN && l.msg === "stream to peer failed").length, 1);
});
