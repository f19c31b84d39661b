// Public surface of the daemon configuration.

export type { LoadedConfig } from "./load.ts";
export { configUsage, envName, loadConfig, parseInitialCluster } from "./load.ts";
export type { DaemonConfig, InitialMember, TlsFiles } from "./schema.ts";
export { CONFIG_DEFAULTS, ConfigError, hostPortProblem, validateConfig } from "./schema.ts";
