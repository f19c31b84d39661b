// Public surface of the process launcher (npm start's local cluster, integration tests).

export { LocalCluster } from "./local-cluster.ts";
export type { LocalClusterOptions, StatusRow } from "./local-cluster.ts";
export { NodeProcess, initialClusterFlag } from "./node-process.ts";
export type { LogLine, NodePlan } from "./node-process.ts";
