// Public surface of the process launcher (npm start's local cluster, integration tests).

export type { LocalClusterOptions, StatusRow } from "./local-cluster.ts";
export { LocalCluster } from "./local-cluster.ts";
export type { LogLine, NodePlan } from "./node-process.ts";
export { initialClusterFlag, NodeProcess } from "./node-process.ts";
