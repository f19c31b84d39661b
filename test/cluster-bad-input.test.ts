// Bad input never hurts a real raftvsd: a malformed config or a foreign data dir is refused with a
// clear message and exit code; unreachable peers, garbage bytes and oversize messages get errors, no crash.

import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { credentials, status } from "@grpc/grpc-js";
import test from "ava";
import { runCtl } from "../internal/ctl/index.ts";
import { RaftTransportClient } from "../internal/transport/proto.ts";
import { describeError } from "./support/api.ts";
import { ItCluster, tempDir } from "./support/cluster.ts";
import { RAFTVSCTL, RAFTVSD, runScript } from "./support/raftvsd.ts";
import { sleep, waitFor } from "./support/wait.ts";

const MiB = 1024 * 1024;

/** Writes bytes to host:port, waits for the server to close or `lingerMs`, then hangs up. */
function sendRaw(address: string, bytes: Buffer, lingerMs = 300): Promise<void> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(":")),
    Number(address.slice(address.lastIndexOf(":") + 1)),
  ];
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, lingerMs);
    socket.on("error", done);
    socket.on("close", done);
    socket.on("data", () => {});
    socket.on("connect", () => socket.write(bytes));
  });
}

/** A node that must still be up: its process runs and it commits a write and reads it back. */
async function assertServing(
  t: import("ava").ExecutionContext,
  c: ItCluster,
  id: number,
  what: string,
): Promise<void> {
  t.deepEqual(c.runningIds(), [id], `the node is still running after ${what}`);
  const key = `alive-${Math.random().toString(36).slice(2)}`;
  await c.api.put(c.endpoint(id), key, "yes");
  t.is((await c.api.get(c.endpoint(id), key)).value, "yes", `the node still commits and reads after ${what}`);
}

test("a malformed config file makes raftvsd exit 2 with stderr naming every bad field, touching nothing", async (t) => {
  const dir = tempDir(t);
  const dataDir = join(dir, "data");
  const file = join(dir, "raftvsd.yaml");
  writeFileSync(
    file,
    [
      "id: 1",
      'clusterId: "not a valid id!"',
      `dataDir: ${dataDir}`,
      "listen:",
      '  peer: "127.0.0.1:99999"',
      '  client: "no-port-here"',
      "initialCluster:",
      '  - { id: 1, peer: "127.0.0.1:7001", client: "127.0.0.1:8001" }',
      "raft:",
      '  tickMs: "fast"',
      "  tikMs: 5",
      "",
    ].join("\n"),
  );
  const r = await runScript(t, RAFTVSD, ["--config", file]);
  t.is(r.code, 2, r.stderr);
  for (const field of [
    "clusterId",
    "listen.peer",
    "listen.client",
    "raft.tickMs",
    "raft.tikMs: unknown field",
  ])
    t.true(r.stderr.includes(field), `stderr names ${field}:\n${r.stderr}`);
  t.false(existsSync(dataDir), "no data dir was created");

  writeFileSync(file, "id: 1\nraft: [unclosed\n");
  const broken = await runScript(t, RAFTVSD, ["--config", file]);
  t.is(broken.code, 2, broken.stderr);
  t.true(broken.stderr.includes(file), `a YAML syntax error names the file:\n${broken.stderr}`);

  const flag = await runScript(t, RAFTVSD, [
    "--tick-ms=0",
    "--id",
    "1",
    "--data-dir",
    dataDir,
    "--join",
    "true",
  ]);
  t.is(flag.code, 2, flag.stderr);
  t.regex(flag.stderr, /raft\.tickMs/, "a bad flag value names its field");
});

test("a data dir written by another cluster makes raftvsd exit 3 with a message naming both clusters", async (t) => {
  const c = await ItCluster.create(t, { nodes: 1, clusterId: "alpha" });
  c.startAll();
  await c.waitForLeader(30_000);
  await c.api.put(c.endpoint(1), "owned-by", "alpha");
  t.is(await c.stop(1), 0);

  const plan = c.plan(1);
  const args = [
    ...["--id", "1", "--cluster-id", "beta", "--data-dir", plan.dataDir],
    ...["--listen-peer", plan.peer, "--listen-client", plan.client, "--log-pretty", "false"],
    ...["--initial-cluster", plan.initialCluster!],
  ];
  const r = await runScript(t, RAFTVSD, args);
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /cluster "alpha"/, "stderr names the data dir's cluster");
  t.regex(r.stderr, /"beta"/, "stderr names the configured cluster");
  t.true(r.stderr.includes(plan.dataDir), "stderr names the data dir");

  // The refusal changed nothing: the rightful owner still starts and has its data.
  c.start(1);
  await c.waitForLeader(30_000);
  t.is((await c.api.get(c.endpoint(1), "owned-by")).value, "alpha");
});

test("a node whose peers are all unreachable starts, serves Status, refuses writes clearly and keeps running", async (t) => {
  const c = await ItCluster.create(t, { nodes: 3 });
  c.start(1);
  await waitFor(async () => (await c.status(1)) !== undefined, 20_000, "node 1 answering Status");
  const until = performance.now() + 2000;
  let answers = 0;
  while (performance.now() < until) {
    const s = await c.status(1);
    t.truthy(s, "Status keeps answering");
    t.not(s?.role, "leader", "no leadership without a quorum");
    answers++;
    await sleep(100);
  }
  t.true(answers >= 10);
  const err = await t.throwsAsync(c.api.put(c.endpoint(1), "k", "v", 2000));
  t.log(`put without a quorum: ${describeError(err)}`);
  t.true(
    err?.message.includes("no leader") ||
      (err as { code?: number } | undefined)?.code === status.DEADLINE_EXCEEDED,
    `a put fails with a clear error: ${describeError(err)}`,
  );
  t.deepEqual(c.runningIds(), [1], "still running");
  const failed = c.logsOf(1, /stream to peer failed/);
  t.true(
    [2, 3].every((peer) => failed.some((l) => l.fields.peer === peer)),
    "the unreachable peers are logged by id",
  );
});

test("garbage bytes on the peer port and on the client port leave the node serving", async (t) => {
  const c = await ItCluster.create(t, { nodes: 1 });
  c.startAll();
  await c.waitForLeader(30_000);
  const plan = c.plan(1);
  const h2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  const payloads: Array<[string, Buffer]> = [
    ["random bytes", randomBytes(256 * 1024)],
    ["an HTTP/1.1 request", Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")],
    ["an HTTP/2 preface then junk", Buffer.concat([h2Preface, randomBytes(4096)])],
    ["a bare HTTP/2 preface", h2Preface],
    ["a TLS ClientHello-like header", Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x01, 0x00, 0xff, 0xfb])],
    ["nothing", Buffer.alloc(0)],
  ];
  for (const address of [plan.peer, plan.client])
    await Promise.all(payloads.map(([, bytes]) => sendRaw(address, bytes)));
  await assertServing(t, c, 1, "garbage on both ports");

  // Well-formed gRPC, wrong content: a batch for another cluster is refused with a status.
  const termBefore = (await c.status(1))!.term;
  const raw = new RaftTransportClient(plan.peer, credentials.createInsecure(), {
    "grpc.use_local_subchannel_pool": 1,
  });
  t.teardown(() => raw.close());
  const outcome = await new Promise<{ code: number; details: string }>((resolve) => {
    const call = raw.Stream((err) =>
      resolve(err ? { code: err.code, details: err.details } : { code: 0, details: "" }),
    );
    call.on("error", () => {});
    call.write({
      clusterId: "someone-else",
      from: 9,
      to: 1,
      messages: [{ type: "MESSAGE_TYPE_HEARTBEAT", to: 1, from: 9, term: 99 }],
    });
    call.end();
  });
  t.not(outcome.code, status.OK, "a batch of another cluster is refused");
  t.log(`foreign batch: ${status[outcome.code]}: ${outcome.details}`);
  t.is((await c.status(1))!.term, termBefore, "the foreign batch's term 99 was not taken");
  await waitFor(
    () => c.logsOf(1, /refused/).some((l) => l.fields.peer === 9),
    2000,
    "the refusal logged naming peer 9",
  );
  t.deepEqual(
    c.logs.filter((l) => l.level >= 60),
    [],
    "nothing fatal logged",
  );
  await assertServing(t, c, 1, "a foreign batch");
});

test("oversize messages get INVALID_ARGUMENT or RESOURCE_EXHAUSTED on both ports and the node stays up", async (t) => {
  const c = await ItCluster.create(t, { nodes: 1, extraArgs: ["--peer-max-message-bytes", String(8 * MiB)] });
  c.startAll();
  await c.waitForLeader(30_000);
  const ep = c.endpoint(1);
  const big = [status.INVALID_ARGUMENT, status.RESOURCE_EXHAUSTED];
  for (const [what, run] of [
    ["a 2 MiB value", () => c.api.put(ep, "big", "x".repeat(2 * MiB))],
    ["a 5 MiB value", () => c.api.put(ep, "big", "x".repeat(5 * MiB))],
    ["a 2 KiB key", () => c.api.put(ep, "k".repeat(2048), "v")],
  ] as const) {
    const err = (await t.throwsAsync(run(), undefined, `${what} is refused`)) as
      | { code?: number }
      | undefined;
    t.true(big.includes(err?.code ?? -1), `${what}: ${describeError(err)}`);
    t.log(`${what}: ${describeError(err)}`);
  }
  t.false((await c.api.get(ep, "big")).found, "nothing of an oversize put was stored");

  // A 9 MiB batch on the peer port (over the 8 MiB limit this cluster was started with).
  const raw = new RaftTransportClient(c.plan(1).peer, credentials.createInsecure(), {
    "grpc.use_local_subchannel_pool": 1,
    "grpc.max_send_message_length": 64 * MiB,
  });
  t.teardown(() => raw.close());
  const entry = { term: 1, index: 2, type: "ENTRY_TYPE_NORMAL" as const, data: Buffer.alloc(9 * MiB, 1) };
  const outcome = await new Promise<{ code: number; details: string }>((resolve) => {
    const call = raw.Stream((err) =>
      resolve(err ? { code: err.code, details: err.details } : { code: 0, details: "" }),
    );
    call.on("error", () => {});
    call.write({
      clusterId: c.clusterId,
      from: 2,
      to: 1,
      messages: [{ type: "MESSAGE_TYPE_APP", to: 1, from: 2, term: 1, entries: [entry] }],
    });
    call.end();
  });
  t.log(`9 MiB peer batch: ${status[outcome.code]}: ${outcome.details}`);
  t.true(big.includes(outcome.code), "the oversize peer batch is refused");
  await assertServing(t, c, 1, "oversize messages");
});

test("raftvsctl with a bad flag or bad arguments exits 2 with a usage message", async (t) => {
  const r = await runScript(t, RAFTVSCTL, ["--no-such-flag", "status"]);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /no-such-flag/, "stderr names the bad flag");
  t.regex(r.stderr, /usage: raftvsctl/);

  const err: string[] = [];
  const io = { out: () => {}, err: (s: string) => err.push(s), env: {} };
  t.is(await runCtl(["kv", "put", "only-a-key"], io), 2, "kv put without a value");
  t.is(await runCtl(["member", "add", "4"], io), 2, "member add without --peer/--client");
  t.is(await runCtl(["--timeout-ms", "soon", "status"], io), 2, "a non-numeric --timeout-ms");
  t.is(await runCtl(["frobnicate"], io), 2, "an unknown command");
  t.true(
    err.every((line) => line.startsWith("raftvsctl: ")),
    err.join("\n"),
  );
});
