// The ipvsadm mode against a real ServiceTable: ipvsadm's -E/-e semantics, ports under -g/-i,
// -R as one all-or-nothing transaction, save -> clear -> restore giving the identical table, and
// the exit codes (2 bad usage, 6 no such service, the client's code when a change is refused).

import test from "ava";
import { ServiceTable } from "../../state/services/index.ts";
import { parseIpvsadmArgs } from "./parse.ts";
import { runIpvsadmMode } from "./run.ts";
import { FIXTURE_STATS, fixtureTable, ipvsadm, tableClient } from "./testdata/fixture.ts";
import { commandToOps, restoreToOps, ruleLines } from "./to-ops.ts";

const WEB = "tcp/198.18.0.10:80";

async function withWeb(): Promise<ServiceTable> {
  const table = new ServiceTable();
  for (const cmd of [
    "-A -t 198.18.0.10:80 -s sh -b sh-port -p 600 -M 255.255.255.0",
    "-a -t 198.18.0.10:80 -r 198.18.1.1:8080 -m -w 5 -x 100 -y 10",
  ])
    if ((await ipvsadm(table, cmd)).code !== 0) throw new Error(cmd);
  return table;
}

test("-A uses ipvsadm's defaults: wlc, no persistence, no flags; -a defaults to -g and weight 1", async (t) => {
  const table = new ServiceTable();
  t.is((await ipvsadm(table, "-A -t 198.18.0.10:80")).code, 0);
  t.is((await ipvsadm(table, "-a -t 198.18.0.10:80 -r 198.18.1.1")).code, 0);
  const svc = table.get(WEB)!;
  t.like(svc, { scheduler: "wlc", schedFlags: [], persistence: undefined });
  t.like(svc.realServers[0], { address: "198.18.1.1", port: 80, forward: "dr", weight: 1 });
  t.like(svc.realServers[0], { upperThreshold: 0, lowerThreshold: 0 });
});

test("-E replaces scheduler, flags and persistence as ipvsadm does: what is not given is reset", async (t) => {
  const table = await withWeb();
  t.like(table.get(WEB), {
    scheduler: "sh",
    schedFlags: ["sh-port"],
    persistence: { timeoutSec: 600, netmask: "255.255.255.0" },
  });
  // ipvsadm -E without -p turns persistence off, without -s sets wlc, without -b clears the flags.
  t.is((await ipvsadm(table, "-E -t 198.18.0.10:80 -s rr")).code, 0);
  const edited = table.get(WEB)!;
  t.is(edited.scheduler, "rr");
  t.deepEqual(edited.schedFlags, []);
  t.is(edited.persistence, undefined);
  t.is(edited.realServers.length, 1, "the real servers stay");
  t.is((await ipvsadm(table, "-E -t 198.18.0.10:80 -p 60")).code, 0);
  t.like(table.get(WEB), { scheduler: "wlc", persistence: { timeoutSec: 60 } });
  t.is(table.get(WEB)!.persistence!.netmask, undefined, "no -M: per-address persistence again");
  const cmd = parseIpvsadmArgs(["-E", "-f", "5"]);
  if ("error" in cmd) return t.fail(cmd.error);
  t.deepEqual(
    commandToOps(cmd),
    {
      ops: [
        {
          op: "service.edit",
          service: { fwmark: 5, family: 4, scheduler: "wlc", schedFlags: [], persistence: null },
        },
      ],
      warnings: [],
    },
    "the op carries every setting, including persistence: null",
  );
});

test("-E keeps the settings ipvsadm cannot name (mode, limits, default method)", async (t) => {
  const table = new ServiceTable();
  table.apply(
    [{ op: "service.add", service: { vip: "198.18.0.10", port: 80, forward: "nat", maxConn: 7 } }],
    1,
  );
  t.is((await ipvsadm(table, "-E -t 198.18.0.10:80 -s wrr")).code, 0);
  t.like(table.get(WEB), { scheduler: "wrr", forward: "nat", maxConn: 7, mode: "l4" });
});

test("-e replaces weight, method and thresholds as ipvsadm does (weight 1, -g, 0 unless given)", async (t) => {
  const table = await withWeb();
  t.is((await ipvsadm(table, "-e -t 198.18.0.10:80 -r 198.18.1.1:8080 -m -w 7")).code, 0);
  t.like(table.get(WEB)!.realServers[0], {
    port: 8080,
    forward: "nat",
    weight: 7,
    upperThreshold: 0,
    lowerThreshold: 0,
  });
  t.is((await ipvsadm(table, "-e -t 198.18.0.10:80 -r 198.18.1.1:8080 -P")).code, 0);
  t.like(table.get(WEB)!.realServers[0], { forward: "proxy", weight: 1 });
  t.is((await ipvsadm(table, "-e -t 198.18.0.10:80 -r 198.18.1.1:8080 -m -x 9")).code, 0);
  t.like(table.get(WEB)!.realServers[0], { forward: "nat", weight: 1, upperThreshold: 9 });
  // Without a method -e means -g, which keeps the service's port: this edits 198.18.1.1:80, absent here.
  const r = await ipvsadm(table, "-e -t 198.18.0.10:80 -r 198.18.1.1:8080 -w 3");
  t.not(r.code, 0);
  t.regex(r.err, /warning: -r 198\.18\.1\.1:8080: direct routing keeps the service's port/);
  t.regex(r.err, /no real server 198\.18\.1\.1:80/);
});

test("-g and -i keep the service's port (with a warning); -m and -P keep the given one", async (t) => {
  const table = new ServiceTable();
  await ipvsadm(table, "-A -t 198.18.0.10:80");
  const dr = await ipvsadm(table, "-a -t 198.18.0.10:80 -r 198.18.1.1:8080 -g");
  t.is(dr.code, 0);
  t.regex(dr.err, /real server is 198\.18\.1\.1:80 \(as in ipvsadm\)/);
  const tun = await ipvsadm(table, "-a -t 198.18.0.10:80 -r 198.18.1.2:8080 -i");
  t.regex(tun.err, /tunnelling keeps the service's port/);
  t.is((await ipvsadm(table, "-a -t 198.18.0.10:80 -r 198.18.1.3:8080 -m")).err, "");
  t.is((await ipvsadm(table, "-a -t 198.18.0.10:80 -r 198.18.1.4:8080 -P")).err, "");
  t.deepEqual(
    table.get(WEB)!.realServers.map((r) => `${r.address}:${r.port} ${r.forward}`),
    ["198.18.1.1:80 dr", "198.18.1.2:80 tun", "198.18.1.3:8080 nat", "198.18.1.4:8080 proxy"],
  );
  t.is((await ipvsadm(table, "-d -t 198.18.0.10:80 -r 198.18.1.3:8080")).code, 0);
  t.is((await ipvsadm(table, "-d -t 198.18.0.10:80 -r 198.18.1.1")).code, 0, "no port: the service's");
  t.is(table.get(WEB)!.realServers.length, 2);
});

test("firewall-mark services: real servers need a port, -6 services take IPv6 servers", async (t) => {
  const table = new ServiceTable();
  t.is((await ipvsadm(table, "-A -f 5 -s mh -b mh-port")).code, 0);
  const noPort = await ipvsadm(table, "-a -f 5 -r 198.18.1.5");
  t.is(noPort.code, 2);
  t.regex(noPort.err, /a firewall-mark service's real server needs a port/);
  t.is((await ipvsadm(table, "-a -f 5 -r 198.18.1.5:8080 -g")).code, 0);
  t.is(table.get("fwm/5")!.realServers[0]!.port, 8080, "a mark has no port to force");
  t.is((await ipvsadm(table, "-d -f 5 -r 198.18.1.5")).code, 2);
  t.is((await ipvsadm(table, "-A -f 5 -6 -p -M 64")).code, 0);
  t.is((await ipvsadm(table, "-a -f 5 -6 -r [2001:db8::5]:80 -i")).code, 0);
  t.like(table.get("fwm6/5"), { family: 6, persistence: { timeoutSec: 300, prefixLen: 64 } });
  t.is((await ipvsadm(table, "-D -f 5")).code, 0);
  t.is(table.get("fwm/5"), undefined);
  t.truthy(table.get("fwm6/5"));
});

test("-C clears the table; -D deletes one service", async (t) => {
  const table = fixtureTable();
  t.is((await ipvsadm(table, "-D -t 198.18.0.10:80")).code, 0);
  t.is(table.get(WEB), undefined);
  t.is((await ipvsadm(table, "--clear")).code, 0);
  t.is(table.size, 0);
});

test("save -> clear -> restore gives back the identical table, in one transaction", async (t) => {
  const table = fixtureTable();
  const before = table.list();
  const saved = await ipvsadm(table, "-S -n");
  t.is(saved.code, 0);
  t.is((await ipvsadm(table, "-C")).code, 0);
  t.is(table.size, 0);
  const client = tableClient(table, { stdin: saved.out });
  t.is(await runIpvsadmMode(["-R"], client), 0);
  t.is(client.output.err, "");
  t.is(client.applied.length, 1, "one transaction");
  t.deepEqual(table.list(), before);
  t.is((await ipvsadm(table, "-S -n")).out, saved.out);
  t.is(
    (await ipvsadm(table, "-Ln --stats", { stats: FIXTURE_STATS })).out,
    (await ipvsadm(fixtureTable(), "-Ln --stats", { stats: FIXTURE_STATS })).out,
  );
});

test("-R is all or nothing: a bad line or a refused change leaves the table as it was", async (t) => {
  const table = await withWeb();
  const before = table.list();
  const parseError = await ipvsadm(table, "-R", {
    stdin: "-A -t 198.18.0.20:80 -s rr\n-a -t 198.18.0.20:80 -r 198.18.1.2 -w lots\n",
  });
  t.is(parseError.code, 2);
  t.regex(parseError.err, /-R: line 2: -w: the weight must be an integer .* \(nothing was applied\)/);
  const refused = await ipvsadm(table, "-R", {
    stdin: "-A -t 198.18.0.20:80 -s rr\n-A -t 198.18.0.10:80 -s rr\n",
  });
  t.is(refused.code, 1);
  t.regex(refused.err, /ops\[1\]\.service: service tcp\/198\.18\.0\.10:80 already exists/);
  const notAChange = await ipvsadm(table, "-R", { stdin: "-C\n-L -n\n" });
  t.is(notAChange.code, 2);
  t.regex(notAChange.err, /line 2: only -A -E -D -a -e -d -C may appear in restore input \(got -L -n\)/);
  t.deepEqual(table.list(), before);
});

test("-R reads ipvsadm's input format: comments, blank lines, 'ipvsadm' words, -C first", async (t) => {
  const table = await withWeb();
  const text = [
    "# saved by hand",
    "",
    "ipvsadm -C",
    "ipvsadm -A -t 198.18.0.30:80 -s wrr   # web",
    "\t-a -t 198.18.0.30:80 -r 198.18.1.30:8080 -m -w 2\r",
    "-E -t 198.18.0.30:80 -s rr -p",
  ].join("\n");
  t.deepEqual(
    ruleLines(text).map((l) => l.line),
    [3, 4, 5, 6],
  );
  const r = await ipvsadm(table, "-R", { stdin: text });
  t.is(r.code, 0, r.err);
  t.deepEqual(
    table.list().map((s) => s.key),
    ["tcp/198.18.0.30:80"],
  );
  t.like(table.get("tcp/198.18.0.30:80"), { scheduler: "rr", persistence: { timeoutSec: 300 } });
  const empty = await ipvsadm(table, "-R", { stdin: "# nothing\n\n" });
  t.is(empty.code, 0);
  t.is(table.size, 1);
  t.deepEqual(restoreToOps(""), { ops: [], warnings: [] });
  const warned = restoreToOps("-A -t 198.18.0.40:80\n-a -t 198.18.0.40:80 -r 198.18.1.4:81\n");
  t.deepEqual("warnings" in warned ? warned.warnings : [], [
    "line 2: -r 198.18.1.4:81: direct routing keeps the service's port, so the real server is 198.18.1.4:80 (as in ipvsadm)",
  ]);
});

test("exit codes: 0 ok, 2 bad usage, 6 no such service, the client's code when refused", async (t) => {
  const table = await withWeb();
  t.is((await ipvsadm(table, "-L -n")).code, 0);
  const usage = await ipvsadm(table, "-L --bogus");
  t.is(usage.code, 2);
  t.is(usage.err, "raftvsctl: unknown option --bogus\n");
  t.is((await ipvsadm(table, "-L -u 198.18.0.10:80")).code, 6);
  const dup = await ipvsadm(table, "-A -t 198.18.0.10:80");
  t.is(dup.code, 1, "a TableError carries no exit code");
  t.regex(dup.err, /already exists/);
  const client = tableClient(table);
  client.apply = async () => {
    throw Object.assign(new Error("127.0.0.1:8001: FAILED_PRECONDITION: not the leader"), { exitCode: 3 });
  };
  const code = await runIpvsadmMode(["-D", "-t", "198.18.0.10:80"], client);
  t.is(code, 3);
  t.regex(client.output.err, /FAILED_PRECONDITION/);
  const help = await ipvsadm(table, "-L -h");
  t.is(help.code, 0);
  t.regex(help.out, /ipvsadm-compatible mode/);
  t.regex(help.out, /-P\|--proxy/);
});

test("listing and saving never call apply; changes never read stdin", async (t) => {
  const table = fixtureTable();
  for (const args of [["-Ln"], ["-S"], ["-Lnc"], ["-L", "--stats"]]) {
    const client = tableClient(table);
    client.apply = async () => {
      throw new Error("apply called");
    };
    t.is(await runIpvsadmMode(args, client), 0, args.join(" "));
  }
  const client = tableClient(table);
  client.stdin = async () => {
    throw new Error("stdin read");
  };
  t.is(await runIpvsadmMode(["-D", "-f", "1"], client), 0);
});
