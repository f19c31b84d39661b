// raftvsd: parses the configuration, builds the root logger, starts the node, and stops it cleanly
// on SIGTERM/SIGINT. Exit codes: 0 stopped, 1 fatal error, 2 bad configuration, 3 data dir refused.

import { pino } from "pino";
import { ConfigError, configUsage, loadConfig } from "../../internal/config/index.ts";
import { Daemon } from "../../internal/daemon/index.ts";
import { StorageError } from "../../internal/storage/index.ts";

let loaded: ReturnType<typeof loadConfig>;
try {
  loaded = loadConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`raftvsd: ${err.message}\n\n${configUsage()}\n`);
  process.exit(2);
}
if (loaded.help) {
  process.stdout.write(`${configUsage()}\n`);
  process.exit(0);
}
const { config } = loaded;
const pretty = config.log.pretty === "auto" ? process.stdout.isTTY : config.log.pretty;
const log = pino({
  level: config.log.level,
  base: { node: config.id },
  ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
});

let daemon: Daemon | undefined;
const fatal = (err: Error): void => {
  log.fatal({ err: err.message }, "raftvsd stopping on a fatal error");
  void (daemon?.close(config.shutdownGraceMs) ?? Promise.resolve()).finally(() => process.exit(1));
};

try {
  daemon = await Daemon.start(config, log, fatal);
} catch (err) {
  if (err instanceof StorageError) {
    log.fatal({ code: err.code, dir: err.dir }, err.message);
    process.stderr.write(`raftvsd: ${err.message}\n`);
    process.exit(3);
  }
  log.fatal({ err: (err as Error).message }, "raftvsd could not start");
  process.stderr.write(`raftvsd: could not start: ${(err as Error).message}\n`);
  process.exit(1);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "shutting down");
    void daemon?.close(config.shutdownGraceMs).then(() => process.exit(0));
  });
}
