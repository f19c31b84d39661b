// The public surface of internal/scheduler: the registry, the contract types and the hash.

export { refreshOverload } from "./common.ts";
export { hash32 } from "./hash.ts";
export { createScheduler } from "./registry.ts";
export type { PickContext, Scheduler, SchedulerOptions, ServerView } from "./types.ts";
export { SCHEDULER_DEFAULTS } from "./types.ts";
