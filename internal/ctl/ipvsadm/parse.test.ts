// ipvsadm command-line parsing: every command and option in short, bundled, long and "=value"
// forms, the detector raftvsctl dispatches on, and a clear error for every bad argument.

import test from "ava";
import { isIpvsadmInvocation } from "./detect.ts";
import { type IpvsadmCommand, parseIpvsadmArgs } from "./parse.ts";

function ok(args: string | string[]): IpvsadmCommand {
  const argv = typeof args === "string" ? args.split(" ") : args;
  const r = parseIpvsadmArgs(argv);
  if ("error" in r) throw new Error(`${argv.join(" ")}: ${r.error}`);
  return r;
}

function bad(args: string | string[]): string {
  const argv = typeof args === "string" ? args.split(" ") : args;
  const r = parseIpvsadmArgs(argv);
  if (!("error" in r)) throw new Error(`${argv.join(" ")}: parsed, expected an error`);
  return r.error;
}

test("the detector takes ipvsadm command options first, short, bundled or long, and nothing else", (t) => {
  for (const argv of [
    ["-A", "-t", "1.2.3.4:80"],
    ["-E"],
    ["-D"],
    ["-a"],
    ["-e"],
    ["-d"],
    ["-C"],
    ["-L"],
    ["-l"],
    ["-Ln"],
    ["-S"],
    ["-R"],
    ["-Z"],
    ["--add-service"],
    ["--edit-service"],
    ["--delete-service"],
    ["--add-server"],
    ["--edit-server"],
    ["--delete-server"],
    ["--clear"],
    ["--list"],
    ["--save"],
    ["--restore"],
    ["--zero"],
    ["--start-daemon=master"],
  ])
    t.true(isIpvsadmInvocation(argv), argv.join(" "));
  for (const argv of [
    [],
    ["status"],
    ["-h"],
    ["--help"],
    ["-o", "json", "status"],
    ["--endpoints", "a:1", "-L"],
    ["-"],
    ["--"],
    ["-nL"],
    ["--lister"],
    ["kv", "-L"],
  ])
    t.false(isIpvsadmInvocation(argv), argv.join(" "));
});

test("service commands: -A/-E/-D with -t/-u/--sctp-service/-f, -s, -p [timeout], -M, -b, -6", (t) => {
  t.like(ok("-A -t 198.18.0.10:80 -s wrr -p 600 -M 255.255.255.0"), {
    command: "add-service",
    service: { kind: "address", key: "tcp/198.18.0.10:80", protocol: "tcp", ip: "198.18.0.10", port: 80 },
    scheduler: "wrr",
    persistence: { timeoutSec: 600, netmask: "255.255.255.0" },
  });
  t.like(ok("--add-service --udp-service [2001:DB8:0::1]:53 --scheduler=sh --persistent --netmask 64"), {
    service: { key: "udp/[2001:db8::1]:53", family: 6, ip: "2001:db8::1" },
    scheduler: "sh",
    persistence: { timeoutSec: 300, prefixLen: 64 },
  });
  t.like(ok("-E --sctp-service 198.18.0.11:3868 -s lc"), {
    command: "edit-service",
    service: { key: "sctp/198.18.0.11:3868", protocol: "sctp" },
  });
  t.like(ok("-A --sctp 198.18.0.11:3868"), { service: { key: "sctp/198.18.0.11:3868" } });
  t.like(ok("-D --fwmark-service 5"), {
    command: "delete-service",
    service: { kind: "fwmark", key: "fwm/5" },
  });
  t.like(ok("-A -f 6 -6 -s rr"), { service: { key: "fwm6/6", family: 6, fwmark: 6 } });
  t.like(ok("-A -6 -f 6"), { service: { key: "fwm6/6" } }, "-6 may come first");
  t.like(ok("--edit-service --fwmark-service=7 --ipv6"), { service: { key: "fwm6/7" } });
  t.is(ok("-A -t 198.18.0.10:80").scheduler, undefined, "the default is applied later");
  t.is(ok("-A -t 198.18.0.10:80").persistence, undefined);
});

test("-p takes an optional timeout: alone it is 300 s; a following option is not its value", (t) => {
  t.deepEqual(ok("-A -t 198.18.0.10:80 -p").persistence, { timeoutSec: 300 });
  t.deepEqual(ok("-A -t 198.18.0.10:80 -p -s rr").persistence, { timeoutSec: 300 });
  t.deepEqual(ok("-A -t 198.18.0.10:80 -p 600").persistence, { timeoutSec: 600 });
  t.deepEqual(ok("-A -t 198.18.0.10:80 -p600").persistence, { timeoutSec: 600 });
  t.deepEqual(ok("-A -t 198.18.0.10:80 --persistent=60").persistence, { timeoutSec: 60 });
  t.deepEqual(ok("-A -t 198.18.0.10:80 --persistent 60").persistence, { timeoutSec: 60 });
  t.deepEqual(ok("-A -t 198.18.0.10:80 -p 2678400").persistence, { timeoutSec: 2678400 });
  t.deepEqual(ok("-A -t 198.18.0.10:80 -p -M 255.255.0.0").persistence, {
    timeoutSec: 300,
    netmask: "255.255.0.0",
  });
  t.deepEqual(
    ok("-A -t 198.18.0.10:80 -p -M 255.255.255.255").persistence,
    { timeoutSec: 300 },
    "/32 is the default",
  );
  t.deepEqual(ok("-A -u [2001:db8::1]:53 -p -M 128").persistence, { timeoutSec: 300 }, "/128 is the default");
  t.is(
    ok("-A -t 198.18.0.10:80 -M 255.255.255.0").persistence,
    undefined,
    "-M without -p is ignored, as in ipvsadm",
  );
});

test("-b scheduler flags are checked against the scheduler and stored under its names", (t) => {
  t.deepEqual(ok("-A -t 198.18.0.10:80 -s sh -b sh-port,sh-fallback").schedFlags, ["sh-fallback", "sh-port"]);
  t.deepEqual(ok("-A -t 198.18.0.10:80 -s sh -b flag-1").schedFlags, ["sh-fallback"]);
  t.deepEqual(ok("-A -t 198.18.0.10:80 -s mh --sched-flags=mh-port").schedFlags, ["mh-port"]);
  t.deepEqual(ok("-A -t 198.18.0.10:80 -s wrr -b flag-3,flag-1").schedFlags, ["flag-1", "flag-3"]);
  t.deepEqual(ok("-A -t 198.18.0.10:80 -b flag-2").schedFlags, ["flag-2"], "the default scheduler wlc");
});

test("server commands: -a/-e/-d with -r, -g/-i/-m/-P, -w, -x, -y, --tun-type", (t) => {
  t.like(ok("-a -t 198.18.0.10:80 -r 198.18.1.1:8080 -m -w 3 -x 100 -y 50"), {
    command: "add-server",
    server: { ip: "198.18.1.1", port: 8080, family: 4 },
    forward: "nat",
    weight: 3,
    upperThreshold: 100,
    lowerThreshold: 50,
  });
  t.like(ok("-e -t 198.18.0.10:80 -r 198.18.1.1 -g"), { command: "edit-server", forward: "dr" });
  t.is(ok("-e -t 198.18.0.10:80 -r 198.18.1.1").server!.port, undefined);
  t.like(ok("-a -t 198.18.0.10:80 -r 198.18.1.1 -i --tun-type ipip"), { forward: "tun" });
  t.like(ok("-a -t 198.18.0.10:80 -r 198.18.1.1 --proxy"), { forward: "proxy" });
  t.like(ok("-a -t 198.18.0.10:80 -r 198.18.1.1 -P"), { forward: "proxy" });
  t.like(
    ok(
      "--add-server --tcp-service 198.18.0.10:80 --real-server 198.18.1.1:81 --masquerading --weight 0 --u-threshold 9 --l-threshold 0",
    ),
    { forward: "nat", weight: 0, upperThreshold: 9, lowerThreshold: 0 },
  );
  t.like(ok("-a -t 198.18.0.10:80 -r 198.18.1.1 --gatewaying"), { forward: "dr" });
  t.like(ok("-a -t 198.18.0.10:80 -r 198.18.1.1 --ipip"), { forward: "tun" });
  t.like(ok("-a -u [2001:db8::1]:53 -r [2001:db8::a]:5353"), { server: { ip: "2001:db8::a", port: 5353 } });
  t.like(ok("-a -u [2001:db8::1]:53 -r 2001:db8::a"), { server: { ip: "2001:db8::a", family: 6 } });
  t.like(ok("-d -t 198.18.0.10:80 -r 198.18.1.1:8080"), { command: "delete-server" });
  t.like(ok("-a -f 5 -r 198.18.1.1:80"), { service: { key: "fwm/5" }, server: { port: 80 } });
  t.like(ok("-a -t 198.18.0.10:80 -r 198.18.1.1 -w 2147483647"), { weight: 2147483647 });
});

test("list, save, restore, clear and help options", (t) => {
  t.like(ok("-L"), {
    command: "list",
    list: { numeric: false, connection: false, view: "default", exact: false, sort: true },
  });
  t.like(ok("-l -n"), { command: "list", list: { numeric: true } });
  t.like(ok("--list --numeric --stats --exact"), { list: { view: "stats", exact: true } });
  t.like(ok("-L --rate"), { list: { view: "rate" } });
  t.like(ok("-L --thresholds"), { list: { view: "thresholds" } });
  t.like(ok("-L --persistent-conn"), { list: { view: "persistent-conn", persistentConn: true } });
  t.like(ok("-L --tun-info"), { list: { view: "tun-info" } });
  t.like(ok("-L --stats --rate"), { list: { view: "stats" } }, "ipvsadm's precedence");
  t.like(ok("-L -X"), { list: { exact: true } });
  t.like(ok("-L --nosort"), { list: { sort: false } });
  t.like(ok("-L --sort"), { list: { sort: true } });
  t.like(ok("-L -c"), { list: { connection: true } });
  t.like(ok("-L --connection --persistent-conn"), { list: { connection: true, persistentConn: true } });
  t.like(ok("-L -t 198.18.0.10:80"), { service: { key: "tcp/198.18.0.10:80" } });
  t.is(ok("-S").command, "save");
  t.like(ok("--save --numeric"), { command: "save", list: { numeric: true } });
  t.is(ok("-R").command, "restore");
  t.is(ok("--restore").command, "restore");
  t.is(ok("-C").command, "clear");
  t.is(ok("--clear").command, "clear");
  t.is(ok("-h").command, "help");
  t.is(ok("-L --help").command, "help");
});

test("short options bundle as ipvsadm allows: -Ln, -Lnc, -At ADDR, -swrr, -Sn", (t) => {
  t.like(ok("-Ln"), { command: "list", list: { numeric: true } });
  t.like(ok("-Lnc"), { list: { numeric: true, connection: true } });
  t.like(ok(["-lnX", "--stats"]), { list: { numeric: true, exact: true, view: "stats" } });
  t.like(ok("-At 198.18.0.10:80 -swrr"), { command: "add-service", scheduler: "wrr" });
  t.like(ok("-at 198.18.0.10:80 -r198.18.1.1:81 -mw5"), {
    command: "add-server",
    server: { port: 81 },
    forward: "nat",
    weight: 5,
  });
  t.like(ok("-Af 5 -6"), { service: { key: "fwm6/5" } });
  t.like(ok("-Sn"), { command: "save" });
  t.like(ok("-Lt 198.18.0.10:80"), { command: "list", service: { key: "tcp/198.18.0.10:80" } });
});

test("every bad argument is refused with a message naming it", (t) => {
  const cases: Array<[string | string[], RegExp]> = [
    ["", /unexpected argument ""/],
    ["-n", /no command given/],
    ["-A -L", /more than one command given \(-A and -L\)/],
    ["-Ln -S", /more than one command/],
    ["-A", /-A \(--add-service\) needs a virtual service/],
    ["-E", /-E \(--edit-service\) needs a virtual service/],
    ["-D", /-D \(--delete-service\) needs a virtual service/],
    ["-a -t 198.18.0.10:80", /-a \(--add-server\) needs a real server: -r ADDRESS\[:PORT\]/],
    ["-e -t 198.18.0.10:80", /-e \(--edit-server\) needs a real server/],
    ["-d -t 198.18.0.10:80", /-d \(--delete-server\) needs a real server/],
    ["-a -r 198.18.1.1", /needs a virtual service/],
    ["-A -t 198.18.0.10:80 -w 3", /-w cannot be used with -A \(--add-service\)/],
    ["-A -t 198.18.0.10:80 -r 198.18.1.1", /-r cannot be used with -A/],
    ["-D -t 198.18.0.10:80 -s rr", /-s cannot be used with -D/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -s rr", /-s cannot be used with -a/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -p", /-p cannot be used with -a/],
    ["-d -t 198.18.0.10:80 -r 198.18.1.1 -m", /-m cannot be used with -d/],
    ["-C -t 198.18.0.10:80", /-t cannot be used with -C/],
    ["-S -c", /-c cannot be used with -S/],
    ["-S -t 198.18.0.10:80", /-t cannot be used with -S/],
    ["-R -n", /-n cannot be used with -R/],
    ["-L -s rr", /-s cannot be used with -L/],
    ["-L -n -n", /-n given twice/],
    ["-A -t 198.18.0.10:80 -t 198.18.0.10:81", /-t given twice/],
    ["-A -t 198.18.0.10:80 -f 5", /-f given twice/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -g -m", /-m given twice/],
    ["-L -c -t 198.18.0.10:80", /the connection table\) cannot be combined with a service/],
    ["-L -c --stats", /-c cannot be combined with --stats/],
    ["-L -c --rate", /-c cannot be combined with --rate/],
    ["-L -c --thresholds", /-c cannot be combined with --thresholds/],
    ["-A -t", /-t needs a value/],
    ["-A --tcp-service", /--tcp-service needs a value/],
    ["-L --stats=yes", /--stats takes no value/],
    ["-L --bogus", /unknown option --bogus/],
    ["-Lq", /unknown option -q \(in -Lq\)/],
    ["-L stray", /unexpected argument "stray"/],
    ["-L --", /unexpected argument "--"/],
    [
      "-A -t www.example.com:80",
      /"www\.example\.com" is a host name; raftvsctl needs a numeric IPv4 or IPv6 address/,
    ],
    ["-A -t localhost:80", /is a host name/],
    ["-A -t 300.1.1.1:80", /"300\.1\.1\.1" is not an IPv4 or IPv6 address/],
    ["-A -t 198.18.0.10", /the virtual service needs a port/],
    ["-A -t 2001:db8::1", /the virtual service needs a port/],
    ["-A -t [2001:db8::1]", /must be followed by :PORT/],
    ["-A -t [2001:db8::1]80", /must be followed by :PORT/],
    ["-A -t fe80::1%eth0:80", /IPv6 zone indexes \(%\.\.\.\) are not supported/],
    ["-A -t [fe80::1%eth0]:80", /zone indexes/],
    ["-A -t 2001:db8::1:80:x", /write an IPv6 address with a port as \[ADDRESS\]:PORT/],
    ["-A -t 198.18.0.10:http", /"http" is a service name; give the port number/],
    ["-A -t 198.18.0.10:0", /port 0 is not supported/],
    ["-A -t 198.18.0.10:65536", /the port must be in 1\.\.65535/],
    ["-A -t 198.18.0.10:8x", /"8x" is not a port number/],
    ["-A -t 80", /expected ADDRESS:PORT \(for a firewall mark use -f\)/],
    ["-A -f 0", /the firewall mark must be an integer in 1\.\.4294967295/],
    ["-A -f 4294967296", /firewall mark/],
    ["-A -f x", /firewall mark/],
    ["-A -t 198.18.0.10:80 -6", /-6 \(--ipv6\) applies only to a firewall-mark service/],
    ["-L -6", /-6 \(--ipv6\) applies only/],
    ["-A -t 198.18.0.10:80 -s fastest", /unknown scheduler "fastest" \(one of rr, wrr/],
    [
      "-A -t 198.18.0.10:80 -p 0",
      /-p: the persistence timeout in seconds must be an integer in 1\.\.2678400/,
    ],
    ["-A -t 198.18.0.10:80 -p 2678401", /persistence timeout/],
    ["-A -t 198.18.0.10:80 -p soon", /persistence timeout/],
    ["-A -t 198.18.0.10:80 -p -M 255.0.255.0", /-M: expected a dotted netmask with contiguous ones/],
    ["-A -t 198.18.0.10:80 -p -M 24", /-M: expected a dotted netmask/],
    ["-A -t 198.18.0.10:80 -M bogus", /-M: expected a dotted netmask/],
    ["-A -u [2001:db8::1]:53 -p -M 255.255.255.0", /prefix length 1\.\.128/],
    ["-A -u [2001:db8::1]:53 -p -M 129", /prefix length 1\.\.128/],
    ["-A -t 198.18.0.10:80 -b sh-port", /the flag sh-port needs the sh scheduler \(this service's is wlc\)/],
    ["-A -t 198.18.0.10:80 -s sh -b mh-port", /mh-port needs the mh scheduler/],
    ["-A -t 198.18.0.10:80 -b fast", /unknown scheduler flag "fast"/],
    ["-A -t 198.18.0.10:80 -b flag-1,", /unknown scheduler flag ""/],
    ["-a -t 198.18.0.10:80 -r 2001:db8::5", /the real server is IPv6 but the service is IPv4/],
    ["-a -u [2001:db8::1]:53 -r 198.18.1.1", /the real server is IPv4 but the service is IPv6/],
    ["-a -t 198.18.0.10:80 -r server1", /is a host name/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1:0", /port 0 is not supported/],
    ["-a -t 198.18.0.10:80 -r 42", /expected ADDRESS\[:PORT\]/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -w -1", /-w: the weight must be an integer in 0\.\.2147483647/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -w 2147483648", /the weight must be an integer/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -w heavy", /the weight must be an integer/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -x many", /-x: the upper connection threshold must be an integer/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -y 1.5", /-y: the lower connection threshold must be an integer/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -x 10 -y 20", /-y 20 \(lower threshold\) must not exceed -x 10/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 --tun-type ipip", /--tun-type needs the tunnelling method -i/],
    [
      "-a -t 198.18.0.10:80 -r 198.18.1.1 -i --tun-type gue",
      /GUE tunnels \(--tun-type gue\) are not supported/,
    ],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -i --tun-type vxlan", /--tun-type must be ipip/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -i --tun-port 6080", /GUE tunnels \(--tun-port\)/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -i --tun-csum", /GUE tunnels \(--tun-csum\)/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -i --tun-nocsum", /GUE tunnels \(--tun-nocsum\)/],
    ["-a -t 198.18.0.10:80 -r 198.18.1.1 -i --tun-remcsum", /GUE tunnels \(--tun-remcsum\)/],
    ["-A -u 198.18.0.10:53 -o", /one-packet scheduling \(-o\/--ops\) is not supported/],
    ["-A -u 198.18.0.10:53 --ops", /one-packet scheduling/],
    ["-A -u 198.18.0.10:53 --pe sip", /persistence engines \(--pe\) are not supported/],
    ["-Z", /zeroing counters \(-Z\) is not supported/],
    ["--zero", /zeroing counters/],
    ["--set 900 120 300", /--set \(connection timeouts\) is not supported/],
    ["--start-daemon master", /the connection sync daemon is not supported/],
    ["--stop-daemon backup", /the connection sync daemon is not supported/],
    ["-L --timeout", /--timeout is not supported/],
    ["-L --daemon", /--daemon is not supported/],
    ["-L --mcast-interface eth0", /sync daemon options \(--mcast-interface\)/],
    ["-L --mcast-group 224.0.0.81", /--mcast-group/],
    ["-L --mcast-port 8848", /--mcast-port/],
    ["-L --mcast-ttl 1", /--mcast-ttl/],
    ["-L --sync-maxlen 1472", /--sync-maxlen/],
    ["-L --syncid 1", /--syncid/],
    ["-L -v", /-v is not supported/],
  ];
  for (const [args, pattern] of cases) t.regex(bad(args), pattern, String(args));
});
