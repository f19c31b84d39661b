// Peer mutual TLS between real raftvsd processes: a cluster with certificates from its CA elects and
// commits; a peer with no certificate or one from a foreign CA is refused, and the refusal is logged.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import test from "ava";
import { createCa, createNodeCert, writeCertFiles } from "../internal/certs/index.ts";
import { runCtl } from "../internal/ctl/index.ts";
import { ItCluster, tempDir } from "./support/cluster.ts";
import { mapLimit, sleep, waitFor } from "./support/wait.ts";

const HOSTS = "127.0.0.1,localhost";

/** Runs raftvsctl in-process; returns its exit code and output. */
async function ctl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCtl(args, { out: (s) => out.push(s), err: (s) => err.push(s), env: {} });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/**
 * Opens a TLS connection to a peer port as a client (optionally with a certificate) and waits
 * until the server ends it or `ms` pass; returns our local port, by which the server logs us.
 */
function tlsProbe(
  address: string,
  ca: Buffer,
  client?: { cert: Buffer; key: Buffer },
  ms = 2000,
): Promise<number> {
  const i = address.lastIndexOf(":");
  return new Promise((resolve) => {
    let localPort = 0;
    const socket: TLSSocket = tlsConnect({
      host: address.slice(0, i),
      port: Number(address.slice(i + 1)),
      ca,
      ALPNProtocols: ["h2"],
      ...(client ?? {}),
    });
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(localPort);
    };
    const timer = setTimeout(done, ms);
    socket.on("connect", () => {
      localPort = socket.localPort ?? 0;
    });
    socket.on("secureConnect", () => socket.write(Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")));
    socket.on("data", () => {});
    socket.on("error", done);
    socket.on("close", done);
  });
}

test("a TLS cluster elects and commits; a peer with no certificate or a foreign one is refused and logged, and a foreign-CA node never catches up", async (t) => {
  const dir = tempDir(t);
  const caDir = join(dir, "ca");
  const certDir = join(dir, "certs");
  // The cluster's CA and node certificates, made with raftvsctl as an operator would.
  t.is((await ctl(["cert", "ca", "--out", caDir])).code, 0);
  for (const id of [1, 2, 3])
    t.is(
      (await ctl(["cert", "node", "--id", String(id), "--host", HOSTS, "--ca-dir", caDir, "--out", certDir]))
        .code,
      0,
    );
  // An impostor: trusts the cluster CA but its certificate comes from a CA of its own.
  const foreignCa = createCa({ commonName: "not the cluster CA", days: 1 });
  const impostor = createNodeCert(foreignCa, { nodeId: 4, hosts: HOSTS.split(","), days: 1 });
  writeCertFiles(certDir, "node-4", impostor);
  const caPem = readFileSync(join(caDir, "ca.pem"));

  const c = await ItCluster.create(t, {
    nodes: 3,
    spares: 1,
    argsFor: (id) => [
      ...["--tls-peer-ca", join(caDir, "ca.pem")],
      ...[
        "--tls-peer-cert",
        join(certDir, `node-${id}.pem`),
        "--tls-peer-key",
        join(certDir, `node-${id}-key.pem`),
      ],
    ],
  });
  const ids = c.initialIds;
  c.startAll();
  const leader = await c.waitForLeader(30_000);
  await c.waitServing();
  t.true(
    ids.every((id) => c.logsOf(id, /peer transport listening/).some((l) => l.fields.tls === true)),
    "every node listens with TLS",
  );
  await mapLimit(ids, 3, (id) => c.putRetry(`tls-${id}`, `via ${id}`, [id]));
  const converged = await c.waitConverged(ids, 10_000);
  t.is(new Set(converged.map((s) => s.stateHash)).size, 1, "the TLS cluster commits and converges");
  t.deepEqual(c.logsOf(undefined, /refused a peer connection/), [], "members accept each other");

  // No client certificate: refused by the server, logged with our address.
  const target = c.plan(leader).peer;
  const bare = await tlsProbe(target, caPem);
  await waitFor(
    () => c.logsOf(leader, /refused a peer connection/).some((l) => l.fields.remote === `127.0.0.1:${bare}`),
    5000,
    "the refusal of a client without a certificate in the log",
  );
  // A certificate from a foreign CA: refused, and the log says the certificate was rejected.
  const sentAt = performance.now();
  await tlsProbe(target, caPem, { cert: Buffer.from(impostor.certPem), key: Buffer.from(impostor.keyPem) });
  const rejected = () =>
    c
      .logsOf(leader, /refused a peer connection/)
      .find((l) => l.at >= sentAt && /certificate/i.test(String(l.fields.reason)));
  await waitFor(() => rejected() !== undefined, 5000, "the refusal of a foreign certificate in the log");
  t.log(`leader's log: ${rejected()!.msg} ${JSON.stringify(rejected()!.fields)}`);
  t.regex(
    String(rejected()!.fields.reason),
    /client certificate rejected/,
    "the reason names the rejected certificate",
  );

  // A 4th process with the impostor's certificate, same cluster id, added as a learner.
  c.start(4);
  await waitFor(async () => (await c.status(4)) !== undefined, 20_000, "node 4 answering Status");
  const p4 = c.plan(4);
  const addArgs = [
    ...["--endpoints", c.endpoints(ids).join(","), "member", "add", "4"],
    ...["--peer", p4.peer, "--client", p4.client, "--wait-ms", "3000"],
  ];
  let add = await ctl(addArgs);
  // Tried again only while the members hold an election (no leader: exit 4; slot lost: ABORTED);
  // a retry after the first try took effect finds node 4 already a learner (exit 3).
  for (let i = 0; i < 3 && (add.code === 4 || /ABORTED|no leader/.test(add.err)); i++) {
    t.log(`raftvsctl member add 4: exit ${add.code} (${add.err.trim()}); trying again`);
    await sleep(500);
    add = await ctl(addArgs);
  }
  t.log(`raftvsctl member add 4: exit ${add.code}: ${add.err.trim()}`);
  t.true([5, 3].includes(add.code), "member add reports that node 4 did not catch up (5; 3 on a retry)");
  // Give it time: a node able to talk would have caught up (a few hundred entries) by far.
  await sleep(2000);
  const lead = await c.waitForLeader(10_000, ids);
  const ls = (await c.status(lead))!;
  t.true(ls.learners.includes(4), "node 4 is a learner");
  t.is(ls.progress.find((p) => p.id === 4)?.match ?? 0, 0, "the leader never got an entry to node 4");
  const s4 = (await c.status(4))!;
  t.is(s4.appliedIndex, 0, "node 4 applied nothing");
  t.false(s4.voters.length > 0 || s4.stateHash === ls.stateHash, "node 4 holds none of the cluster's state");
  const named = c.logs.filter(
    (l) =>
      l.node !== 4 &&
      l.fields.peer === 4 &&
      /fail|refus/i.test(l.msg) &&
      /certificate|handshake|TLS/i.test(JSON.stringify(l.fields)),
  );
  t.true(named.length > 0, "the cluster's log names node 4 with the TLS failure");
  if (named[0]) t.log(`node ${named[0].node}'s log: ${named[0].msg} ${JSON.stringify(named[0].fields)}`);

  // The impostor changes nothing for the members: they still commit.
  await c.putRetry("after-impostor", "ok", ids);
  t.is((await c.getRetry("after-impostor", [ids[2]!])).value, "ok");
});

// PRODUCT BUG (reported to the lead): when a client certificate fails verification, the refusal
// line of internal/transport/listener.ts ("refused a peer connection: TLS handshake failed")
// carries remote "unknown": the tlsClientError handler reads socket.remoteAddress after Node has
// destroyed the socket. The address should be captured when the connection arrives. (A client
// with no certificate is logged with its address.) Remove `.failing` once the address is logged.
test("the refusal of a peer with a foreign-CA certificate names the peer's address", async (t) => {
  const dir = tempDir(t);
  const ca = createCa({ commonName: "cluster CA", days: 1 });
  const caFiles = writeCertFiles(dir, "ca", ca);
  const node = writeCertFiles(
    dir,
    "node-1",
    createNodeCert(ca, { nodeId: 1, hosts: HOSTS.split(","), days: 1 }),
  );
  const impostor = createNodeCert(createCa({ commonName: "foreign CA", days: 1 }), {
    nodeId: 2,
    hosts: ["127.0.0.1"],
    days: 1,
  });
  const c = await ItCluster.create(t, {
    nodes: 1,
    dumpLogsOnFailure: false,
    extraArgs: [
      "--tls-peer-ca",
      caFiles.certPath,
      "--tls-peer-cert",
      node.certPath,
      "--tls-peer-key",
      node.keyPath,
    ],
  });
  c.startAll();
  await c.waitForLeader(30_000);
  const sentAt = performance.now();
  const port = await tlsProbe(c.plan(1).peer, Buffer.from(ca.certPem), {
    cert: Buffer.from(impostor.certPem),
    key: Buffer.from(impostor.keyPem),
  });
  await waitFor(
    () => c.logsOf(1, /refused a peer connection/).some((l) => l.at >= sentAt),
    5000,
    "the refusal",
  );
  const line = c.logsOf(1, /refused a peer connection/).find((l) => l.at >= sentAt)!;
  t.log(`${line.msg} ${JSON.stringify(line.fields)}`);
  t.is(line.fields.remote, `127.0.0.1:${port}`);
});
