// Daemon configuration: defaults, file < env < flags precedence, and errors that name every bad field.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { ConfigError, loadConfig } from "./index.ts";

const CLUSTER =
  "1=127.0.0.1:7001/127.0.0.1:8001,2=127.0.0.1:7002/127.0.0.1:8002,3=127.0.0.1:7003/127.0.0.1:8003";

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "raftvs-config-"));
  const f = join(dir, "raftvsd.yaml");
  writeFileSync(f, text);
  return f;
}

test("flags alone make a valid config with defaults for the rest", (t) => {
  const { config } = loadConfig(["--id", "2", "--data-dir", "/tmp/x", "--initial-cluster", CLUSTER], {});
  t.is(config.id, 2);
  t.is(config.initialCluster.length, 3);
  t.deepEqual(config.initialCluster[1], { id: 2, peer: "127.0.0.1:7002", client: "127.0.0.1:8002" });
  t.is(config.raft.tickMs, 10);
  t.is(config.clusterId, "raftvs");
});

test("a YAML file is overridden by the environment, which is overridden by flags", (t) => {
  const f = yamlFile(
    `id: 1\ndataDir: /tmp/a\nraft:\n  tickMs: 20\n  electionTicks: 12\ninitialCluster:\n  - {id: 1, peer: "127.0.0.1:7001", client: "127.0.0.1:8001"}\n`,
  );
  const { config } = loadConfig(["--config", f, "--tick-ms", "30"], {
    RAFTVS_TICK_MS: "25",
    RAFTVS_DATA_DIR: "/tmp/b",
  });
  t.is(config.raft.tickMs, 30, "flag wins");
  t.is(config.dataDir, "/tmp/b", "env beats file");
  t.is(config.raft.electionTicks, 12, "file beats default");
  t.is(config.raft.heartbeatTicks, 3, "default kept");
});

test("every invalid value is named in one error", (t) => {
  const f = yamlFile(
    `id: -3\nlisten:\n  peer: "nohost"\nraft:\n  tickMs: 0\n  heartbeatTicks: 50\nbogus: 1\nlog:\n  level: loud\n`,
  );
  const err = t.throws(() => loadConfig(["--config", f], {}), { instanceOf: ConfigError });
  const text = err?.message ?? "";
  for (const field of [
    "id:",
    "listen.peer:",
    "raft.tickMs:",
    "raft.heartbeatTicks:",
    "bogus: unknown field",
    "log.level:",
    "dataDir:",
  ])
    t.true(text.includes(field), `names ${field}`);
});

test("an unknown flag, a broken YAML file and a member list without this node are clear errors", (t) => {
  t.throws(() => loadConfig(["--nope"], {}), { instanceOf: ConfigError, message: /nope/ });
  const f = yamlFile("id: [unclosed\n");
  t.throws(() => loadConfig(["--config", f], {}), { instanceOf: ConfigError, message: /raftvsd\.yaml/ });
  t.throws(() => loadConfig(["--id", "9", "--data-dir", "/tmp/x", "--initial-cluster", CLUSTER], {}), {
    instanceOf: ConfigError,
    message: /does not list this node's id 9/,
  });
  t.throws(() => loadConfig(["--id", "1", "--data-dir", "/tmp/x", "--initial-cluster", "1=bad"], {}), {
    instanceOf: ConfigError,
    message: /initialCluster\[0\]/,
  });
});

test("a joining node takes the existing members to reach and refuses to start without them", (t) => {
  t.notThrows(() =>
    loadConfig(["--id", "4", "--data-dir", "/tmp/x", "--join", "true", "--initial-cluster", CLUSTER], {}),
  );
  t.throws(() => loadConfig(["--id", "4", "--data-dir", "/tmp/x", "--join", "true"], {}), {
    instanceOf: ConfigError,
    message: /joining node needs the existing members/,
  });
});

test("the example configuration in deploy/ is valid", (t) => {
  const { config } = loadConfig(["--config", "deploy/config/raftvsd.example.yaml"], {});
  t.is(config.clusterId, "prod-lb");
  t.is(config.initialCluster.length, 3);
  t.is(config.tls.peer?.ca, "/etc/raftvs/tls/ca.pem");
});
