// Public surface of the virtual-service table.

export { canonicalIp, hostPort, parseServiceKey, splitHostPort } from "./addresses.ts";
export type {
  ContentRule,
  ForwardMethod,
  HttpSettings,
  Persistence,
  Protocol,
  RealServer,
  SchedFlag,
  SchedulerName,
  ServiceMode,
  VirtualService,
} from "./model.ts";
export { FORWARD_METHODS, LIMITS, PROTOCOLS, SCHED_FLAGS, SCHEDULERS, SERVICE_MODES } from "./model.ts";
export type { ServerSpec, ServiceSpec, TableOp } from "./specs.ts";
export { SERVER_SPEC_FIELDS, SERVICE_SPEC_FIELDS, serviceOf, TableError } from "./specs.ts";
export type { TableChange } from "./table.ts";
export { HISTORY_LIMIT, ServiceTable } from "./table.ts";
