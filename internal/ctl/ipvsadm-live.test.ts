// raftvsctl's ipvsadm mode against a live 3-node API cluster: ipvsadm commands change the
// replicated table, -Ln lists it from any node, and -S / -C / -R round-trips it.

import test from "ava";
import { startApiCluster } from "../admin/testing.ts";
import { runCtl } from "./index.ts";

async function ctl(
  endpoint: string,
  args: string[],
  stdin = "",
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCtl(["--endpoints", endpoint, ...args], {
    out: (s) => (out += `${s}\n`),
    err: (s) => (err += `${s}\n`),
    env: {},
    stdin: async () => stdin,
  });
  return { code, out, err };
}

test("ipvsadm commands build the table, -Ln shows it on every node, and save/clear/restore round-trips", async (t) => {
  const c = await startApiCluster(t);
  const [a, b, d] = c.members.map((m) => m.client) as [string, string, string];
  for (const args of [
    ["-A", "-t", "198.18.0.10:80", "-s", "wrr", "-p", "600"],
    ["-a", "-t", "198.18.0.10:80", "-r", "198.18.1.1:80", "-m", "-w", "3"],
    ["-a", "-t", "198.18.0.10:80", "-r", "198.18.1.2:80", "-m", "-w", "0"],
    ["-A", "-u", "198.18.0.11:53", "-s", "rr"],
    ["-a", "-u", "198.18.0.11:53", "-r", "198.18.1.3", "-P"],
  ]) {
    const r = await ctl(a, args);
    t.is(r.code, 0, `${args.join(" ")}: ${r.err}`);
  }
  const listing = await ctl(b, ["-Ln"]);
  t.is(listing.code, 0, listing.err);
  t.regex(listing.out, /TCP {2}198\.18\.0\.10:80 wrr persistent 600/);
  t.regex(listing.out, /-> 198\.18\.1\.1:80 +Masq +3 /);
  t.regex(listing.out, /UDP {2}198\.18\.0\.11:53 rr/);
  t.regex(listing.out, /-> 198\.18\.1\.3:53 +Proxy +1 /);
  const saved = await ctl(d, ["-S", "-n"]);
  t.is(saved.code, 0, saved.err);
  t.regex(saved.out, /-A -t 198\.18\.0\.10:80 -s wrr -p 600/);
  t.is((await ctl(a, ["-C"])).code, 0);
  t.notRegex((await ctl(b, ["-Ln"])).out, /198\.18\.0\.10/);
  const restored = await ctl(d, ["-R"], saved.out);
  t.is(restored.code, 0, restored.err);
  t.is((await ctl(a, ["-S", "-n"])).out, saved.out, "the restored table saves identically");
});

test("ipvsadm errors: a bad scheduler exits 2 with ipvsadm-style usage, an unknown service exits non-zero", async (t) => {
  const c = await startApiCluster(t);
  const ep = c.members[0]!.client;
  const bad = await ctl(ep, ["-A", "-t", "198.18.0.10:80", "-s", "fastest"]);
  t.is(bad.code, 2);
  t.regex(bad.err, /fastest/);
  const missing = await ctl(ep, ["-a", "-t", "198.18.0.99:80", "-r", "198.18.1.1"]);
  t.not(missing.code, 0);
  t.regex(missing.err, /no service tcp\/198\.18\.0\.99:80/);
});
