// Throughput of the peer transport on loopback, outside the test suite: messages per second from
// one PeerTransport to another at several batch sizes, replication-sized appends, and the
// heartbeat round trip; the codec alone (no network) is measured too, as the ceiling.
// Run: npm run bench:transport -- [--seconds 3]
import { pino } from "pino";
import { EntryType, emptyMessage, type Message, MessageType } from "../../internal/raft/index.ts";
import { decodeBatch, encodeMessage } from "../../internal/transport/codec.ts";
import { raftTransportService } from "../../internal/transport/proto.ts";
import { PeerTransport } from "../../internal/transport/transport.ts";

const secondsArg = process.argv.indexOf("--seconds");
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 3;
/** Sent but not yet received, in bytes and in messages: a window like Raft's inflight limits. */
const WINDOW_BYTES = 16 * 1024 * 1024;
const WINDOW_MSGS = 4096;

const logger = pino({ level: "warn" }, pino.destination(2));
const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));

function heartbeat(): Message {
  return { ...emptyMessage(MessageType.Heartbeat, 2, 1, 5), commit: 1234, leaseTick: 99 };
}

function append(entries: number, entryBytes: number): Message {
  const data = new Uint8Array(entryBytes).fill(7);
  return {
    ...emptyMessage(MessageType.App, 2, 1, 5),
    index: 1000,
    logTerm: 5,
    commit: 999,
    entries: Array.from({ length: entries }, (_, i) => ({
      term: 5,
      index: 1001 + i,
      type: EntryType.Normal,
      data,
    })),
  };
}

async function pair(onMessages: (msgs: Message[]) => void, onEcho?: (msgs: Message[]) => void) {
  const common = { clusterId: "bench", peers: new Map(), logger, maxQueuedMessages: 1_000_000 };
  const a = await PeerTransport.start({
    ...common,
    nodeId: 1,
    listen: { host: "127.0.0.1", port: 0 },
    onMessages: (msgs) => onEcho?.(msgs),
    onUnreachable: () => {},
    onSnapshotStatus: () => {},
  });
  const b = await PeerTransport.start({
    ...common,
    nodeId: 2,
    listen: { host: "127.0.0.1", port: 0 },
    onMessages,
    onUnreachable: () => {},
    onSnapshotStatus: () => {},
  });
  a.setPeer(2, `127.0.0.1:${b.port}`);
  b.setPeer(1, `127.0.0.1:${a.port}`);
  while (!a.stats().get(2)?.connected || !b.stats().get(1)?.connected) await yieldToIo();
  return { a, b };
}

/** Messages per second from a to b, `batch` messages per send() call. */
async function throughput(
  batch: number,
  make: () => Message,
): Promise<{ msgsPerSec: number; dropped: number }> {
  let received = 0;
  const { a, b } = await pair((msgs) => {
    received += msgs.length;
  });
  const msgs = Array.from({ length: batch }, make);
  const msgBytes = encodedBytes(msgs) / batch;
  const window = Math.max(batch, Math.min(WINDOW_MSGS, Math.floor(WINDOW_BYTES / msgBytes)));
  let sent = 0;
  const started = performance.now();
  const stopAt = started + SECONDS * 1000;
  while (performance.now() < stopAt) {
    for (let i = 0; i < 8 && sent - received < window; i++) {
      a.send(msgs);
      sent += batch;
    }
    await yieldToIo();
  }
  const dropped = a.stats().get(2)!.droppedMessages;
  while (received < sent - dropped) await yieldToIo();
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all([a.close(), b.close()]);
  return { msgsPerSec: received / elapsed, dropped };
}

/** Heartbeat round trips, one at a time: a -> b -> a. */
async function roundTrip(): Promise<{ p50Us: number; p99Us: number }> {
  let pong: () => void = () => {};
  let bRef: PeerTransport | undefined;
  const { a, b } = await pair(
    () => bRef!.send([{ ...emptyMessage(MessageType.HeartbeatResp, 1, 2, 5) }]),
    () => pong(),
  );
  bRef = b;
  const samples: number[] = [];
  const stopAt = performance.now() + SECONDS * 1000;
  while (performance.now() < stopAt) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      pong = resolve;
      a.send([heartbeat()]);
    });
    samples.push((performance.now() - t0) * 1000);
  }
  await Promise.all([a.close(), b.close()]);
  samples.sort((x, y) => x - y);
  return {
    p50Us: samples[Math.floor(samples.length / 2)]!,
    p99Us: samples[Math.floor(samples.length * 0.99)]!,
  };
}

function encodedBytes(msgs: Message[]): number {
  return raftTransportService.Stream.requestSerialize({
    clusterId: "bench",
    from: 1,
    to: 2,
    messages: msgs.map((m) => encodeMessage(m, 1)),
  }).length;
}

/** Encode + serialize + deserialize + decode only: the ceiling the network path approaches. */
function codecOnly(batch: number, make: () => Message): number {
  const msgs = Array.from({ length: batch }, make);
  let done = 0;
  const started = performance.now();
  const stopAt = started + SECONDS * 1000;
  while (performance.now() < stopAt) {
    const bytes = raftTransportService.Stream.requestSerialize({
      clusterId: "bench",
      from: 1,
      to: 2,
      messages: msgs.map((m) => encodeMessage(m, 1)),
    });
    done += decodeBatch(raftTransportService.Stream.requestDeserialize(bytes), {
      nodeId: 2,
      clusterId: "bench",
    }).msgs.length;
  }
  return done / ((performance.now() - started) / 1000);
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(`raftvs transport throughput on loopback (${SECONDS} s per row, node ${process.version})`);
console.log("workload                              | transport msg/s | codec-only msg/s | transport/codec");
for (const [name, batch, make] of [
  ["heartbeat, 1 per send", 1, heartbeat],
  ["heartbeat, 16 per send", 16, heartbeat],
  ["heartbeat, 256 per send", 256, heartbeat],
  ["append 16 x 128 B entries, 16 per send", 16, () => append(16, 128)],
  ["append 64 x 1 KiB entries, 1 per send", 1, () => append(64, 1024)],
] as const) {
  const net = await throughput(batch, make);
  const codec = codecOnly(batch, make);
  console.log(
    `${name.padEnd(38)}| ${fmt(net.msgsPerSec).padStart(15)} | ${fmt(codec).padStart(16)} | ${(net.msgsPerSec / codec).toFixed(2).padStart(15)}` +
      (net.dropped > 0 ? `  (dropped ${net.dropped})` : ""),
  );
}
const rtt = await roundTrip();
console.log(
  `heartbeat round trip, one at a time: p50 ${rtt.p50Us.toFixed(0)} us, p99 ${rtt.p99Us.toFixed(0)} us`,
);
