// Snapshot chunks from peers are validated at the edge: the header first and only once, the right
// cluster and node, a Snap message, the announced size and CRC-32; nothing bad reaches Raft.
import { crc32 } from "node:zlib";
import { status } from "@grpc/grpc-js";
import test from "ava";
import type { SnapshotChunk, SnapshotHeader } from "./proto.ts";
import { rawClient, wireHeartbeat } from "./raw-client.ts";
import { startNode } from "./test-helpers.ts";

const data = Buffer.from("snapshot data ".repeat(100));

function header(overrides: Partial<SnapshotHeader> = {}): SnapshotChunk {
  return {
    header: {
      clusterId: "test-cluster",
      from: 5,
      to: 2,
      message: wireHeartbeat(2, {
        type: "MESSAGE_TYPE_SNAP",
        snapshot: { index: 10, term: 2, confState: { voters: [2, 5] } },
      }),
      totalBytes: data.length,
      crc32: crc32(data),
      ...overrides,
    },
  };
}

const cases: { name: string; chunks: SnapshotChunk[]; code: status; details: RegExp }[] = [
  {
    name: "data before the header",
    chunks: [{ data }, header()],
    code: status.INVALID_ARGUMENT,
    details: /before the header/,
  },
  {
    name: "two headers",
    chunks: [header(), header()],
    code: status.INVALID_ARGUMENT,
    details: /second header/,
  },
  { name: "no header at all", chunks: [], code: status.INVALID_ARGUMENT, details: /before the header/ },
  {
    name: "another cluster",
    chunks: [header({ clusterId: "x" }), { data }],
    code: status.FAILED_PRECONDITION,
    details: /cluster id mismatch/,
  },
  {
    name: "another node",
    chunks: [header({ to: 3 }), { data }],
    code: status.FAILED_PRECONDITION,
    details: /addressed to node 3/,
  },
  {
    name: "a header holding a heartbeat",
    chunks: [header({ message: wireHeartbeat(2) }), { data }],
    code: status.INVALID_ARGUMENT,
    details: /not Snap/,
  },
  {
    name: "less data than announced",
    chunks: [header(), { data: data.subarray(1) }],
    code: status.DATA_LOSS,
    details: /got \d+ of \d+ bytes/,
  },
  {
    name: "more data than announced",
    chunks: [header(), { data }, { data }],
    code: status.DATA_LOSS,
    details: /more data than/,
  },
  {
    name: "a CRC-32 mismatch",
    chunks: [header({ crc32: (crc32(data) + 1) >>> 0 }), { data }],
    code: status.DATA_LOSS,
    details: /CRC-32/,
  },
];

for (const c of cases) {
  test(`refused: ${c.name}`, async (t) => {
    const b = await startNode(t, 2);
    const out = await rawClient(t, b.address).snapshot(c.chunks);
    t.is(out.code, c.code, out.details);
    t.regex(out.details, c.details);
    t.is(b.received.length, 0);
  });
}

test("a well-formed raw snapshot is delivered", async (t) => {
  const b = await startNode(t, 2);
  const out = await rawClient(t, b.address).snapshot([
    header(),
    { data: data.subarray(0, 600) },
    { data: data.subarray(600) },
  ]);
  t.is(out.code, status.OK, out.details);
  t.is(b.received.length, 1);
  t.true(Buffer.from(b.received[0]!.snapshot!.data).equals(data));
  t.deepEqual(b.received[0]!.snapshot!.metadata.confState, { voters: [2, 5], learners: [] });
});
