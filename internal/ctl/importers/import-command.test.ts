// `raftvsctl import`: against a fake client over a real in-memory ServiceTable, the YAML and the
// unmapped list are printed, --dry-run adds nothing, a real run adds everything in one go.

import { readFileSync } from "node:fs";
import test from "ava";
import { ServiceTable } from "../../state/services/index.ts";
import { yamlToSpecs } from "../declarative/from-yaml.ts";
import type { TableOp } from "../declarative/ops.ts";
import { detectFormat, importCommand } from "./import-command.ts";

const sample = (name: string) => readFileSync(new URL(`testdata/${name}`, import.meta.url), "utf8");

function harness(seed?: (table: ServiceTable) => void) {
  const table = new ServiceTable();
  let revision = 1;
  seed?.(table);
  const h = {
    table,
    out: [] as string[],
    err: [] as string[],
    transactions: [] as TableOp[][],
    run: (args: string[]) =>
      importCommand(args, {
        list: async () => ({ services: table.list(), revision }),
        apply: async (ops) => {
          h.transactions.push(ops);
          table.apply(ops, ++revision);
          return { revision };
        },
        readFile: async (path) => {
          if (path.startsWith("/nope")) throw new Error("ENOENT: no such file");
          return path.startsWith("inline:") ? path.slice(7) : sample(path);
        },
        out: (s) => h.out.push(s),
        err: (s) => h.err.push(s),
      }),
  };
  return h;
}

test("--dry-run prints the services as YAML and the unmapped lines, and adds nothing", async (t) => {
  const h = harness();
  t.is(await h.run(["haproxy-1.4.cfg", "--dry-run"]), 0);
  t.deepEqual(h.transactions, []);
  t.is(h.out.length, 1);
  t.true(h.out[0]!.startsWith("# raftvs virtual services\n# imported from haproxy-1.4.cfg (haproxy)\n"));
  t.deepEqual(
    yamlToSpecs(h.out[0]!).map((s) => [s.vip, s.port, s.scheduler]),
    [
      ["198.18.0.30", 80, "sh"],
      ["198.18.0.31", 25, "wrr"],
    ],
  );
  t.is(h.err[0]!.split("\n")[0], "haproxy-1.4.cfg: 32 items not mapped:");
  t.regex(
    h.err[0]!,
    /\n {2}line 19: contimeout 5000: 1\.4-era keyword for "timeout connect"; timeouts are not in/,
  );
  t.regex(
    h.err[0]!,
    /\n {2}line 46: :2222: listens on every address; raftvs services need a VIP: give --vip IP/,
  );
  t.deepEqual(h.err.slice(1), [
    "6 health checks found; not imported (not in the table yet)",
    "dry run: 2 services not added",
  ]);
});

test("a real import adds every service in one transaction; the printed YAML describes the result", async (t) => {
  const h = harness();
  t.is(await h.run(["keepalived-dr.conf"]), 0);
  t.is(h.transactions.length, 1);
  t.deepEqual(
    h.transactions[0]!.map((o) => o.op),
    ["service.add", "service.add", "service.add", "service.add"],
  );
  t.deepEqual(
    h.table.list().map((s) => s.key),
    ["fwm/7", "tcp/198.18.0.40:80", "tcp/198.18.0.41:25", "udp/[2001:db8::40]:53"],
  );
  const fromYaml = new ServiceTable();
  fromYaml.apply(
    yamlToSpecs(h.out[0]!).map((service) => ({ op: "service.add", service })),
    1,
  );
  t.deepEqual(fromYaml.list(), h.table.list());
  t.is(h.err.at(-1), "added 4 services in one transaction: revision 2");
});

test("--vip and --format are passed through; the format is otherwise guessed from the content", async (t) => {
  const h = harness();
  t.is(await h.run(["haproxy-1.4.cfg", "--vip", "198.18.0.32", "--format", "haproxy"]), 0);
  t.truthy(h.table.get("tcp/198.18.0.32:2222"));
  t.is(detectFormat(sample("haproxy-modern.cfg")), "haproxy");
  t.is(detectFormat(sample("keepalived-nat.conf")), "keepalived");
  t.is(detectFormat("nothing here"), undefined);
});

test("refusals: existing services, nothing importable, bad usage, unreadable or unknown files", async (t) => {
  const seeded = harness((table) =>
    table.apply([{ op: "service.add", service: { vip: "198.18.0.50", port: 80 } }], 1),
  );
  t.is(await seeded.run(["keepalived-nat.conf"]), 3);
  t.is(
    seeded.err.at(-1),
    'raftvsctl import: already in the table: tcp/198.18.0.50:80; nothing added (use "raftvsctl apply -f")',
  );
  t.deepEqual(seeded.transactions, []);

  const h = harness();
  t.is(await h.run(["inline:global\n  daemon\ndefaults\n  mode http\n"]), 1);
  t.is(h.err.at(-1), "raftvsctl import: no service could be imported");
  t.is(await h.run([]), 2);
  t.regex(h.err.at(-1)!, /give exactly one FILE/);
  t.is(await h.run(["a", "b"]), 2);
  t.is(await h.run(["haproxy-1.4.cfg", "--format", "nginx"]), 2);
  t.regex(h.err.at(-1)!, /--format must be haproxy or keepalived \(got "nginx"\)/);
  t.is(await h.run(["haproxy-1.4.cfg", "--frobnicate"]), 2);
  t.is(await h.run(["/nope.cfg"]), 1);
  t.is(h.err.at(-1), "raftvsctl import: cannot read /nope.cfg: ENOENT: no such file");
  t.is(await h.run(["inline:hello"]), 2);
  t.regex(h.err.at(-1)!, /cannot tell whether .* is an haproxy or a keepalived configuration; give --format/);
  t.deepEqual(h.transactions, []);
});
