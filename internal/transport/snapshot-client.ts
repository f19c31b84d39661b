// Sends one snapshot through RaftTransport.SendSnapshot on its own connection: the header chunk
// (the Snap message with its metadata), then the data in chunks, honouring backpressure.
import { crc32 } from "node:zlib";
import { type Client, Metadata, type ServiceError } from "@grpc/grpc-js";
import type { NodeId } from "../raft/index.ts";
import type { RaftMessage, SnapshotChunk, SnapshotResult__Output } from "./proto.ts";
import { raftTransportService as service } from "./proto.ts";

const CRC_SLICE_BYTES = 4 * 1024 * 1024;

export interface SnapshotSendParams {
  client: Client;
  clusterId: string;
  from: NodeId;
  to: NodeId;
  /** The Snap message as protobuf, metadata included, data excluded. */
  header: RaftMessage;
  data: Uint8Array;
  chunkBytes: number;
  deadlineMs: number;
}

export interface OutboundSnapshot {
  /** Resolves with the bytes the peer acknowledged; rejects with the gRPC error. */
  result: Promise<number>;
  cancel(): void;
}

export function sendSnapshot(p: SnapshotSendParams): OutboundSnapshot {
  let settled = false;
  let wake: () => void = () => {};
  let resolveResult: (n: number) => void = () => {};
  let rejectResult: (err: Error) => void = () => {};
  const result = new Promise<number>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  const method = service.SendSnapshot;
  const call = p.client.makeClientStreamRequest<SnapshotChunk, SnapshotResult__Output>(
    method.path,
    method.requestSerialize,
    method.responseDeserialize,
    new Metadata(),
    { deadline: Date.now() + p.deadlineMs },
    (err: ServiceError | null, res?: SnapshotResult__Output) => {
      settled = true;
      wake();
      if (err || !res) rejectResult(err ?? new Error("no SnapshotResult"));
      else resolveResult(res.receivedBytes);
    },
  );
  // Failures arrive through the callback above.
  call.on("error", () => {});
  call.on("drain", () => wake());
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
    });

  const pump = async (): Promise<void> => {
    // The CRC in slices, yielding between them: a 1 GiB snapshot must not stall the event loop
    // (and the heartbeats) for half a second.
    let crc = 0;
    for (let off = 0; off < p.data.length; off += CRC_SLICE_BYTES) {
      crc = crc32(p.data.subarray(off, off + CRC_SLICE_BYTES), crc);
      if (off + CRC_SLICE_BYTES < p.data.length) await new Promise((resolve) => setImmediate(resolve));
      if (settled) return;
    }
    const header: SnapshotChunk = {
      header: {
        clusterId: p.clusterId,
        from: p.from,
        to: p.to,
        message: p.header,
        totalBytes: p.data.length,
        crc32: crc,
      },
    };
    if (!call.write(header)) await drained();
    for (let off = 0; off < p.data.length && !settled; off += p.chunkBytes) {
      if (!call.write({ data: p.data.subarray(off, off + p.chunkBytes) })) await drained();
    }
    if (!settled) call.end();
  };
  pump().catch(() => call.cancel());
  return { result, cancel: () => call.cancel() };
}
