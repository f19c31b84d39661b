// Two and three transports on loopback exchange batches, each peer's messages in send order.
import test from "ava";
import { EntryType, emptyMessage, type Message, MessageType } from "../raft/index.ts";
import { heartbeat, mesh, startNode, waitFor } from "./test-helpers.ts";

test("two transports exchange batches in order", async (t) => {
  const a = await startNode(t, 1);
  const b = await startNode(t, 2);
  mesh(a, b);
  for (let seq = 0; seq < 100; seq++) {
    a.transport.send([heartbeat(1, 2, seq * 2), heartbeat(1, 2, seq * 2 + 1)]);
    b.transport.send([heartbeat(2, 1, seq)]);
  }
  await waitFor(() => b.received.length === 200 && a.received.length === 100, 5000, "all messages");
  t.deepEqual(
    b.received.map((m) => m.commit),
    Array.from({ length: 200 }, (_, i) => i),
  );
  t.deepEqual(
    a.received.map((m) => m.commit),
    Array.from({ length: 100 }, (_, i) => i),
  );
  t.true(a.transport.stats().get(2)!.connected);
});

test("every field of a message survives the trip", async (t) => {
  const a = await startNode(t, 1);
  const b = await startNode(t, 2);
  mesh(a, b);
  const app: Message = {
    ...emptyMessage(MessageType.App, 2, 1, 7),
    logTerm: 6,
    index: 41,
    commit: 40,
    leaseTick: 12345,
    entries: [
      { term: 7, index: 42, type: EntryType.Normal, data: new Uint8Array([1, 2, 3]) },
      { term: 7, index: 43, type: EntryType.ConfChange, data: new Uint8Array([9]) },
      { term: 7, index: 44, type: EntryType.Normal, data: new Uint8Array(0) },
    ],
  };
  const resp: Message = {
    ...emptyMessage(MessageType.AppResp, 2, 1, 7),
    reject: true,
    rejectHint: 17,
    index: 2 ** 40,
  };
  const read: Message = { ...emptyMessage(MessageType.ReadIndex, 2, 1, 0), context: new Uint8Array(0) };
  const transfer: Message = emptyMessage(MessageType.TransferLeader, 2, 3, 0);
  a.transport.send([app, resp, read, transfer]);
  await waitFor(() => b.received.length === 4);
  const [gotApp, gotResp, gotRead, gotTransfer] = b.received;
  t.deepEqual(
    { ...gotApp, entries: gotApp!.entries.map((e) => ({ ...e, data: [...e.data] })) },
    { ...app, entries: app.entries.map((e) => ({ ...e, data: [...e.data] })) },
  );
  t.deepEqual(gotResp, resp);
  t.is(gotRead!.context?.length, 0, "an empty context stays present");
  t.is(gotResp!.context, undefined, "an absent context stays absent");
  t.deepEqual(gotTransfer, transfer);
});

test("three transports: each node hears each other in order", async (t) => {
  const nodes = [await startNode(t, 1), await startNode(t, 2), await startNode(t, 3)];
  mesh(...nodes);
  for (let seq = 0; seq < 50; seq++)
    for (const [i, n] of nodes.entries()) {
      const from = i + 1;
      n.transport.send([1, 2, 3].filter((to) => to !== from).map((to) => heartbeat(from, to, seq)));
    }
  await waitFor(() => nodes.every((n) => n.received.length === 100), 5000, "100 messages at each node");
  for (const [i, n] of nodes.entries()) {
    for (const from of [1, 2, 3].filter((id) => id !== i + 1)) {
      const seqs = n.received.filter((m) => m.from === from).map((m) => m.commit);
      t.deepEqual(
        seqs,
        Array.from({ length: 50 }, (_, k) => k),
        `node ${i + 1} from ${from}`,
      );
    }
  }
});
