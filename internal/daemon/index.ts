// Public surface of the daemon wiring.

export { bootstrapStateData } from "./bootstrap.ts";
export { Daemon } from "./daemon.ts";
