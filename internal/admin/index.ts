// Public surface of the client API: the gRPC server, its authorization, the service clients.

export type { AuthSettings, Role } from "./auth.ts";
export { Authorizer } from "./auth.ts";
export { toServiceError } from "./grpc-errors.ts";
export { adminProto, ClusterService, KvService, ServicesService } from "./proto.ts";
export type { ClientServerOptions, ClientTls } from "./server.ts";
export { ClientServer } from "./server.ts";
export { serviceFromProto } from "./table-codec.ts";
