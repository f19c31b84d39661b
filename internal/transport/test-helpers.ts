// Test helpers for the transport: transports on 127.0.0.1 port 0 that record every callback,
// a pino logger whose lines the test can read, polling, and message builders.
import { Writable } from "node:stream";
import type { ExecutionContext } from "ava";
import { pino } from "pino";
import { emptyMessage, type Message, MessageType, type NodeId } from "../raft/index.ts";
import type { PeerTransportOptions } from "./options.ts";
import { PeerTransport } from "./transport.ts";

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger writing JSON lines into memory. */
export function captureLogger(): { logger: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line) as LogLine);
      cb();
    },
  });
  return { logger: pino({ level: "debug" }, sink), lines };
}

export interface Recorder {
  id: NodeId;
  transport: PeerTransport;
  address: string;
  received: Message[];
  unreachable: NodeId[];
  snapshotStatus: { peer: NodeId; ok: boolean }[];
  logs: LogLine[];
}

export type TransportOverrides = Partial<
  Omit<PeerTransportOptions, "nodeId" | "onMessages" | "onUnreachable" | "onSnapshotStatus">
>;

/** Starts a transport for node `id` on 127.0.0.1, port 0 unless given; destroyed at teardown. */
export async function startNode(
  t: ExecutionContext,
  id: NodeId,
  overrides: TransportOverrides = {},
): Promise<Recorder> {
  const { logger, lines } = captureLogger();
  const received: Message[] = [];
  const unreachable: NodeId[] = [];
  const snapshotStatus: { peer: NodeId; ok: boolean }[] = [];
  const transport = await PeerTransport.start({
    nodeId: id,
    clusterId: "test-cluster",
    listen: { host: "127.0.0.1", port: 0 },
    peers: new Map(),
    logger,
    onMessages: (msgs) => received.push(...msgs),
    onUnreachable: (peer) => unreachable.push(peer),
    onSnapshotStatus: (peer, ok) => snapshotStatus.push({ peer, ok }),
    ...overrides,
  });
  t.teardown(() => transport.destroy());
  return {
    id,
    transport,
    address: `127.0.0.1:${transport.port}`,
    received,
    unreachable,
    snapshotStatus,
    logs: lines,
  };
}

/** Points every node at every other. */
export function mesh(...nodes: Recorder[]): void {
  for (const a of nodes) for (const b of nodes) if (a !== b) a.transport.setPeer(b.id, b.address);
}

/** Polls until `cond` holds; fails the wait after timeoutMs. */
export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A heartbeat with `commit` as a sequence number tests can check order with. */
export function heartbeat(from: NodeId, to: NodeId, seq: number): Message {
  return { ...emptyMessage(MessageType.Heartbeat, to, from, 1), commit: seq };
}

/** pino's numeric levels. */
export const WARN = 40;
