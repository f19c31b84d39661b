// Public surface of raftvsctl's implementation.

export { DEFAULT_ENDPOINTS, runCtl } from "./cli.ts";
export type { CtlIo } from "./cli.ts";
export { AdminClient, CtlError } from "./client.ts";
