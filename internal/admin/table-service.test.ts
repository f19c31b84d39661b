// The Services API over real gRPC: transactions through any node (forwarded to the leader), the
// same table and revision on every node, look-back at a revision, watch from a revision, dry runs,
// and the admin/read-only roles with clear refusals.

import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import test from "ava";
import { ServicesService } from "./proto.ts";
import { startApiCluster } from "./testing.ts";

const ADMIN = "admin-token-0123456789";
const VIEWER = "viewer-token-0123456789";
const AUTH = {
  tokens: [
    { name: "ops", token: ADMIN, role: "admin" as const },
    { name: "grafana", token: VIEWER, role: "readonly" as const },
  ],
  clientCertRoles: {},
  open: false,
};

type Call = (method: string, req: object, token?: string) => Promise<Record<string, unknown>>;

function servicesClient(
  t: import("ava").ExecutionContext,
  address: string,
): { call: Call; raw: InstanceType<typeof ServicesService> } {
  const raw = new ServicesService(address, credentials.createInsecure());
  t.teardown(() => raw.close());
  const call: Call = (method, req, token) => {
    const md = new Metadata();
    if (token) md.set("authorization", `Bearer ${token}`);
    const c = raw as unknown as Record<string, (...a: unknown[]) => void>;
    return new Promise((resolve, reject) =>
      c[method]!.call(
        raw,
        req,
        md,
        { deadline: Date.now() + 5000 },
        (err: Error | null, res: Record<string, unknown>) => (err ? reject(err) : resolve(res)),
      ),
    );
  };
  return { call, raw };
}

const addWeb = {
  op: "service.add",
  service: {
    protocol: "tcp",
    vip: "198.18.0.10",
    port: 80,
    scheduler: "wrr",
    realServers: [{ address: "198.18.1.1", weight: 2 }],
  },
};

test("a transaction sent to a follower applies on the leader; every node lists the same table at the same revision", async (t) => {
  const c = await startApiCluster(t, AUTH);
  const follower = c.members.find((m) => m.id !== c.leader().id)!;
  const { call } = servicesClient(t, follower.client);
  const res = await call(
    "Apply",
    {
      changes: [
        addWeb,
        { op: "server.add", serviceKey: "tcp/198.18.0.10:80", server: { address: "198.18.1.2", weight: 0 } },
      ],
    },
    ADMIN,
  );
  t.deepEqual(res.changed, ["tcp/198.18.0.10:80"]);
  const lists = await Promise.all(c.members.map((m) => servicesClient(t, m.client).call("List", {}, VIEWER)));
  for (const l of lists) {
    t.is(l.revision, res.revision);
    const svcs = l.services as Array<{
      key: string;
      realServers: Array<{ address: string; weight: number }>;
    }>;
    t.deepEqual(
      svcs.map((s) => s.key),
      ["tcp/198.18.0.10:80"],
    );
    t.deepEqual(
      svcs[0]!.realServers.map((r) => [r.address, r.weight]),
      [
        ["198.18.1.1", 2],
        ["198.18.1.2", 0],
      ],
    );
  }
  const hashes = new Set(c.nodes.map((n) => n.state.hash()));
  t.is(hashes.size, 1, "identical state on every node");
});

test("a bad change is refused with INVALID_ARGUMENT naming changes[i] and the field; a dry run changes nothing", async (t) => {
  const c = await startApiCluster(t, AUTH);
  const { call } = servicesClient(t, c.members[0]!.client);
  const bad = await t.throwsAsync(
    call(
      "Apply",
      {
        changes: [
          addWeb,
          { op: "server.add", serviceKey: "tcp/198.18.0.10:80", server: { address: "198.18.1.1" } },
        ],
      },
      ADMIN,
    ),
  );
  t.is((bad as unknown as ServiceError).code, status.INVALID_ARGUMENT);
  t.regex(
    (bad as unknown as ServiceError).details,
    /changes\[1\]\.server: real server 198\.18\.1\.1:80 already exists/,
  );
  const dry = await call("Apply", { changes: [addWeb], dryRun: true }, ADMIN);
  t.deepEqual(dry.changed, ["tcp/198.18.0.10:80"]);
  const list = await call("List", {}, ADMIN);
  t.deepEqual(list.services, []);
});

test("List at a past revision shows the table as it was; watch from a revision replays then follows", async (t) => {
  const c = await startApiCluster(t, AUTH);
  const { call, raw } = servicesClient(t, c.members[0]!.client);
  const r1 = (await call("Apply", { changes: [addWeb] }, ADMIN)).revision as number;
  const edit = {
    op: "server.edit",
    serviceKey: "tcp/198.18.0.10:80",
    server: { address: "198.18.1.1", weight: 9 },
  };
  const r2 = (await call("Apply", { changes: [edit] }, ADMIN)).revision as number;
  const md = new Metadata();
  md.set("authorization", `Bearer ${VIEWER}`);
  const events: Array<{ key: string; type: string; revision: number }> = [];
  const stream = raw.Watch({ fromRevision: r1 }, md);
  t.teardown(() => stream.cancel());
  stream.on("error", () => {});
  stream.on("data", (d: { events: Array<{ key: string; type: string; revision: number }> }) =>
    events.push(...d.events),
  );
  const deadline = Date.now() + 3000;
  while (events.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await call("Apply", { changes: [{ op: "service.delete", serviceKey: "tcp/198.18.0.10:80" }] }, ADMIN);
  while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  t.deepEqual(
    events.map((e) => [e.type, e.revision]),
    [
      ["put", r2],
      ["delete", r2 + 1],
    ],
    "replays the change after r1, then follows",
  );
  const past = await call("List", { atRevision: r2 }, VIEWER);
  const svcs = past.services as Array<{ realServers: Array<{ weight: number }> }>;
  t.is(svcs[0]!.realServers[0]!.weight, 9);
  const future = await t.throwsAsync(call("List", { atRevision: r2 + 100 }, VIEWER));
  t.regex((future as unknown as ServiceError).details, /in the future/);
});

test("no credentials is UNAUTHENTICATED, a read-only token cannot write, and health needs no credentials", async (t) => {
  const c = await startApiCluster(t, AUTH);
  const { call } = servicesClient(t, c.members[0]!.client);
  const none = await t.throwsAsync(call("List", {}));
  t.is((none as unknown as ServiceError).code, status.UNAUTHENTICATED);
  t.regex((none as unknown as ServiceError).details, /Bearer <token>/);
  const wrong = await t.throwsAsync(call("List", {}, "not-a-real-token-xxxxx"));
  t.is((wrong as unknown as ServiceError).code, status.UNAUTHENTICATED);
  const ro = await t.throwsAsync(call("Apply", { changes: [addWeb] }, VIEWER));
  t.is((ro as unknown as ServiceError).code, status.PERMISSION_DENIED);
  t.regex((ro as unknown as ServiceError).details, /token grafana has the read-only role/);
  await t.notThrowsAsync(call("List", {}, VIEWER));
});

test("if_revision applies only while the state is still at that revision", async (t) => {
  const c = await startApiCluster(t, AUTH);
  const { call } = servicesClient(t, c.members[0]!.client);
  const r1 = (await call("Apply", { changes: [addWeb] }, ADMIN)).revision as number;
  const edit = {
    op: "server.edit",
    serviceKey: "tcp/198.18.0.10:80",
    server: { address: "198.18.1.1", weight: 7 },
  };
  const ok = await call("Apply", { changes: [edit], ifRevision: r1 }, ADMIN);
  t.is(ok.revision, r1 + 1);
  const stale = await t.throwsAsync(call("Apply", { changes: [edit], ifRevision: r1 }, ADMIN));
  t.is((stale as unknown as ServiceError).code, status.FAILED_PRECONDITION);
  t.regex((stale as unknown as ServiceError).details, /moved on since revision/);
});
