// Serves RaftTransport.Stream: every batch from a peer is validated at the edge (cluster id,
// addressing, each message) and delivered; a bad batch ends the stream with a status naming the fault.
import { Metadata, type ServerReadableStream, type sendUnaryData, status } from "@grpc/grpc-js";
import type { NodeId } from "../raft/index.ts";
import { decodeBatch } from "./codec.ts";
import { grpcStatusOf, TransportError, TransportErrorCode } from "./errors.ts";
import type { InboundCall, InboundContext } from "./inbound.ts";
import type { MessageBatch__Output, StreamSummary } from "./proto.ts";

export function serveStream(
  ctx: InboundContext,
  call: ServerReadableStream<MessageBatch__Output, StreamSummary>,
  callback: sendUnaryData<StreamSummary>,
): void {
  const address = call.getPeer();
  if (ctx.closing()) {
    callback({ code: status.UNAVAILABLE, details: "node is shutting down" });
    return;
  }
  let from: NodeId = 0;
  let batches = 0;
  let messages = 0;
  let done = false;
  const finish = (err: { code: status; details: string } | null): void => {
    if (done) return;
    done = true;
    ctx.calls.delete(handle);
    if (err) callback(err);
    else callback(null, { batches, messages });
  };
  const handle: InboundCall = {
    shutdown: () => finish({ code: status.UNAVAILABLE, details: "node is shutting down" }),
  };
  ctx.calls.add(handle);
  // Response headers now: the sender counts its stream as connected when they arrive.
  call.sendMetadata(new Metadata());

  call.on("data", (batch: MessageBatch__Output) => {
    if (done) return;
    let decoded: ReturnType<typeof decodeBatch>;
    try {
      decoded = decodeBatch(batch, ctx.self);
      if (from !== 0 && decoded.from !== from)
        throw new TransportError(
          TransportErrorCode.InvalidMessage,
          `batch: from changed from ${from} to ${decoded.from} within one stream`,
        );
    } catch (err) {
      const code = err instanceof TransportError ? err.code : TransportErrorCode.InvalidMessage;
      const details = err instanceof Error ? err.message : String(err);
      ctx.log.warn(
        { peer: from || batch.from, address, code, reason: details },
        `refused a batch from peer ${String(from || batch.from)} (${address})`,
      );
      finish({ code: grpcStatusOf(code), details });
      return;
    }
    if (from === 0) {
      from = decoded.from;
      if (ctx.isKnownPeer(from)) ctx.log.info({ peer: from, address }, "inbound stream from peer");
      // Accepted: a joining node may talk before it is in our list; Raft decides what to do.
      else {
        ctx.log.info({ peer: from, address }, "inbound stream from a node not in the peer list");
        if (batch.fromAddress) ctx.learnPeer(from, batch.fromAddress);
      }
    }
    batches++;
    messages += decoded.msgs.length;
    if (decoded.msgs.length > 0) ctx.deliver(decoded.msgs);
  });
  call.on("end", () => finish(null));
  call.on("cancelled", () => {
    if (done) return;
    done = true;
    ctx.calls.delete(handle);
    // gRPC's own refusals (a message over maxMessageBytes) also end here, without a word to us.
    ctx.log.info(
      { peer: from, address, batches },
      "inbound stream cut: the peer went away or gRPC refused a message (over maxMessageBytes?)",
    );
  });
  call.on("error", (err: Error) => {
    if (done) return;
    ctx.log.warn({ peer: from, address, err: err.message }, "inbound stream failed");
    finish({ code: status.INTERNAL, details: err.message });
  });
}
