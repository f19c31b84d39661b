// Test support for the client API: a 3-node in-process cluster, each node behind a real
// ClientServer on a free loopback port, with the authorization settings given.

import { createServer } from "node:net";
import type { ExecutionContext } from "ava";
import { bootstrapStateData } from "../daemon/index.ts";
import { RaftNode } from "../node/index.ts";
import { InProcessNetwork, MemoryNodeStorage } from "../node/testing.ts";
import { bootstrapStorage, silentLogger } from "../raft/index.ts";
import type { AuthSettings } from "./auth.ts";
import { ClientServer } from "./server.ts";

export const OPEN: AuthSettings = { tokens: [], clientCertRoles: {}, open: true };

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ApiCluster {
  nodes: RaftNode[];
  members: Array<{ id: number; peer: string; client: string }>;
  leader: () => RaftNode;
}

export async function startApiCluster(t: ExecutionContext, auth: AuthSettings = OPEN): Promise<ApiCluster> {
  const ports = await Promise.all([1, 2, 3].map(() => freePort()));
  const members = ports.map((p, i) => ({ id: i + 1, peer: `127.0.0.1:${p + 1}`, client: `127.0.0.1:${p}` }));
  const net = new InProcessNetwork();
  const nodes: RaftNode[] = [];
  const servers: ClientServer[] = [];
  for (const m of members) {
    const storage = new MemoryNodeStorage();
    bootstrapStorage(storage.mem, [1, 2, 3], bootstrapStateData(members));
    const node = new RaftNode({
      id: m.id,
      storage,
      tickMs: 10,
      raft: { electionTicks: 10, heartbeatTicks: 1 },
      snapshotEveryEntries: 1000,
      snapshotKeepEntries: 10,
      logger: silentLogger,
    });
    net.nodes.set(m.id, node);
    node.start(net.transportFor(m.id));
    nodes.push(node);
    servers.push(
      await ClientServer.start({
        address: m.client,
        node,
        clusterId: "t",
        requestTimeoutMs: 10_000,
        auth,
      }),
    );
  }
  t.teardown(async () => {
    for (const s of servers) s.destroy();
    await Promise.all(nodes.map((n) => n.close()));
  });
  const deadline = Date.now() + 5000;
  while (!nodes.some((n) => n.isLeader()) || nodes.some((n) => n.leaderId() === 0)) {
    if (Date.now() > deadline) throw new Error("no leader");
    await new Promise((r) => setTimeout(r, 10));
  }
  return { nodes, members, leader: () => nodes.find((n) => n.isLeader())! };
}
