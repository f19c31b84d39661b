// The transport's lifecycle: start refuses bad options and busy ports with clear errors; close()
// is graceful, quick and idempotent; calls after it throw; a throwing callback is only logged.
import { createServer } from "node:net";
import test from "ava";
import { PeerTransport, TransportError, TransportErrorCode } from "./index.ts";
import { captureLogger, heartbeat, mesh, startNode, waitFor } from "./test-helpers.ts";

function baseOptions() {
  return {
    nodeId: 1,
    clusterId: "test-cluster",
    listen: { host: "127.0.0.1", port: 0 },
    peers: new Map<number, string>(),
    logger: captureLogger().logger,
    onMessages: () => {},
    onUnreachable: () => {},
    onSnapshotStatus: () => {},
  };
}

test("start refuses invalid options, naming the field", async (t) => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ nodeId: 0 }, /nodeId/],
    [{ clusterId: "" }, /clusterId/],
    [{ listen: { host: "127.0.0.1", port: 70000 } }, /listen\.port/],
    [{ peers: new Map([[2, "no-port"]]) }, /peers\[2\]/],
    [{ peers: new Map([[1, "127.0.0.1:1"]]) }, /this node/],
    [{ maxMessageBytes: 10 }, /maxMessageBytes/],
    [{ reconnectInitialMs: 100, reconnectMaxMs: 50 }, /reconnectMaxMs/],
    [{ tls: { caPem: Buffer.alloc(0), certPem: Buffer.from("x"), keyPem: Buffer.from("x") } }, /tls\.caPem/],
  ];
  for (const [override, re] of cases) {
    const err = await t.throwsAsync(PeerTransport.start({ ...baseOptions(), ...override }), {
      instanceOf: TransportError,
    });
    t.is(err!.code, TransportErrorCode.InvalidOptions);
    t.regex(err!.message, re);
  }
});

test("start on a busy port fails with ListenFailed", async (t) => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  t.teardown(() => busy.close());
  const port = (busy.address() as { port: number }).port;
  const err = await t.throwsAsync(
    PeerTransport.start({ ...baseOptions(), listen: { host: "127.0.0.1", port } }),
    {
      instanceOf: TransportError,
    },
  );
  t.is(err!.code, TransportErrorCode.ListenFailed);
  t.regex(err!.message, /EADDRINUSE/);
});

test("close is graceful, quick and idempotent; calls after it throw Closed", async (t) => {
  const a = await startNode(t, 1);
  const b = await startNode(t, 2);
  const c = await startNode(t, 3);
  mesh(a, b, c);
  a.transport.send([heartbeat(1, 2, 1), heartbeat(1, 3, 1)]);
  await waitFor(() => b.received.length === 1 && c.received.length === 1);
  const started = performance.now();
  const first = a.transport.close();
  t.is(a.transport.close(), first, "the same promise");
  await first;
  await a.transport.closed;
  t.true(performance.now() - started < 1500, "no waiting for the grace period");
  for (const call of [
    () => a.transport.send([heartbeat(1, 2, 2)]),
    () => a.transport.setPeer(2, b.address),
    () => a.transport.removePeer(2),
  ]) {
    const err = t.throws(call, { instanceOf: TransportError });
    t.is(err!.code, TransportErrorCode.Closed);
  }
  a.transport.destroy();
  // The others notice and go on talking to each other.
  await waitFor(() => b.unreachable.includes(1) && c.unreachable.includes(1), 5000, "peers see 1 go");
  b.transport.send([heartbeat(2, 3, 5)]);
  await waitFor(() => c.received.some((m) => m.commit === 5), 5000, "2 -> 3");
});

test("destroy is immediate and idempotent", async (t) => {
  const a = await startNode(t, 1);
  const b = await startNode(t, 2);
  mesh(a, b);
  a.transport.destroy();
  a.transport.destroy();
  await a.transport.closed;
  await a.transport.close();
  t.pass();
});

test("a throwing onMessages is logged and the stream goes on", async (t) => {
  const { logger, lines } = captureLogger();
  let calls = 0;
  const b = await PeerTransport.start({
    ...baseOptions(),
    nodeId: 2,
    logger,
    onMessages: () => {
      calls++;
      throw new Error("boom");
    },
  });
  t.teardown(() => b.destroy());
  const a = await startNode(t, 1);
  a.transport.setPeer(2, `127.0.0.1:${b.port}`);
  a.transport.send([heartbeat(1, 2, 1)]);
  await waitFor(() => calls === 1, 5000, "the first batch delivered");
  a.transport.send([heartbeat(1, 2, 2)]);
  await waitFor(() => calls === 2, 5000, "the next one too");
  t.true(lines.some((l) => l.msg === "onMessages threw; the batch is lost"));
  t.true(a.transport.stats().get(2)!.connected);
});

test("setPeer with the same address is a no-op; a new address restarts the stream; removePeer drops", async (t) => {
  const a = await startNode(t, 1);
  const b1 = await startNode(t, 2);
  const b2 = await startNode(t, 2);
  a.transport.setPeer(2, b1.address);
  a.transport.send([heartbeat(1, 2, 1)]);
  await waitFor(() => b1.received.length === 1);
  a.transport.setPeer(2, b1.address);
  t.true(a.transport.stats().get(2)!.connected, "same address: stream untouched");
  a.transport.setPeer(2, b2.address);
  a.transport.send([heartbeat(1, 2, 2)]);
  await waitFor(() => b2.received.length === 1);
  t.is(b2.received[0]!.commit, 2);
  a.transport.removePeer(2);
  t.false(a.transport.stats().has(2));
  a.transport.send([heartbeat(1, 2, 3)]);
  t.true(a.logs.some((l) => l.msg === "dropped messages to an unknown peer"));
});
