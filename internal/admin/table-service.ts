// The Services gRPC service: list the virtual-service table (linearizable, or as it was at a past
// revision), apply atomic transactions (forwarded to the leader), and watch changes from a revision.

import { type ServerWritableStream, status, type UntypedServiceImplementation } from "@grpc/grpc-js";
import type { Change__Output } from "../../proto/gen/raftvs/v1/Change.ts";
import type { WatchRequest__Output } from "../../proto/gen/raftvs/v1/WatchRequest.ts";
import type { WatchResponse } from "../../proto/gen/raftvs/v1/WatchResponse.ts";
import { NodeError, NodeErrorCode } from "../node/index.ts";
import { services } from "../state/index.ts";
import { toServiceError } from "./grpc-errors.ts";
import { type ServiceContext, unary } from "./handler.ts";
import { changeIn, serviceOut } from "./table-codec.ts";

/** A watcher whose unsent events pass this many bytes is too slow and is cut off. */
const WATCH_BUFFER_LIMIT_BYTES = 16 * 1024 * 1024;

function opsIn(changes: Change__Output[] | undefined): unknown[] {
  if (!Array.isArray(changes) || changes.length === 0)
    throw new NodeError(NodeErrorCode.InvalidArgument, "changes: must hold at least one change");
  return changes.map(changeIn);
}

/** Table errors name "ops[i]..."; the API calls them "changes[i]...". */
function renameFields(err: unknown): unknown {
  if (err instanceof NodeError && err.code === NodeErrorCode.InvalidArgument)
    return new NodeError(
      err.code,
      err.message.replace(/\bops(\[\d+\])?/g, (_m, i: string | undefined) => `changes${i ?? ""}`),
    );
  return err;
}

export function tableService(ctx: ServiceContext): UntypedServiceImplementation {
  const { node } = ctx;
  const t = ctx.requestTimeoutMs;
  return {
    List: unary(
      ctx,
      { service: "Services", method: "List", access: "read", forwardable: false },
      async (req: { serializable?: boolean; atRevision?: number; key?: string }) => {
        if (!req.serializable) await node.readBarrier(t);
        const table = node.state.services;
        const revision = node.state.revision;
        let list: services.VirtualService[];
        if (req.atRevision !== undefined && req.atRevision !== revision) {
          if (req.atRevision > revision)
            throw new NodeError(
              NodeErrorCode.InvalidArgument,
              `at_revision ${req.atRevision} is in the future (now ${revision})`,
            );
          const past = table.at(req.atRevision);
          if (!past)
            throw new NodeError(
              NodeErrorCode.FailedPrecondition,
              `revision ${req.atRevision} is older than this node's table history`,
            );
          list = past;
        } else list = table.list();
        if (req.key) {
          const key = services.parseServiceKey(req.key);
          if (!key)
            throw new NodeError(
              NodeErrorCode.InvalidArgument,
              `key ${JSON.stringify(req.key)} is not a service key (tcp/IP:PORT, fwm/N)`,
            );
          list = list.filter((s) => s.key === key);
        }
        return { services: list.map(serviceOut), revision: req.atRevision ?? revision };
      },
    ),
    Apply: unary(
      ctx,
      { service: "Services", method: "Apply", access: "write", forwardable: true },
      async (req: { changes?: Change__Output[]; dryRun?: boolean; ifRevision?: number }) => {
        try {
          const ops = opsIn(req.changes);
          if (req.dryRun) {
            try {
              return { revision: node.state.revision, changed: node.state.services.check(ops) };
            } catch (err) {
              if (err instanceof services.TableError)
                throw new NodeError(NodeErrorCode.InvalidArgument, err.message);
              throw err;
            }
          }
          const r = await node.propose(
            {
              op: "txn",
              ops,
              ...(req.ifRevision !== undefined ? { ifRevision: Number(req.ifRevision) } : {}),
            },
            t,
          );
          return { revision: r.revision, changed: r.changed ?? [] };
        } catch (err) {
          throw renameFields(err);
        }
      },
    ),
    Watch: (call: ServerWritableStream<WatchRequest__Output, WatchResponse>) => {
      const refused = ctx.auth.check(call, "read", "Services.Watch");
      if (refused) {
        call.emit("error", refused);
        return;
      }
      watch(ctx, call);
    },
  };
}

function watch(ctx: ServiceContext, call: ServerWritableStream<WatchRequest__Output, WatchResponse>): void {
  const { node } = ctx;
  const from = Number(call.request.fromRevision ?? 0);
  let sent = from > 0 ? from : node.state.revision;
  if (sent > node.state.revision) {
    call.emit("error", {
      code: status.INVALID_ARGUMENT,
      details: `from_revision ${from} is in the future (now ${node.state.revision})`,
    });
    return;
  }
  let done = false;
  const stop = (err?: Partial<import("@grpc/grpc-js").ServiceError>): void => {
    if (done) return;
    done = true;
    unsubscribe();
    if (err) call.emit("error", err);
    else call.end();
  };
  const flush = (): void => {
    if (done) return;
    const changes = node.state.services.changesSince(sent);
    if (changes === undefined) {
      stop({
        code: status.OUT_OF_RANGE,
        details: `changes after revision ${sent} were compacted on this node; list the table again and watch from its revision`,
      });
      return;
    }
    sent = node.state.revision;
    if (changes.length === 0) return;
    const events = changes.map((c) => ({
      revision: c.revision,
      key: c.key,
      type: c.next ? "put" : "delete",
      ...(c.next ? { service: serviceOut(c.next) } : {}),
      ...(c.prev ? { prev: serviceOut(c.prev) } : {}),
    }));
    call.write({ events, revision: sent });
    if (call.writableLength > WATCH_BUFFER_LIMIT_BYTES)
      stop({
        code: status.RESOURCE_EXHAUSTED,
        details: "watcher too slow: its unsent changes passed 16 MiB; watch again from its last revision",
      });
  };
  const unsubscribe = node.onApplied(flush);
  call.on("cancelled", () => stop());
  call.on("error", () => stop());
  try {
    flush();
  } catch (err) {
    stop(toServiceError(err));
  }
}
