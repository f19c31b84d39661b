// raftvsctl's modern table commands against a live 3-node API cluster: import an haproxy.cfg,
// list and show services, get -o yaml, edit the file, apply -f (diff, dry run, one transaction).

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { startApiCluster } from "../admin/testing.ts";
import { runCtl } from "./index.ts";

async function ctl(endpoint: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCtl(["--endpoints", endpoint, ...args], {
    out: (s) => (out += `${s}\n`),
    err: (s) => (err += `${s}\n`),
    env: {},
    stdin: async () => "",
  });
  return { code, out, err };
}

const HAPROXY = `
frontend web
    bind 198.18.0.20:80
    mode http
    default_backend app
backend app
    balance roundrobin
    server a1 198.18.2.1:8080 weight 10 check
    server a2 198.18.2.2:8080 weight 20 check
`;

test("import, service list/show, get -o yaml, then apply -f an edited file round-trips through the cluster", async (t) => {
  const c = await startApiCluster(t);
  const [a, b] = c.members.map((m) => m.client) as [string, string];
  const dir = mkdtempSync(join(tmpdir(), "raftvsctl-table-"));
  writeFileSync(join(dir, "haproxy.cfg"), HAPROXY);
  const imported = await ctl(a, ["import", join(dir, "haproxy.cfg")]);
  t.is(imported.code, 0, imported.err);
  const list = await ctl(b, ["service", "list"]);
  t.regex(list.out, /tcp\/198\.18\.0\.20:80 +wrr/);
  const show = await ctl(b, ["service", "show", "tcp/198.18.0.20:80"]);
  t.regex(show.out, /198\.18\.2\.2:8080 +20/);
  const yaml = await ctl(b, ["get", "-o", "yaml"]);
  t.is(yaml.code, 0, yaml.err);
  const file = join(dir, "services.yaml");
  writeFileSync(file, yaml.out.replace("wrr", "wlc"));
  const dry = await ctl(a, ["apply", "-f", file, "--dry-run"]);
  t.is(dry.code, 0, dry.err);
  t.regex(dry.out, /wrr.*wlc|scheduler/);
  t.is((await ctl(a, ["apply", "-f", file])).code, 0);
  const again = await ctl(b, ["get", "-o", "yaml"]);
  t.regex(again.out, /wlc/);
  const noop = await ctl(a, ["apply", "-f", file, "--dry-run", "--exit-code"]);
  t.is(noop.code, 0, "no differences left");
  t.truthy(readFileSync(file, "utf8"));
});

test("completion prints a bash script; -o yaml works for cluster commands", async (t) => {
  const c = await startApiCluster(t);
  const comp = await ctl(c.members[0]!.client, ["completion", "bash"]);
  t.regex(comp.out, /complete -F _raftvsctl raftvsctl/);
  const members = await ctl(c.members[0]!.client, ["-o", "yaml", "member", "list"]);
  t.regex(members.out, /peerAddress: 127\.0\.0\.1:\d+/);
});
