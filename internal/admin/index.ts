// Public surface of the client API: the gRPC server, the generated-type-backed service clients.

export { ClientServer } from "./server.ts";
export type { ClientServerOptions } from "./server.ts";
export { ClusterService, KvService, adminProto } from "./proto.ts";
export { toServiceError } from "./grpc-errors.ts";
