// The codec both ways: what our Raft may send (anything else is a bug and throws before any
// byte leaves), and that a message survives encode, protobuf, decode unchanged.
import test from "ava";
import { EntryType, emptyMessage, type Message, MessageType } from "../raft/index.ts";
import { decodeBatch, encodeMessage } from "./codec.ts";
import { TransportError, TransportErrorCode } from "./errors.ts";
import { raftTransportService } from "./proto.ts";

const self = 1;

function roundTrip(m: Message): Message {
  const bytes = raftTransportService.Stream.requestSerialize({
    clusterId: "c",
    from: m.from,
    to: m.to,
    messages: [encodeMessage(m, m.from)],
  });
  return decodeBatch(raftTransportService.Stream.requestDeserialize(bytes), { nodeId: m.to, clusterId: "c" })
    .msgs[0]!;
}

test("messages survive the round trip", (t) => {
  const msgs: Message[] = [
    {
      ...emptyMessage(MessageType.Vote, 2, 1, 9),
      logTerm: 8,
      index: 77,
      context: new TextEncoder().encode("transfer"),
    },
    {
      ...emptyMessage(MessageType.ReadIndexResp, 2, 1, 9),
      index: Number.MAX_SAFE_INTEGER,
      context: new Uint8Array([1]),
    },
    {
      ...emptyMessage(MessageType.App, 2, 1, 3),
      entries: [{ term: 3, index: 5, type: EntryType.ConfChange, data: new Uint8Array([4, 2]) }],
    },
  ];
  for (const m of msgs) {
    const got = roundTrip(m);
    t.deepEqual(
      {
        ...got,
        entries: got.entries.map((e) => ({ ...e, data: [...e.data] })),
        context: got.context && [...got.context],
      },
      {
        ...m,
        entries: m.entries.map((e) => ({ ...e, data: [...e.data] })),
        context: m.context && [...m.context],
      },
    );
  }
});

test("messages that must not leave the node throw InvalidMessage", (t) => {
  const cases: [Message, RegExp][] = [
    [emptyMessage(MessageType.Hup, 2, 1, 1), /never leaves a node/],
    [emptyMessage(MessageType.Heartbeat, 1, 1, 1), /itself/],
    [emptyMessage(MessageType.Heartbeat, 2, 3, 1), /from must be this node/],
    [emptyMessage(MessageType.Heartbeat, 0, 1, 1), /to must name a node/],
    [{ ...emptyMessage(MessageType.Heartbeat, 2, 1, 1), term: -1 }, /term must be a non-negative integer/],
    [{ ...emptyMessage(MessageType.Heartbeat, 2, 1, 1), commit: 1.5 }, /commit/],
    [{ ...emptyMessage(MessageType.App, 2, 1, 1), index: 2 ** 53 }, /index/],
    [emptyMessage(MessageType.Snap, 2, 1, 1), /without a snapshot/],
    [
      {
        ...emptyMessage(MessageType.App, 2, 1, 1),
        entries: [{ term: 1, index: 1, type: "bogus" as EntryType, data: new Uint8Array(0) }],
      },
      /entries\[0\]\.type/,
    ],
  ];
  for (const [m, re] of cases) {
    const err = t.throws(() => encodeMessage(m, self), { instanceOf: TransportError });
    t.is(err!.code, TransportErrorCode.InvalidMessage);
    t.regex(err!.message, re);
  }
  // TransferLeader names the transferee in `from`, so any node id is fine there.
  t.notThrows(() => encodeMessage(emptyMessage(MessageType.TransferLeader, 2, 3, 0), self));
});
