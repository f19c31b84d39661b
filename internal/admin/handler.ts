// The shared shape of every client-API handler: authorize the caller, run the handler, turn errors
// into gRPC statuses, and forward a write that reached a follower to the leader (once).

import type { ServerUnaryCall, sendUnaryData } from "@grpc/grpc-js";
import { NodeError, NodeErrorCode, type RaftNode } from "../node/index.ts";
import type { Access, Authorizer } from "./auth.ts";
import { toServiceError } from "./grpc-errors.ts";
import { FORWARDED_MARKER, type LeaderForwarder, type ServiceName } from "./leader-forwarder.ts";

export interface ServiceContext {
  node: RaftNode;
  clusterId: string;
  forwarder: LeaderForwarder;
  auth: Authorizer;
  requestTimeoutMs: number;
}

export interface MethodInfo {
  service: ServiceName;
  method: string;
  access: Access;
  /** A NotLeader failure is retried on the leader. */
  forwardable: boolean;
}

export function unary<Req, Res>(
  ctx: ServiceContext,
  info: MethodInfo,
  handler: (req: Req) => Promise<Res>,
): (call: ServerUnaryCall<Req, Res>, cb: sendUnaryData<Res>) => void {
  return (call, cb) => {
    const refused = ctx.auth.check(call, info.access, `${info.service}.${info.method}`);
    if (refused) {
      cb(refused);
      return;
    }
    handler(call.request).then(
      (res) => cb(null, res),
      (err: unknown) => {
        const notLeader = err instanceof NodeError && err.code === NodeErrorCode.NotLeader;
        const forwarded = call.metadata.get(FORWARDED_MARKER).length > 0;
        const leader = ctx.forwarder.leaderAddress();
        if (info.forwardable && notLeader && !forwarded && leader) {
          ctx.forwarder
            .call<Res>(info.service, info.method, call.request, leader, ctx.requestTimeoutMs, call.metadata)
            .then(
              (res) => cb(null, res),
              (fwdErr: unknown) => cb(toServiceError(fwdErr)),
            );
          return;
        }
        cb(toServiceError(err));
      },
    );
  };
}

export function requireId(v: unknown, field: string): number {
  if (!Number.isSafeInteger(v) || (v as number) <= 0)
    throw new NodeError(
      NodeErrorCode.InvalidArgument,
      `${field} must be a positive integer (got ${String(v)})`,
    );
  return v as number;
}
