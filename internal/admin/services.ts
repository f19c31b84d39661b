// The Cluster and KV gRPC services of a node: validate each request, serve it from the node
// (linearizable reads through a read barrier), and forward writes from a follower to the leader.

import type { ServerUnaryCall, sendUnaryData, UntypedServiceImplementation } from "@grpc/grpc-js";
import { NodeError, NodeErrorCode, type RaftNode } from "../node/index.ts";
import { type MemberInfo, memberInfoProblem } from "../state/index.ts";
import { toServiceError } from "./grpc-errors.ts";
import { FORWARDED_MARKER, type LeaderForwarder } from "./leader-forwarder.ts";

export interface ServiceContext {
  node: RaftNode;
  clusterId: string;
  forwarder: LeaderForwarder;
  requestTimeoutMs: number;
}

type Handler<Req, Res> = (req: Req) => Promise<Res>;

/**
 * Wraps a handler: errors become gRPC statuses; a NotLeader failure of a call that was not
 * already forwarded goes to the leader (when `forwardable`).
 */
function unary<Req, Res>(
  ctx: ServiceContext,
  service: "Cluster" | "KV",
  method: string,
  handler: Handler<Req, Res>,
  forwardable: boolean,
): (call: ServerUnaryCall<Req, Res>, cb: sendUnaryData<Res>) => void {
  return (call, cb) => {
    handler(call.request).then(
      (res) => cb(null, res),
      (err: unknown) => {
        const notLeader = err instanceof NodeError && err.code === NodeErrorCode.NotLeader;
        const forwarded = call.metadata.get(FORWARDED_MARKER).length > 0;
        const leader = ctx.forwarder.leaderAddress();
        if (forwardable && notLeader && !forwarded && leader) {
          ctx.forwarder.call<Res>(service, method, call.request, leader, ctx.requestTimeoutMs).then(
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

function requireId(v: unknown, field: string): number {
  if (!Number.isSafeInteger(v) || (v as number) <= 0)
    throw new NodeError(
      NodeErrorCode.InvalidArgument,
      `${field} must be a positive integer (got ${String(v)})`,
    );
  return v as number;
}

function membersOut(list: MemberInfo[]) {
  return list.map((m) => ({
    id: m.id,
    peerAddress: m.peerAddress,
    clientAddress: m.clientAddress,
    learner: m.learner,
  }));
}

export function clusterService(ctx: ServiceContext): UntypedServiceImplementation {
  const { node } = ctx;
  const t = ctx.requestTimeoutMs;
  const changed = async (p: Promise<{ revision: number }>) => {
    const r = await p;
    return { members: membersOut(node.state.members.list()), revision: r.revision };
  };
  return {
    Status: unary(
      ctx,
      "Cluster",
      "Status",
      async () => {
        const s = node.status();
        return {
          id: s.id,
          clusterId: ctx.clusterId,
          term: s.term,
          leader: s.leader,
          role: s.role,
          commitIndex: s.commitIndex,
          appliedIndex: s.appliedIndex,
          lastIndex: s.lastIndex,
          snapshotIndex: s.snapshotIndex,
          leaseRemainingMs: s.leaseRemainingMs,
          voters: s.confState.voters,
          learners: s.confState.learners,
          progress: s.progress ?? [],
          stateHash: node.state.hash(),
          revision: node.state.revision,
        };
      },
      false,
    ),
    MemberList: unary(
      ctx,
      "Cluster",
      "MemberList",
      async (req: { serializable?: boolean }) => {
        if (!req.serializable) await node.readBarrier(t);
        return { members: membersOut(node.state.members.list()), leader: node.leaderId() };
      },
      false,
    ),
    MemberAdd: unary(
      ctx,
      "Cluster",
      "MemberAdd",
      async (req: { id: number; peerAddress: string; clientAddress: string }) => {
        const problem = memberInfoProblem(req);
        if (problem) throw new NodeError(NodeErrorCode.InvalidArgument, problem);
        if (
          node.status().confState.voters.includes(req.id) ||
          node.status().confState.learners.includes(req.id)
        )
          throw new NodeError(NodeErrorCode.FailedPrecondition, `node ${req.id} is already a member`);
        return changed(
          node.addLearner({ id: req.id, peerAddress: req.peerAddress, clientAddress: req.clientAddress }, t),
        );
      },
      true,
    ),
    MemberPromote: unary(
      ctx,
      "Cluster",
      "MemberPromote",
      async (req: { id: number }) => changed(node.promoteMember(requireId(req.id, "id"), t)),
      true,
    ),
    MemberRemove: unary(
      ctx,
      "Cluster",
      "MemberRemove",
      async (req: { id: number }) => changed(node.removeMember(requireId(req.id, "id"), t)),
      true,
    ),
    LeaderTransfer: unary(
      ctx,
      "Cluster",
      "LeaderTransfer",
      async (req: { to: number }) => {
        await node.transferLeadership(requireId(req.to, "to"), t);
        return { leader: node.leaderId() };
      },
      true,
    ),
    SnapshotSave: unary(ctx, "Cluster", "SnapshotSave", async () => node.saveSnapshot(), false),
  };
}

export function kvService(ctx: ServiceContext): UntypedServiceImplementation {
  const { node } = ctx;
  const t = ctx.requestTimeoutMs;
  return {
    Put: unary(
      ctx,
      "KV",
      "Put",
      async (req: { key: string; value: string }) => {
        const r = await node.propose({ op: "put", key: req.key, value: req.value }, t);
        return { revision: r.revision };
      },
      true,
    ),
    Delete: unary(
      ctx,
      "KV",
      "Delete",
      async (req: { key: string }) => {
        const r = await node.propose({ op: "delete", key: req.key }, t);
        return { deleted: r.deleted ?? false, revision: r.revision };
      },
      true,
    ),
    Get: unary(
      ctx,
      "KV",
      "Get",
      async (req: { key: string; serializable?: boolean }) => {
        if (typeof req.key !== "string" || req.key.length === 0)
          throw new NodeError(NodeErrorCode.InvalidArgument, "key must be a non-empty string");
        if (!req.serializable) await node.readBarrier(t);
        const rec = node.state.kv.get(req.key);
        return {
          found: rec !== undefined,
          value: rec?.value ?? "",
          modRevision: rec?.modRevision ?? 0,
          revision: node.state.revision,
        };
      },
      false,
    ),
  };
}
