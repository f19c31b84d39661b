// The ipvsadm layouts: golden files for -L -n, --stats, --rate, --exact and -S (UPDATE_GOLDEN=1
// rewrites them), literal lines from ipvsadm's documented output, print_largenum and the sort.

import test from "ava";
import { ServiceTable } from "../../state/services/index.ts";
import { compareServices, formatList, largeNumber, serverStatsKey, unsavedSettings } from "./format.ts";
import { FIXTURE_STATS, fixtureTable, golden, ipvsadm } from "./testdata/fixture.ts";

test("golden: -L -n", async (t) => {
  const r = await ipvsadm(fixtureTable(), "-L -n", { stats: FIXTURE_STATS });
  t.is(r.code, 0);
  golden(t, "list-n.golden", r.out);
});

test("golden: -L -n --stats", async (t) => {
  const r = await ipvsadm(fixtureTable(), "-L -n --stats", { stats: FIXTURE_STATS });
  t.is(r.code, 0);
  golden(t, "stats.golden", r.out);
});

test("golden: -L -n --rate", async (t) => {
  const r = await ipvsadm(fixtureTable(), "-L -n --rate", { stats: FIXTURE_STATS });
  t.is(r.code, 0);
  golden(t, "rate.golden", r.out);
});

test("golden: -L -n --stats --exact", async (t) => {
  const r = await ipvsadm(fixtureTable(), "-L -n --stats --exact", { stats: FIXTURE_STATS });
  t.is(r.code, 0);
  golden(t, "exact-stats.golden", r.out);
});

test("golden: -S", async (t) => {
  const r = await ipvsadm(fixtureTable(), "-S -n");
  t.is(r.code, 0);
  t.is(r.err, "", "the fixture holds nothing -S cannot express");
  golden(t, "save.golden", r.out);
});

test("the layout is ipvsadm's: header, title and column positions, character for character", async (t) => {
  const lines = (await ipvsadm(fixtureTable(), "-Ln")).out.split("\n");
  // As printed by ipvsadm 1.31 for the same table (list_all, print_title, print_service_entry).
  t.is(lines[0], "IP Virtual Server version 1.2.1 (size=4096)");
  t.is(lines[1], "Prot LocalAddress:Port Scheduler Flags");
  t.is(lines[2], "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn");
  t.true(lines.includes("TCP  198.18.0.10:80 wrr persistent 300 mask 255.255.255.0"));
  t.true(lines.includes("  -> 198.18.1.10:80               Route   3      0          0         "));
  t.true(lines.includes("  -> 198.18.1.9:8080              Masq    1      0          0         "));
  t.true(lines.includes("  -> 198.18.1.11:80               Tunnel  1      0          0         "));
  t.true(lines.includes("  -> 198.18.1.12:9000             Proxy   0      0          0         "));
  t.true(lines.includes("UDP  [2001:db8::1]:53 sh (sh-fallback,sh-port) persistent 600 mask 64"));
  t.true(lines.includes("FWM  5 mh (mh-fallback)"));
  t.true(lines.includes("FWM  6 IPv6 rr persistent 120 mask 48"));
  t.true(lines.includes("SCTP 198.18.0.11:3868 lc"));
  // Every column of a real-server line starts under its title.
  const titleLine = lines[2]!;
  const row = lines.find((l) => l.startsWith("  -> 198.18.1.10:80 "))!;
  for (const col of ["Forward", "Weight", "ActiveConn", "InActConn"])
    t.not(row[titleLine.indexOf(col)], " ", `${col} column`);

  const stats = (await ipvsadm(fixtureTable(), "-Ln --stats")).out.split("\n");
  t.is(stats[1], "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes");
  t.is(stats[2], "  -> RemoteAddress:Port");
  t.true(stats.includes("TCP  198.18.0.10:80                      0        0        0        0        0"));
  t.true(stats.includes("  -> 198.18.1.10:80                      0        0        0        0        0"));
  const rate = (await ipvsadm(fixtureTable(), "-Ln --rate")).out.split("\n");
  t.is(rate[1], "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS");
  const save = (await ipvsadm(fixtureTable(), "-S")).out.split("\n");
  t.true(save.includes("-A -t 198.18.0.10:80 -s wrr -p 300 -M 255.255.255.0"));
  t.true(save.includes("-a -t 198.18.0.10:80 -r 198.18.1.10:80 -g -w 3"));
  t.true(save.includes("-A -f 6 -6 -s rr -p 120 -M 48"));
});

test("matches -L -n and --stats output published from real ipvsadm runs", (t) => {
  const table = new ServiceTable();
  table.apply(
    [
      {
        op: "service.add",
        service: {
          vip: "172.168.2.33",
          port: 80,
          scheduler: "wrr",
          persistence: { timeoutSec: 50 },
          realServers: [
            { address: "172.168.2.34", forward: "dr" },
            { address: "172.168.2.35", forward: "dr" },
          ],
        },
      },
    ],
    1,
  );
  const key = "tcp/172.168.2.33:80";
  const stats = {
    services: new Map([[key, { conns: 353, inPkts: 2387, outPkts: 0, inBytes: 425447, outBytes: 0 }]]),
    servers: new Map([
      [serverStatsKey(key, "172.168.2.34", 80), { conns: 169, inPkts: 1211, inBytes: 199557 }],
      [serverStatsKey(key, "172.168.2.35", 80), { conns: 184, inPkts: 1176, inBytes: 225890 }],
    ]),
  };
  t.is(
    formatList(table.list(), { view: "stats", exact: false, sort: true }, stats),
    "IP Virtual Server version 1.2.1 (size=4096)\n" +
      "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n" +
      "  -> RemoteAddress:Port\n" +
      "TCP  172.168.2.33:80                   353     2387        0   425447        0\n" +
      "  -> 172.168.2.34:80                   169     1211        0   199557        0\n" +
      "  -> 172.168.2.35:80                   184     1176        0   225890        0\n",
  );
  t.is(
    formatList(table.list(), { view: "default", exact: false, sort: true }),
    "IP Virtual Server version 1.2.1 (size=4096)\n" +
      "Prot LocalAddress:Port Scheduler Flags\n" +
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
      "TCP  172.168.2.33:80 wrr persistent 50\n" +
      "  -> 172.168.2.34:80              Route   1      0          0         \n" +
      "  -> 172.168.2.35:80              Route   1      0          0         \n",
  );
});

test("an empty table lists the header and title only, and saves nothing", async (t) => {
  const table = new ServiceTable();
  t.is(
    (await ipvsadm(table, "-L -n")).out,
    "IP Virtual Server version 1.2.1 (size=4096)\n" +
      "Prot LocalAddress:Port Scheduler Flags\n" +
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n",
  );
  const save = await ipvsadm(table, "-S");
  t.is(save.code, 0);
  t.is(save.out, "");
});

test("-L without -n prints the same numeric text (names are never resolved)", async (t) => {
  t.is((await ipvsadm(fixtureTable(), "-L")).out, (await ipvsadm(fixtureTable(), "-L -n")).out);
  t.is((await ipvsadm(fixtureTable(), "-l")).out, (await ipvsadm(fixtureTable(), "--list --numeric")).out);
});

test("print_largenum: %9llu below 100 million, then K/M/G/T with %8llu; --exact widens", (t) => {
  const cases: Array<[number | bigint, string, string]> = [
    [0, "        0", "        0"],
    [99_999_999, " 99999999", " 99999999"],
    [100_000_000, "  100000K", " 100000000"],
    [999_999_999, "  999999K", " 999999999"],
    [1_000_000_000, "    1000M", " 1000000000"],
    [99_999_999_999, "   99999M", " 99999999999"],
    [100_000_000_000, "     100G", " 100000000000"],
    [99_999_999_999_999, "   99999G", " 99999999999999"],
    [100_000_000_000_000n, "     100T", " 100000000000000"],
    [18_446_744_073_709_551_615n, "18446744T", " 18446744073709551615"],
  ];
  for (const [v, short, exact] of cases) {
    t.is(largeNumber(v, false), short, String(v));
    t.is(largeNumber(v, true), exact, `${v} exact`);
  }
});

test("the sort is ipvsadm's: address services first, IPv4 before IPv6, TCP<UDP<SCTP, numeric addresses", async (t) => {
  const order = (await ipvsadm(fixtureTable(), "-Ln")).out
    .split("\n")
    .filter((l) => /^(TCP|UDP|SCTP|FWM) /.test(l))
    .map((l) => l.split(" ").filter(Boolean).slice(0, 2).join(" "));
  t.deepEqual(order, [
    "TCP 198.18.0.9:80",
    "TCP 198.18.0.10:80",
    "TCP 198.18.0.10:443",
    "UDP 198.18.0.10:53",
    "SCTP 198.18.0.11:3868",
    "TCP [2001:db8::1]:443",
    "UDP [2001:db8::1]:53",
    "FWM 1",
    "FWM 5",
    "FWM 6",
    "FWM 6",
  ]);
  const out = (await ipvsadm(fixtureTable(), "-Ln")).out;
  t.true(out.indexOf("[2001:db8::b]:5353") < out.indexOf("[2001:db8::10]:53"), "::b before ::10");
  t.true(out.indexOf("198.18.1.9:8080") < out.indexOf("198.18.1.10:80"), ".9 before .10");
  t.true(out.indexOf("FWM  6\n") < out.indexOf("FWM  6 IPv6"), "IPv4 mark before IPv6 mark");
  t.is((await ipvsadm(fixtureTable(), "-Ln --sort")).out, out, "--sort is the default");
  const noSort = (await ipvsadm(fixtureTable(), "-Ln --nosort")).out;
  t.true(
    noSort.indexOf("FWM  1") < noSort.indexOf("TCP  198.18.0.10:80"),
    "--nosort keeps the table's key order",
  );
  const services = fixtureTable().list();
  t.is([...services].sort(compareServices)[0]!.key, "tcp/198.18.0.9:80");
});

test("--thresholds, --persistent-conn and --tun-info use their own ipvsadm layouts", async (t) => {
  const th = (await ipvsadm(fixtureTable(), "-Ln --thresholds", { stats: FIXTURE_STATS })).out.split("\n");
  t.is(th[1], "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn ");
  t.is(th[2], "  -> RemoteAddress:Port");
  t.true(th.includes("TCP  198.18.0.10:80 wrr persistent 300 mask 255.255.255.0"));
  t.true(th.includes("  -> 198.18.1.9:8080              100        50         3          1234567890"));
  const pc = (await ipvsadm(fixtureTable(), "-Ln --persistent-conn", { stats: FIXTURE_STATS })).out.split(
    "\n",
  );
  t.is(pc[1], "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn ");
  t.true(pc.includes("  -> 198.18.1.9:8080              1         9           3          1234567890"));
  const ti = (await ipvsadm(fixtureTable(), "-Ln --tun-info")).out.split("\n");
  t.is(ti[2], "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn");
  t.true(ti.includes("  -> 198.18.1.11:80               Tunnel  ipip          1      0          0         "));
  t.true(ti.includes("  -> 198.18.1.10:80               Route   n/a           3      0          0         "));
});

test("-c prints ipvsadm's connection header and no rows (there is no connection table yet)", async (t) => {
  const r = await ipvsadm(fixtureTable(), "-L -n -c");
  t.is(r.code, 0);
  t.is(
    r.out,
    "IPVS connection entries\npro expire state       source             virtual            destination\n",
  );
  t.is(r.err, "");
  const pe = await ipvsadm(fixtureTable(), "-Lnc --persistent-conn");
  t.is(
    pe.out,
    "IPVS connection entries\n" +
      "pro expire state       source             virtual            destination        pe name          pe_data\n",
  );
});

test("-L with a service lists only it, without the version line (ipvsadm's list_service)", async (t) => {
  const r = await ipvsadm(fixtureTable(), "-L -n -f 5");
  t.is(
    r.out,
    "Prot LocalAddress:Port Scheduler Flags\n" +
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
      "FWM  5 mh (mh-fallback)\n" +
      "  -> 198.18.1.5:80                Route   2      0          0         \n" +
      "  -> 198.18.1.6:80                Route   2      0          0         \n",
  );
  const v6 = await ipvsadm(fixtureTable(), ["-L", "-n", "-u", "[2001:DB8:0::1]:53"]);
  t.regex(v6.out, /^UDP {2}\[2001:db8::1\]:53 sh/m);
  const missing = await ipvsadm(fixtureTable(), "-L -t 198.18.0.99:80");
  t.is(missing.code, 6);
  t.regex(missing.err, /No such service: tcp\/198\.18\.0\.99:80/);
});

test("-S notes the settings it cannot carry on stderr, and still prints the rules", async (t) => {
  const table = new ServiceTable();
  table.apply(
    [
      {
        op: "service.add",
        service: {
          vip: "198.18.0.20",
          port: 80,
          mode: "http",
          maxConn: 50,
          realServers: [{ address: "198.18.1.1", pool: "api", maxConn: 10 }],
          http: { rules: [{ pathPrefix: "/api", pool: "api" }] },
        },
      },
    ],
    1,
  );
  t.deepEqual(unsavedSettings(table.get("tcp/198.18.0.20:80")!), [
    "mode http",
    "HTTP content rules",
    "connection limit 50",
    "198.18.1.1:80 connection limit 10",
    "198.18.1.1:80 pool api",
  ]);
  const r = await ipvsadm(table, "-S");
  t.is(r.code, 0);
  t.is(r.out, "-A -t 198.18.0.20:80 -s wlc\n-a -t 198.18.0.20:80 -r 198.18.1.1:80 -P -w 1\n");
  t.regex(r.err, /note: -S cannot express these settings of tcp\/198\.18\.0\.20:80: mode http/);
});
