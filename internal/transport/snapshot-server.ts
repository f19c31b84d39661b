// Serves RaftTransport.SendSnapshot: checks the header at the edge (cluster, addressing, the size
// limit), reassembles the data chunks, checks size and CRC-32, then delivers ONE Snap message.
import { crc32 } from "node:zlib";
import { Metadata, type ServerReadableStream, type sendUnaryData, status } from "@grpc/grpc-js";
import { type Message, MessageType, type NodeId } from "../raft/index.ts";
import { checkAddressing, checkEnvelope, decodeMessage } from "./codec.ts";
import { grpcStatusOf, TransportError, TransportErrorCode } from "./errors.ts";
import type { InboundCall, InboundContext } from "./inbound.ts";
import type { SnapshotChunk__Output, SnapshotHeader__Output, SnapshotResult } from "./proto.ts";

interface Header {
  from: NodeId;
  msg: Message;
  totalBytes: number;
  crc32: number;
}

function refuse(code: TransportErrorCode, message: string): never {
  throw new TransportError(code, message);
}

function parseHeader(ctx: InboundContext, h: SnapshotHeader__Output): Header {
  const from = checkEnvelope(h, ctx.self, "snapshot header");
  const where = `snapshot from ${from}`;
  if (h.message === null) refuse(TransportErrorCode.InvalidMessage, `${where}: header without a message`);
  const msg = decodeMessage(h.message, where);
  if (msg.type !== MessageType.Snap)
    refuse(TransportErrorCode.InvalidMessage, `${where}: header holds a ${msg.type} message, not Snap`);
  checkAddressing(msg, from, ctx.self.nodeId, where);
  const totalBytes = h.totalBytes;
  if (!Number.isSafeInteger(totalBytes) || totalBytes < 0)
    refuse(TransportErrorCode.InvalidMessage, `${where}: totalBytes ${String(totalBytes)} is not a size`);
  if (totalBytes > ctx.opts.maxSnapshotBytes)
    refuse(
      TransportErrorCode.TooLarge,
      `${where}: ${totalBytes} bytes exceed this node's limit of ${ctx.opts.maxSnapshotBytes} (maxSnapshotBytes)`,
    );
  return { from, msg, totalBytes, crc32: h.crc32 };
}

export function serveSnapshot(
  ctx: InboundContext,
  call: ServerReadableStream<SnapshotChunk__Output, SnapshotResult>,
  callback: sendUnaryData<SnapshotResult>,
): void {
  const address = call.getPeer();
  if (ctx.closing()) {
    callback({ code: status.UNAVAILABLE, details: "node is shutting down" });
    return;
  }
  if (ctx.incomingSnapshots >= ctx.opts.maxIncomingSnapshots) {
    ctx.log.warn({ address }, "refused a snapshot: too many being received");
    callback({
      code: status.RESOURCE_EXHAUSTED,
      details: `already receiving ${ctx.incomingSnapshots} snapshots (maxIncomingSnapshots)`,
    });
    return;
  }
  ctx.incomingSnapshots++;
  let header: Header | undefined;
  /** Allocated at the header (pages are committed as chunks land), filled in place. */
  let data: Buffer | undefined;
  let received = 0;
  let crc = 0;
  let chunks = 0;
  let done = false;
  let idle: NodeJS.Timeout | undefined;

  const finish = (err: { code: status; details: string } | null): void => {
    if (done) return;
    done = true;
    ctx.incomingSnapshots--;
    ctx.calls.delete(handle);
    clearTimeout(idle);
    data = undefined;
    if (err) callback(err);
    else callback(null, { receivedBytes: received });
  };
  const fail = (err: unknown): void => {
    const code = err instanceof TransportError ? err.code : TransportErrorCode.InvalidMessage;
    const details = err instanceof Error ? err.message : String(err);
    ctx.log.warn({ peer: header?.from, address, code, reason: details }, "refused a snapshot");
    finish({ code: grpcStatusOf(code), details });
  };
  const armIdleTimer = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      ctx.log.warn({ peer: header?.from, address }, "dropped a stalled snapshot transfer");
      finish({ code: status.DEADLINE_EXCEEDED, details: "no snapshot chunk within snapshotIdleTimeoutMs" });
    }, ctx.opts.snapshotIdleTimeoutMs);
    idle.unref();
  };
  const handle: InboundCall = {
    shutdown: () => finish({ code: status.UNAVAILABLE, details: "node is shutting down" }),
  };
  ctx.calls.add(handle);
  call.sendMetadata(new Metadata());
  armIdleTimer();

  call.on("data", (chunk: SnapshotChunk__Output) => {
    if (done) return;
    armIdleTimer();
    try {
      if (chunk.kind === "header" && chunk.header) {
        if (header) refuse(TransportErrorCode.InvalidMessage, "snapshot: a second header");
        header = parseHeader(ctx, chunk.header);
        data = Buffer.allocUnsafe(header.totalBytes);
        ctx.log.info(
          {
            peer: header.from,
            address,
            bytes: header.totalBytes,
            index: header.msg.snapshot?.metadata.index,
          },
          "receiving a snapshot",
        );
      } else if (chunk.kind === "data" && chunk.data) {
        if (!header) refuse(TransportErrorCode.InvalidMessage, "snapshot: data before the header");
        if (received + chunk.data.length > header.totalBytes)
          refuse(
            TransportErrorCode.Corrupt,
            `snapshot from ${header.from}: more data than the ${header.totalBytes} bytes announced`,
          );
        chunk.data.copy(data!, received);
        received += chunk.data.length;
        chunks++;
        crc = crc32(chunk.data, crc);
      } else {
        refuse(TransportErrorCode.InvalidMessage, "snapshot: a chunk with neither header nor data");
      }
    } catch (err) {
      fail(err);
    }
  });
  call.on("end", () => {
    if (done) return;
    try {
      if (!header) refuse(TransportErrorCode.InvalidMessage, "snapshot: stream ended before the header");
      if (received !== header.totalBytes)
        refuse(
          TransportErrorCode.Corrupt,
          `snapshot from ${header.from}: got ${received} of ${header.totalBytes} bytes`,
        );
      if (crc !== header.crc32)
        refuse(TransportErrorCode.Corrupt, `snapshot from ${header.from}: CRC-32 mismatch`);
      header.msg.snapshot!.data = data!;
      ctx.log.info({ peer: header.from, bytes: received, chunks }, "snapshot received");
      ctx.deliver([header.msg]);
      finish(null);
    } catch (err) {
      fail(err);
    }
  });
  call.on("cancelled", () => {
    if (done) return;
    ctx.log.warn(
      { peer: header?.from, address, received },
      "snapshot transfer cut: the sender went away or gRPC refused a chunk (over maxMessageBytes?)",
    );
    finish({ code: status.CANCELLED, details: "cancelled" });
  });
  call.on("error", (err: Error) => {
    if (done) return;
    fail(err);
  });
}
