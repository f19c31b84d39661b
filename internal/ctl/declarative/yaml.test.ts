// Services YAML: the table round-trips through tableToYaml and yamlToSpecs unchanged, defaults
// are left out, and a bad file is refused with its line, column and field path.

import test from "ava";
import { ServiceTable, serviceOf } from "../../state/services/index.ts";
import { richTable } from "./fixtures.ts";
import { DeclarativeError, yamlToSpecs } from "./from-yaml.ts";
import { tableToYaml } from "./to-yaml.ts";

test("table -> YAML -> specs -> table gives the same canonical rows", (t) => {
  const table = richTable();
  const text = tableToYaml(table.list(), { revision: 1 });
  const specs = yamlToSpecs(text, "services.yaml");
  const again = new ServiceTable();
  again.apply(
    specs.map((service) => ({ op: "service.add", service })),
    1,
  );
  t.deepEqual(again.list(), table.list());
  t.deepEqual(
    specs.map((s, i) => serviceOf(s, `s${i}`)),
    table.list(),
  );
  // and writing it again gives the same text
  t.is(tableToYaml(again.list(), { revision: 1 }), text);
});

test("the YAML is short: defaults are left out, plain servers are one address:port string", (t) => {
  const text = tableToYaml(richTable().list(), { revision: 42 });
  t.true(text.startsWith("# raftvs virtual services at revision 42\n"));
  const sctp = text.slice(text.indexOf("protocol: sctp"));
  t.is(
    sctp.slice(0, sctp.indexOf("  - protocol: tcp")),
    "protocol: sctp\n    vip: 198.18.0.30\n    port: 3868\n    scheduler: rr\n    realServers: []\n",
  );
  const dr = text.slice(text.indexOf("vip: 198.18.0.20"), text.indexOf("vip: 198.18.0.40"));
  t.is(
    dr,
    [
      "vip: 198.18.0.20",
      "    port: 443",
      "    scheduler: wlc",
      "    persistence:",
      "      timeoutSec: 1800",
      "      netmask: 255.255.255.0",
      "    forward: dr",
      "    realServers:",
      "      - address: 198.18.4.1:443",
      "        upperThreshold: 1000",
      "        lowerThreshold: 800",
      "      - address: 198.18.4.2:8443",
      "        forward: nat",
      "      - address: 198.18.4.3:443",
      "        weight: 3",
      "        forward: proxy",
      "  - protocol: tcp",
      "    ",
    ].join("\n"),
  );
  t.regex(text, /- fwmark: 8\n {4}family: 6\n/);
  t.regex(text, /- "\[2001:db8:1::1\]:53"\n/);
  t.false(/weight: 1\n/.test(text));
});

test("an empty table is an empty list, and an empty list reads back as no services", (t) => {
  const text = tableToYaml([]);
  t.regex(text, /^services: \[\]$/m);
  t.deepEqual(yamlToSpecs(text), []);
});

function refusal(t: import("ava").ExecutionContext, text: string): DeclarativeError {
  const err = t.throws(() => yamlToSpecs(text, "svc.yaml"), { instanceOf: DeclarativeError })!;
  return err;
}

test("errors name the file, line, column and field path", (t) => {
  const base = `services:
  - protocol: tcp
    vip: 198.18.0.10
    port: 80
    realServers:
      - 198.18.1.1:8080
      - address: 198.18.1.2
        weight: heavy
`;
  let e = refusal(t, base);
  t.is(
    e.message,
    'svc.yaml:8:9: services[0].realServers[1].weight: must be an integer in 0..2147483647 (got "heavy")',
  );
  t.is(e.line, 8);
  e = refusal(t, base.replace("weight: heavy", "wieght: 2"));
  t.is(
    e.message,
    "svc.yaml:8:9: services[0].realServers[1].wieght: unknown field (expected one of address, port, weight, forward, upperThreshold, lowerThreshold, maxConn, pool)",
  );
  e = refusal(
    t,
    base.replace("weight: heavy", "weight: 2").replace("    port: 80\n", "    port: 80\n    sheduler: wrr\n"),
  );
  t.regex(e.message, /^svc\.yaml:5:5: services\[0\]\.sheduler: unknown field/);
  e = refusal(t, base.replace("weight: heavy", "weight: 2").replace("198.18.0.10", "198.18.0.300"));
  t.is(e.message, 'svc.yaml:3:5: services[0].vip: is not an IPv4 or IPv6 address (got "198.18.0.300")');
  e = refusal(t, base.replace("weight: heavy", "weight: 2").replace("- 198.18.1.1:8080", "- 2001:db8::1"));
  t.is(e.message, "svc.yaml:6:9: services[0].realServers[0].address: is IPv6 but the service is IPv4");
  e = refusal(t, `services:\n  - fwmark: 5\n    realServers: [198.18.1.1:80]\n  - fwmark: 5\n`);
  t.is(e.message, "svc.yaml:4:5: services[1]: service fwm/5 is already defined at services[0]");
  e = refusal(t, `services:\n  - fwmark: 5\n    fwmark: 6\n`);
  t.regex(e.message, /^svc\.yaml:3:5: invalid YAML \(DUPLICATE_KEY\)/);
  e = refusal(t, `services:\n  - fwmark: 5\n    realServers: [198.18.1.1:80\n`);
  t.regex(e.message, /^svc\.yaml:\d+:\d+: invalid YAML/);
  e = refusal(t, `services:\n  - fwmark: 5\n    mode: http\n`);
  t.is(e.message, "svc.yaml:3:5: services[0].mode: http needs a tcp service with a vip and port");
  e = refusal(
    t,
    `services:\n  - vip: 198.18.0.1\n    port: 80\n    mode: http\n    http:\n      rules:\n        - host: a.example\n          pool: nowhere\n`,
  );
  t.is(e.message, 'svc.yaml:8:11: services[0].http.rules[0].pool: no real server is in pool "nowhere"');
});

test("a document without a services list is refused rather than read as an empty table", (t) => {
  t.is(refusal(t, "").message, 'svc.yaml:1:1: the document must be a map with a "services:" list');
  t.is(
    refusal(t, "services:\n").message,
    'svc.yaml:1:1: services: is required: a list of services ("services: []" for none)',
  );
  t.regex(
    refusal(t, "service: []\n").message,
    /^svc\.yaml:1:1: service: unknown field \(expected one of services\)/,
  );
  t.is(
    refusal(t, "services:\n  - 198.18.0.1:80\n").message,
    "svc.yaml:2:5: services[0]: must be a map (protocol, vip, port or fwmark, ...)",
  );
});
