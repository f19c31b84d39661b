// Public surface of the client API: the gRPC server, the generated-type-backed service clients.

export { toServiceError } from "./grpc-errors.ts";
export { adminProto, ClusterService, KvService } from "./proto.ts";
export type { ClientServerOptions } from "./server.ts";
export { ClientServer } from "./server.ts";
