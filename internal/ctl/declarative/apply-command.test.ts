// `raftvsctl apply`: against a fake client over a real in-memory ServiceTable, the diff is shown,
// --dry-run changes nothing, and a real run lands every change in one transaction.

import test from "ava";
import { ServiceTable, TableError, type VirtualService } from "../../state/services/index.ts";
import { applyCommand, DIFF_EXIT_CODE } from "./apply-command.ts";
import type { TableOp } from "./ops.ts";
import { tableToYaml } from "./to-yaml.ts";

function harness(files: Record<string, string>, seed?: (table: ServiceTable) => void) {
  const table = new ServiceTable();
  let revision = 1;
  seed?.(table);
  const h = {
    table,
    out: [] as string[],
    err: [] as string[],
    transactions: [] as Array<{ ops: TableOp[]; baseRevision: number }>,
    get revision() {
      return revision;
    },
    run(args: string[]) {
      return applyCommand(args, {
        list: async () => ({ services: table.list() as VirtualService[], revision }),
        apply: async (ops, { baseRevision }) => {
          if (baseRevision !== revision) throw new TableError("ops", "the table moved on");
          h.transactions.push({ ops, baseRevision });
          table.apply(ops, revision + 1);
          revision += 1;
          return { revision };
        },
        readFile: async (path) => {
          const text = files[path];
          if (text === undefined) throw new Error("ENOENT: no such file");
          return text;
        },
        out: (s) => h.out.push(s),
        err: (s) => h.err.push(s),
      });
    },
  };
  return h;
}

const seed = (table: ServiceTable) =>
  table.apply(
    [
      {
        op: "service.add",
        service: {
          vip: "198.18.0.10",
          port: 80,
          realServers: [{ address: "198.18.1.1" }, { address: "198.18.1.2" }],
        },
      },
      { op: "service.add", service: { fwmark: 9, realServers: [{ address: "198.18.2.1:22" }] } },
    ],
    1,
  );

const WANT = `services:
  - protocol: tcp
    vip: 198.18.0.10
    port: 80
    scheduler: wrr
    realServers:
      - address: 198.18.1.1:80
        weight: 5
      - 198.18.1.3:80
  - protocol: udp
    vip: 198.18.0.53
    port: 53
    scheduler: rr
    realServers: [198.18.3.1:53]
`;

const DIFF = [
  "- service fwm/9 (wlc, proxy, 1 real server)",
  "~ service tcp/198.18.0.10:80 scheduler wlc -> wrr",
  "~ server tcp/198.18.0.10:80 198.18.1.1:80 weight 1 -> 5",
  "- server tcp/198.18.0.10:80 198.18.1.2:80",
  "+ server tcp/198.18.0.10:80 198.18.1.3:80 (weight 1)",
  "+ service udp/198.18.0.53:53 (rr, proxy, 1 real server)",
  "+ server udp/198.18.0.53:53 198.18.3.1:53 (weight 1)",
].join("\n");

test("--dry-run prints the diff and changes nothing; --exit-code reports differences", async (t) => {
  const h = harness({ "want.yaml": WANT }, seed);
  const before = h.table.list();
  t.is(await h.run(["-f", "want.yaml", "--dry-run"]), 0);
  t.deepEqual(h.out, [DIFF, "7 changes: 3 added, 2 changed, 2 deleted", "dry run: nothing applied"]);
  t.is(await h.run(["-f", "want.yaml", "--dry-run", "--exit-code"]), DIFF_EXIT_CODE);
  t.deepEqual(h.transactions, []);
  t.deepEqual(h.table.list(), before);
  t.deepEqual(h.err, []);
});

test("apply lands every change in one transaction and prints the new revision", async (t) => {
  const h = harness({ "want.yaml": WANT }, seed);
  t.is(await h.run(["--filename", "want.yaml"]), 0);
  t.is(h.transactions.length, 1);
  t.is(h.transactions[0]!.ops.length, 6);
  t.is(h.revision, 2);
  t.deepEqual(h.out, [
    DIFF,
    "7 changes: 3 added, 2 changed, 2 deleted",
    "applied 6 ops in one transaction: revision 2",
  ]);
  t.deepEqual(
    h.table
      .list()
      .map((s) => [s.key, s.scheduler, s.realServers.map((r) => `${r.address}:${r.port}/${r.weight}`)]),
    [
      ["tcp/198.18.0.10:80", "wrr", ["198.18.1.1:80/5", "198.18.1.3:80/1"]],
      ["udp/198.18.0.53:53", "rr", ["198.18.3.1:53/1"]],
    ],
  );
  // applying the same file again, or the table's own YAML, changes nothing
  h.out.length = 0;
  t.is(await h.run(["-f", "want.yaml", "--dry-run", "--exit-code"]), 0);
  t.deepEqual(h.out, ["no changes: the table at revision 2 already matches want.yaml"]);
  const again = harness({ "got.yaml": tableToYaml(h.table.list(), { revision: 2 }) }, (table) =>
    table.apply(
      h.table.list().map((service) => ({ op: "service.add", service })),
      1,
    ),
  );
  t.is(await again.run(["-f", "got.yaml"]), 0);
  t.deepEqual(again.out, ["no changes: the table at revision 1 already matches got.yaml"]);
});

test("bad usage, unreadable and invalid files, and refusals exit with their codes", async (t) => {
  const h = harness(
    { "bad.yaml": "services:\n  - fwmark: 5\n    forward: teleport\n", "want.yaml": WANT },
    seed,
  );
  t.is(await h.run([]), 2);
  t.regex(h.err.pop()!, /-f FILE is required/);
  t.is(await h.run(["-f", "want.yaml", "--bogus"]), 2);
  t.regex(h.err.pop()!, /bogus/);
  t.is(await h.run(["-f", "want.yaml", "--exit-code"]), 2);
  t.is(await h.run(["-f", "missing.yaml"]), 1);
  t.is(h.err.pop(), "raftvsctl apply: cannot read missing.yaml: ENOENT: no such file");
  t.is(await h.run(["-f", "bad.yaml"]), 2);
  t.is(
    h.err.pop(),
    'raftvsctl apply: bad.yaml:3:5: services[0].forward: must be one of proxy, nat, dr, tun (got "teleport")',
  );
  const refusing = harness({ "want.yaml": WANT }, seed);
  const run = applyCommand(["-f", "want.yaml"], {
    list: async () => ({ services: refusing.table.list(), revision: 1 }),
    apply: async () => {
      throw new TableError("ops[2].server", "no real server 198.18.1.2:80 in tcp/198.18.0.10:80");
    },
    readFile: async () => WANT,
    out: () => {},
    err: (s) => refusing.err.push(s),
  });
  t.is(await run, 3);
  t.regex(refusing.err[0]!, /ops\[2\]\.server: no real server/);
  t.is(h.transactions.length, 0);
});
