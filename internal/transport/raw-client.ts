// Test helper playing a misbehaving peer: sends hand-made batches and snapshot chunks with a
// plain generated client, bypassing PeerTransport's own checks, and returns the final status.
import { type ChannelCredentials, credentials, type ServiceError, status } from "@grpc/grpc-js";
import type { ExecutionContext } from "ava";
import { type MessageBatch, type RaftMessage, RaftTransportClient, type SnapshotChunk } from "./proto.ts";

export interface CallOutcome {
  code: status;
  details: string;
}

export function rawClient(
  t: ExecutionContext,
  address: string,
  creds: ChannelCredentials = credentials.createInsecure(),
) {
  const client = new RaftTransportClient(address, creds, { "grpc.use_local_subchannel_pool": 1 });
  t.teardown(() => client.close());
  const outcome = (resolve: (o: CallOutcome) => void) => (err: ServiceError | null) =>
    resolve(err ? { code: err.code, details: err.details } : { code: status.OK, details: "" });
  return {
    stream(batches: MessageBatch[]): Promise<CallOutcome> {
      return new Promise((resolve) => {
        const call = client.Stream(outcome(resolve));
        call.on("error", () => {});
        for (const b of batches) call.write(b);
        call.end();
      });
    },
    snapshot(chunks: SnapshotChunk[]): Promise<CallOutcome> {
      return new Promise((resolve) => {
        const call = client.SendSnapshot(outcome(resolve));
        call.on("error", () => {});
        for (const c of chunks) call.write(c);
        call.end();
      });
    },
  };
}

/** A well-formed heartbeat from node 5 to `to`, as protobuf. */
export function wireHeartbeat(to: number, overrides: Partial<RaftMessage> = {}): RaftMessage {
  return { type: "MESSAGE_TYPE_HEARTBEAT", to, from: 5, term: 1, ...overrides };
}

export function batch(
  to: number,
  messages: RaftMessage[],
  overrides: Partial<MessageBatch> = {},
): MessageBatch {
  return { clusterId: "test-cluster", from: 5, to, messages, ...overrides };
}
