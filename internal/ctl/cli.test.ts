// raftvsctl's command line without a cluster: help texts, and the exit codes scripts rely on
// (2 bad usage, 4 nothing reachable) with a message on stderr for every refusal.

import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { runCtl } from "./index.ts";

async function ctl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCtl(args, {
    out: (s) => (out += `${s}\n`),
    err: (s) => (err += `${s}\n`),
    env: {},
    stdin: async () => "",
  });
  return { code, out, err };
}

test("--help prints the commands; a command's --help prints its usage", async (t) => {
  const top = await ctl(["--help"]);
  t.is(top.code, 0);
  t.regex(top.out, /member list\|add\|promote\|remove/);
  const member = await ctl(["member", "--help"]);
  t.is(member.code, 0);
  t.regex(member.out, /raftvsctl member add ID --peer HOST:PORT --client HOST:PORT/);
});

test("bad usage exits 2 with a message naming the problem", async (t) => {
  for (const [args, pattern] of [
    [["--bogus"], /bogus/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["-o", "xml", "status"], /-o must be table, json or yaml/],
    [["--timeout-ms", "soon", "status"], /--timeout-ms/],
    [["member", "add", "x", "--peer", "a:1", "--client", "b:2"], /member id must be a positive integer/],
    [["member", "add", "4"], /--peer HOST:PORT and --client HOST:PORT/],
    [["kv", "put", "k"], /needs a value/],
    [["leader", "transfer"], /target id/],
    [["cert", "node", "--out", "/tmp/x"], /--id N/],
  ] as Array<[string[], RegExp]>) {
    const r = await ctl(args);
    t.is(r.code, 2, args.join(" "));
    t.regex(r.err, pattern, args.join(" "));
  }
});

test("no reachable endpoint exits 4 and names the endpoints tried", async (t) => {
  const r = await ctl(["--endpoints", "127.0.0.1:1,127.0.0.1:2", "--timeout-ms", "500", "kv", "get", "k"]);
  t.is(r.code, 4);
  t.regex(r.err, /127\.0\.0\.1:1, 127\.0\.0\.1:2/);
});

test("cert ca and cert node write a CA and a node certificate signed by it", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "raftvsctl-cert-"));
  t.is((await ctl(["cert", "ca", "--out", dir])).code, 0);
  const node = await ctl([
    "cert",
    "node",
    "--id",
    "2",
    "--host",
    "127.0.0.1,node2.local",
    "--ca-dir",
    dir,
    "--out",
    dir,
  ]);
  t.is(node.code, 0, node.err);
  const ca = new X509Certificate(readFileSync(join(dir, "ca.pem")));
  const cert = new X509Certificate(readFileSync(join(dir, "node-2.pem")));
  t.true(cert.verify(ca.publicKey));
  t.regex(cert.subjectAltName ?? "", /node2\.local/);
});
