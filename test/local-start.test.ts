// `npm start`'s launcher (cmd/raftvs-local): it brings a 3-node cluster up on the ports it is given,
// prints the "cluster is up" banner naming them, serves, and on SIGINT stops every node and exits 0.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import test from "ava";
import { Api } from "./support/api.ts";
import { pidAlive } from "./support/children.ts";
import { tempDir } from "./support/cluster.ts";
import { freePortBlock } from "./support/ports.ts";
import { RAFTVS_LOCAL, spawnScript } from "./support/raftvsd.ts";
import { waitFor } from "./support/wait.ts";

test("the local launcher prints the cluster-is-up banner with its ports, serves, and SIGINT stops all nodes with exit 0", async (t) => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    scripts: Record<string, string>;
  };
  t.regex(pkg.scripts.start ?? "", /cmd\/raftvs-local\/main\.ts/, "npm start runs this launcher");

  const dir = tempDir(t);
  const base = await freePortBlock(6);
  const peerPort = base;
  const clientPort = base + 3;
  const launcher = spawnScript(t, RAFTVS_LOCAL, [
    ...["--data-dir", dir, "--peer-port", String(peerPort), "--client-port", String(clientPort), "--quiet"],
  ]);
  // Should the launcher fail to stop its nodes, they are killed by PID here.
  const pids: number[] = [];
  t.teardown(() => {
    for (const pid of pids) if (pidAlive(pid)) process.kill(pid, "SIGKILL");
  });

  await Promise.race([
    waitFor(() => launcher.stdout().includes("raftvs local cluster is up"), 60_000, "the banner"),
    launcher.exited.then((code) => {
      throw new Error(
        `the launcher exited (${code}) before the banner:\n${launcher.stdout()}\n${launcher.stderr()}`,
      );
    }),
  ]);
  await waitFor(() => /Ctrl-C stops all nodes/.test(launcher.stdout()), 5000, "the whole banner");
  const out = launcher.stdout();
  t.regex(out, /raftvs local cluster is up: 3 nodes, leader is node [123]/);
  t.true(out.includes(`data under ${dir}`), "the banner names the data folder");
  for (let i = 0; i < 3; i++) {
    const m = new RegExp(
      `node ${i + 1}: peer 127\\.0\\.0\\.1:${peerPort + i}\\s+client 127\\.0\\.0\\.1:${clientPort + i}\\s+pid (\\d+)`,
    ).exec(out);
    t.truthy(m, `the banner lists node ${i + 1} with its ports:\n${out}`);
    if (m) pids.push(Number(m[1]));
  }
  t.true(
    out.includes(
      `--endpoints 127.0.0.1:${clientPort},127.0.0.1:${clientPort + 1},127.0.0.1:${clientPort + 2}`,
    ),
  );

  // The cluster it started serves clients on the printed ports.
  const api = new Api(3000);
  t.teardown(() => api.close());
  // (Retried while the young cluster may still hold an election on a busy machine.)
  let value = "";
  await waitFor(
    async () => {
      try {
        await api.put(`127.0.0.1:${clientPort}`, "hello", "world");
        value = (await api.get(`127.0.0.1:${clientPort + 2}`, "hello")).value;
        return true;
      } catch {
        return false;
      }
    },
    15_000,
    "a put and a get through the printed client ports",
  );
  t.is(value, "world");
  for (const i of [1, 2, 3])
    t.true(existsSync(join(dir, `node-${i}`)), `node ${i}'s data is under the folder`);

  launcher.child.kill("SIGINT");
  const timer = setTimeout(() => launcher.child.kill("SIGKILL"), 20_000);
  const code = await launcher.exited;
  clearTimeout(timer);
  t.is(code, 0, launcher.stderr());
  t.regex(launcher.stdout(), /all nodes stopped/);
  t.deepEqual(
    pids.filter((pid) => pidAlive(pid)),
    [],
    "no node process outlives the launcher",
  );
});
