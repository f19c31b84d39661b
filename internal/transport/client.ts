// Opens gRPC channels to peers: credentials (mutual TLS when configured) and the channel options
// that matter for Raft: fast reconnects, keepalive pings, message limits, no hidden retries.
import { type ChannelOptions, Client, credentials } from "@grpc/grpc-js";
import type { ResolvedOptions } from "./options.ts";

export function peerChannelOptions(opts: ResolvedOptions): ChannelOptions {
  return {
    "grpc.max_send_message_length": opts.maxMessageBytes,
    "grpc.max_receive_message_length": opts.maxMessageBytes,
    "grpc.initial_reconnect_backoff_ms": opts.reconnectInitialMs,
    "grpc.max_reconnect_backoff_ms": opts.reconnectMaxMs,
    "grpc.keepalive_time_ms": opts.keepaliveIntervalMs,
    "grpc.keepalive_timeout_ms": opts.keepaliveTimeoutMs,
    "grpc.keepalive_permit_without_calls": 1,
    // Retries would buffer stream messages inside gRPC; Raft retries on its own.
    "grpc.enable_retries": 0,
    // Our own connection per channel: transports in one process never share one, and a snapshot
    // client does not queue its megabytes in front of the heartbeats.
    "grpc.use_local_subchannel_pool": 1,
  };
}

/** A channel to `address` ("host:port"). Connects lazily, on the first call. */
export function createPeerClient(address: string, opts: ResolvedOptions): Client {
  const creds = opts.tls
    ? credentials.createSsl(opts.tls.caPem, opts.tls.keyPem, opts.tls.certPem)
    : credentials.createInsecure();
  return new Client(address, creds, peerChannelOptions(opts));
}
