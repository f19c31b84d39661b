// The Cluster and KV gRPC services of a node: validate each request, serve it from the node
// (linearizable reads through a read barrier); writes that reach a follower go to the leader.

import type { UntypedServiceImplementation } from "@grpc/grpc-js";
import { NodeError, NodeErrorCode } from "../node/index.ts";
import { type MemberInfo, memberInfoProblem } from "../state/index.ts";
import { requireId, type ServiceContext, unary } from "./handler.ts";

const read = (service: "Cluster" | "KV", method: string) => ({
  service,
  method,
  access: "read" as const,
  forwardable: false,
});
const write = (service: "Cluster" | "KV", method: string, forwardable = true) => ({
  service,
  method,
  access: "write" as const,
  forwardable,
});

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
    Status: unary(ctx, read("Cluster", "Status"), async () => {
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
    }),
    MemberList: unary(ctx, read("Cluster", "MemberList"), async (req: { serializable?: boolean }) => {
      if (!req.serializable) await node.readBarrier(t);
      return { members: membersOut(node.state.members.list()), leader: node.leaderId() };
    }),
    MemberAdd: unary(
      ctx,
      write("Cluster", "MemberAdd"),
      async (req: { id: number; peerAddress: string; clientAddress: string }) => {
        const problem = memberInfoProblem(req);
        if (problem) throw new NodeError(NodeErrorCode.InvalidArgument, problem);
        const conf = node.status().confState;
        if (conf.voters.includes(req.id) || conf.learners.includes(req.id))
          throw new NodeError(NodeErrorCode.FailedPrecondition, `node ${req.id} is already a member`);
        return changed(
          node.addLearner({ id: req.id, peerAddress: req.peerAddress, clientAddress: req.clientAddress }, t),
        );
      },
    ),
    MemberPromote: unary(ctx, write("Cluster", "MemberPromote"), async (req: { id: number }) =>
      changed(node.promoteMember(requireId(req.id, "id"), t)),
    ),
    MemberRemove: unary(ctx, write("Cluster", "MemberRemove"), async (req: { id: number }) =>
      changed(node.removeMember(requireId(req.id, "id"), t)),
    ),
    LeaderTransfer: unary(ctx, write("Cluster", "LeaderTransfer"), async (req: { to: number }) => {
      await node.transferLeadership(requireId(req.to, "to"), t);
      return { leader: node.leaderId() };
    }),
    SnapshotSave: unary(ctx, write("Cluster", "SnapshotSave", false), async () => node.saveSnapshot()),
  };
}

export function kvService(ctx: ServiceContext): UntypedServiceImplementation {
  const { node } = ctx;
  const t = ctx.requestTimeoutMs;
  return {
    Put: unary(ctx, write("KV", "Put"), async (req: { key: string; value: string }) => {
      const r = await node.propose({ op: "put", key: req.key, value: req.value }, t);
      return { revision: r.revision };
    }),
    Delete: unary(ctx, write("KV", "Delete"), async (req: { key: string }) => {
      const r = await node.propose({ op: "delete", key: req.key }, t);
      return { deleted: r.deleted ?? false, revision: r.revision };
    }),
    Get: unary(ctx, read("KV", "Get"), async (req: { key: string; serializable?: boolean }) => {
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
    }),
  };
}
