// Public surface of raftvsctl's implementation.

export type { CtlIo } from "./cli.ts";
export { DEFAULT_ENDPOINTS, runCtl } from "./cli.ts";
export { AdminClient, CtlError } from "./client.ts";
