// Client certificates on the client API: with a client CA configured, the certificate's common
// name gives the caller its role (admin or the read-only default), over a real TLS connection.

import test from "ava";
import { createCa, createNodeCert } from "../certs/index.ts";
import { AdminClient } from "../ctl/index.ts";
import { RaftNode } from "../node/index.ts";
import { MemoryNodeStorage } from "../node/testing.ts";
import { bootstrapStorage, silentLogger } from "../raft/index.ts";
import { ClientServer } from "./index.ts";
import { freePort } from "./testing.ts";

const addWeb = {
  op: "service.add",
  service: { protocol: "tcp", vip: "198.18.0.10", port: 80 },
};

test("a certificate mapped to admin may write; any other certificate from the CA is read-only", async (t) => {
  const ca = createCa({ commonName: "test client CA", days: 1 });
  const server = createNodeCert(ca, { nodeId: 1, hosts: ["127.0.0.1"], days: 1 });
  const adminCert = createNodeCert(ca, { nodeId: 9, hosts: ["127.0.0.1"], days: 1 });
  const viewerCert = createNodeCert(ca, { nodeId: 8, hosts: ["127.0.0.1"], days: 1 });
  const storage = new MemoryNodeStorage();
  bootstrapStorage(storage.mem, [1]);
  const node = new RaftNode({
    id: 1,
    storage,
    tickMs: 10,
    raft: { electionTicks: 10, heartbeatTicks: 1, startupQuietTicks: 0 },
    snapshotEveryEntries: 1000,
    snapshotKeepEntries: 10,
    logger: silentLogger,
  });
  node.start({ send: () => {}, setPeer: () => {}, removePeer: () => {} });
  const address = `127.0.0.1:${await freePort()}`;
  const api = await ClientServer.start({
    address,
    node,
    clusterId: "t",
    requestTimeoutMs: 5000,
    auth: { tokens: [], clientCertRoles: { "node-9": "admin" }, open: false },
    tls: {
      caPem: Buffer.from(ca.certPem),
      certPem: Buffer.from(server.certPem),
      keyPem: Buffer.from(server.keyPem),
    },
  });
  t.teardown(async () => {
    api.destroy();
    await node.close();
  });
  while (!node.isLeader()) await new Promise((r) => setTimeout(r, 10));
  const client = (pair: { certPem: string; keyPem: string }) =>
    new AdminClient([address], 5000, {
      caPem: Buffer.from(ca.certPem),
      certPem: Buffer.from(pair.certPem),
      keyPem: Buffer.from(pair.keyPem),
    });
  const admin = client(adminCert);
  const viewer = client(viewerCert);
  t.teardown(() => {
    admin.close();
    viewer.close();
  });
  await t.notThrowsAsync(admin.call("Services", "Apply", { changes: [addWeb] }));
  const refused = await t.throwsAsync(viewer.call("Services", "Apply", { changes: [addWeb] }));
  t.regex(refused?.message ?? "", /PERMISSION_DENIED.*certificate node-8 has the read-only role/);
  const list = await viewer.call<{ services: unknown[] }>("Services", "List", {});
  t.is(list.services.length, 1);
});
