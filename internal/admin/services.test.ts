// The client API over real gRPC on loopback, in front of in-process nodes: a follower forwards
// writes to the leader, reads are linearizable, bad requests get INVALID_ARGUMENT, and the health
// and reflection services answer.

import { credentials, loadPackageDefinition, type ServiceError, status } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import test from "ava";
import { protoPath as healthProtoPath } from "grpc-health-check";
import { AdminClient } from "../ctl/index.ts";
import { startApiCluster as startCluster } from "./testing.ts";

test("a put sent to a follower is forwarded to the leader and a linearizable get on another node sees it", async (t) => {
  const { nodes, members } = await startCluster(t);
  const leader = nodes.find((n) => n.isLeader())!;
  const followers = members.filter((m) => m.id !== leader.id);
  const client = new AdminClient([followers[0]!.client], 2000);
  t.teardown(() => client.close());
  const put = await client.call<{ revision: number }>("KV", "Put", { key: "k", value: "v" });
  t.true(put.revision > 0);
  const get = await client.callAt<{ found: boolean; value: string }>(followers[1]!.client, "KV", "Get", {
    key: "k",
  });
  t.deepEqual([get.found, get.value], [true, "v"]);
});

test("invalid requests are refused with INVALID_ARGUMENT naming the field, and members need addresses", async (t) => {
  const { members } = await startCluster(t);
  const client = new AdminClient([members[0]!.client], 2000);
  t.teardown(() => client.close());
  const e1 = await t.throwsAsync(client.callAt(members[0]!.client, "KV", "Put", { key: "", value: "v" }));
  t.is((e1 as unknown as ServiceError).code, status.INVALID_ARGUMENT);
  t.regex((e1 as unknown as ServiceError).details, /key/);
  const e2 = await t.throwsAsync(
    client.callAt(members[0]!.client, "KV", "Put", { key: "big", value: "x".repeat(1024 * 1024 + 1) }),
  );
  t.is((e2 as unknown as ServiceError).code, status.INVALID_ARGUMENT);
  const e3 = await t.throwsAsync(
    client.callAt(members[0]!.client, "Cluster", "MemberAdd", {
      id: 9,
      peerAddress: "nohost",
      clientAddress: "127.0.0.1:1",
    }),
  );
  t.regex((e3 as unknown as ServiceError).details, /peerAddress/);
  const e4 = await t.throwsAsync(client.callAt(members[0]!.client, "Cluster", "MemberRemove", { id: 0 }));
  t.is((e4 as unknown as ServiceError).code, status.INVALID_ARGUMENT);
});

test("the standard health service reports SERVING", async (t) => {
  const { members } = await startCluster(t);
  const def = loadSync(healthProtoPath, { keepCase: true, longs: Number, enums: String, defaults: true });
  const pkg = loadPackageDefinition(def) as unknown as {
    grpc: {
      health: {
        v1: {
          Health: new (addr: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient;
        };
      };
    };
  };
  const health = new pkg.grpc.health.v1.Health(members[0]!.client, credentials.createInsecure());
  t.teardown(() => health.close());
  const res = await new Promise<{ status: string }>((resolve, reject) =>
    health.check({ service: "raftvs.v1.KV" }, (err, r) => (err ? reject(err) : resolve(r))),
  );
  t.is(res.status, "SERVING");
});

interface HealthClient {
  check(req: { service: string }, cb: (err: Error | null, res: { status: string }) => void): void;
  close(): void;
}
