// Mutual TLS between peers: certificates from the cluster CA connect; a client without a
// certificate, or with one from another CA, is refused by the server and the refusal is logged.
import { credentials, status } from "@grpc/grpc-js";
import test from "ava";
import { createCa, createNodeCert } from "../certs/index.ts";
import type { TlsMaterial } from "./options.ts";
import { batch, rawClient, wireHeartbeat } from "./raw-client.ts";
import { heartbeat, mesh, startNode, WARN, waitFor } from "./test-helpers.ts";

// Generated once for the file: the cluster CA, two nodes, and an impostor signed by another CA.
const ca = createCa({ commonName: "raftvs cluster CA", days: 1 });
const foreignCa = createCa({ commonName: "some other CA", days: 1 });
const hosts = ["127.0.0.1", "localhost"];
function material(issuer: typeof ca, nodeId: number, trust = ca): TlsMaterial {
  const pair = createNodeCert(issuer, { nodeId, hosts, days: 1 });
  return {
    caPem: Buffer.from(trust.certPem),
    certPem: Buffer.from(pair.certPem),
    keyPem: Buffer.from(pair.keyPem),
  };
}
const node1 = material(ca, 1);
const node2 = material(ca, 2);

const refusedTls = (l: { level: number; msg: string }) =>
  l.level === WARN && /refused a peer connection: TLS handshake failed/.test(l.msg);

test("peers with certificates from the cluster CA exchange messages", async (t) => {
  const a = await startNode(t, 1, { tls: node1 });
  const b = await startNode(t, 2, { tls: node2 });
  mesh(a, b);
  a.transport.send([heartbeat(1, 2, 1)]);
  b.transport.send([heartbeat(2, 1, 2)]);
  await waitFor(() => a.received.length === 1 && b.received.length === 1, 5000, "both messages");
  t.is(b.received[0]!.commit, 1);
  t.is(a.received[0]!.commit, 2);
  t.false(b.logs.some(refusedTls));
});

test("a client without a certificate is refused, and the refusal is logged", async (t) => {
  const b = await startNode(t, 2, { tls: node2 });
  const raw = rawClient(t, b.address, credentials.createSsl(Buffer.from(ca.certPem)));
  const out = await raw.stream([batch(2, [wireHeartbeat(2)])]);
  t.is(out.code, status.UNAVAILABLE, out.details);
  t.is(b.received.length, 0);
  await waitFor(() => b.logs.some(refusedTls), 5000, "refusal log");
  const line = b.logs.find(refusedTls)!;
  t.regex(String(line.reason), /certificate/i);
  t.regex(String(line.remote), /^127\.0\.0\.1:\d+$/);
});

test("a peer whose certificate comes from another CA is refused, and the refusal is logged", async (t) => {
  const b = await startNode(t, 2, { tls: node2 });
  // Trusts the cluster CA (so it accepts the server) but holds a certificate from a foreign CA.
  const impostor = await startNode(t, 1, { tls: material(foreignCa, 1, ca) });
  impostor.transport.setPeer(2, b.address);
  impostor.transport.send([heartbeat(1, 2, 1)]);
  await waitFor(() => b.logs.some(refusedTls), 5000, "refusal log");
  await waitFor(() => impostor.unreachable.includes(2), 5000, "the impostor's stream fails");
  t.is(b.received.length, 0);
  t.false(impostor.transport.stats().get(2)!.connected);
  t.regex(
    String(b.logs.find(refusedTls)!.reason),
    /client certificate rejected: UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
  );
});

test("a client that does not trust the cluster CA refuses the server and logs why", async (t) => {
  const b = await startNode(t, 2, { tls: node2 });
  const stranger = await startNode(t, 1, { tls: material(foreignCa, 1, foreignCa) });
  stranger.transport.setPeer(2, b.address);
  await waitFor(() => stranger.unreachable.includes(2), 5000, "stream fails");
  const failed = stranger.logs.find((l) => l.level === WARN && l.msg === "stream to peer failed");
  t.truthy(failed);
  t.regex(String(failed!.reason), /UNAVAILABLE: .*certificate/);
  t.is(b.received.length, 0);
});

test("a plaintext client on the TLS port is refused and logged", async (t) => {
  const b = await startNode(t, 2, { tls: node2 });
  const out = await rawClient(t, b.address).stream([batch(2, [wireHeartbeat(2)])]);
  t.not(out.code, status.OK);
  await waitFor(() => b.logs.some(refusedTls), 5000, "refusal log");
  t.is(b.received.length, 0);
});
