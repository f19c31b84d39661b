// Bytes that are not gRPC (random noise, HTTP/1, a broken HTTP/2 session), sent straight to the
// peer port over raw TCP, never crash the process: the server drops them and keeps serving.
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import test from "ava";
import { createCa, createNodeCert } from "../certs/index.ts";
import { heartbeat, mesh, type Recorder, startNode, waitFor } from "./test-helpers.ts";

const H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const payloads: [string, Buffer][] = [
  ["random bytes", randomBytes(64 * 1024)],
  ["an HTTP/1.1 request", Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")],
  ["the HTTP/2 preface, then noise", Buffer.concat([Buffer.from(H2_PREFACE), randomBytes(4096)])],
  ["a TLS ClientHello cut short", Buffer.from("160301020001000100", "hex")],
];

/** Writes `bytes` on a fresh TCP connection and waits until the server closes it (or 500 ms). */
function spray(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => socket.end(bytes));
    socket.on("error", () => {});
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), 500);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function stillServes(a: Recorder, b: Recorder, seq: number): Promise<void> {
  a.transport.send([heartbeat(a.id, b.id, seq)]);
  await waitFor(() => b.received.some((m) => m.commit === seq), 5000, `message ${seq} after the garbage`);
}

test("garbage on the plain port leaves the server serving", async (t) => {
  const a = await startNode(t, 1);
  const b = await startNode(t, 2);
  mesh(a, b);
  let seq = 0;
  await stillServes(a, b, seq++);
  for (const [name, bytes] of payloads) {
    await Promise.all(Array.from({ length: 5 }, () => spray(b.transport.port, bytes)));
    await stillServes(a, b, seq++);
    t.pass(name);
  }
  t.true(b.transport.stats().get(1)!.connected, "b's own stream is unharmed");
});

test("garbage on the TLS port leaves the server serving", async (t) => {
  const ca = createCa({ commonName: "garbage test CA", days: 1 });
  const tlsFor = (id: number) => {
    const pair = createNodeCert(ca, { nodeId: id, hosts: ["127.0.0.1"], days: 1 });
    return {
      caPem: Buffer.from(ca.certPem),
      certPem: Buffer.from(pair.certPem),
      keyPem: Buffer.from(pair.keyPem),
    };
  };
  const a = await startNode(t, 1, { tls: tlsFor(1) });
  const b = await startNode(t, 2, { tls: tlsFor(2) });
  mesh(a, b);
  let seq = 0;
  await stillServes(a, b, seq++);
  for (const [name, bytes] of payloads) {
    await Promise.all(Array.from({ length: 5 }, () => spray(b.transport.port, bytes)));
    await stillServes(a, b, seq++);
    t.pass(name);
  }
});
