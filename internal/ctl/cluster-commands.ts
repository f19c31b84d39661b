// raftvsctl's cluster commands: status, member list|add|promote|remove, leader transfer,
// snapshot save, and kv put|get|del (the replicated key-value table).

import type { NodeStatus__Output } from "../../proto/gen/raftvs/v1/NodeStatus.ts";
import { type AdminClient, CtlError } from "./client.ts";
import { type OutputFormat, render } from "./output.ts";

type NodeStatus = NodeStatus__Output;

interface Member {
  id: number;
  peerAddress: string;
  clientAddress: string;
  learner: boolean;
}

export interface CommandContext {
  client: AdminClient;
  format: OutputFormat;
  print: (text: string) => void;
}

function positiveId(raw: string | undefined, what: string): number {
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) <= 0)
    throw new CtlError(`${what} must be a positive integer (got ${JSON.stringify(raw)})`, 2);
  return Number(raw);
}

/** Status of every endpoint given (or every member's client address): one row per node. */
export async function statusCommand(ctx: CommandContext): Promise<void> {
  const { client } = ctx;
  let endpoints = client.endpoints;
  try {
    const list = await client.call<{ members: Member[] }>("Cluster", "MemberList", { serializable: true });
    const fromMembers = list.members.map((m) => m.clientAddress).filter((a) => a.length > 0);
    if (fromMembers.length > 0) endpoints = [...new Set([...fromMembers])];
  } catch {
    // fall back to the endpoints given
  }
  const rows = await Promise.all(
    endpoints.map(async (ep) => {
      try {
        return { ep, s: await client.callAt<NodeStatus>(ep, "Cluster", "Status", {}) };
      } catch (err) {
        return { ep, err: (err as Error).message };
      }
    }),
  );
  ctx.print(
    render(
      ctx.format,
      rows.map((r) => ("s" in r ? { endpoint: r.ep, ...r.s } : { endpoint: r.ep, error: r.err })),
      [
        "ENDPOINT",
        "ID",
        "ROLE",
        "TERM",
        "LEADER",
        "COMMIT",
        "APPLIED",
        "SNAPSHOT",
        "LEASE",
        "REVISION",
        "STATE HASH",
      ],
      rows.map((r) =>
        "s" in r && r.s
          ? [
              r.ep,
              r.s.id,
              r.s.role,
              r.s.term,
              r.s.leader,
              r.s.commitIndex,
              r.s.appliedIndex,
              r.s.snapshotIndex,
              `${r.s.leaseRemainingMs}ms`,
              r.s.revision,
              r.s.stateHash.slice(0, 12),
            ]
          : [r.ep, "-", `unreachable: ${r.err}`, "", "", "", "", "", "", "", ""],
      ),
    ),
  );
}

function printMembers(ctx: CommandContext, members: Member[], leader?: number): void {
  ctx.print(
    render(
      ctx.format,
      { members, leader },
      ["ID", "ROLE", "PEER", "CLIENT"],
      members.map((m) => [
        m.id,
        m.learner ? "learner" : m.id === leader ? "voter (leader)" : "voter",
        m.peerAddress,
        m.clientAddress,
      ]),
    ),
  );
}

export async function memberCommand(
  ctx: CommandContext,
  args: string[],
  flags: Record<string, string | boolean | undefined>,
): Promise<void> {
  const [sub, idRaw] = args;
  const { client } = ctx;
  switch (sub) {
    case "list": {
      const r = await client.call<{ members: Member[]; leader: number }>("Cluster", "MemberList", {});
      printMembers(ctx, r.members, r.leader);
      return;
    }
    case "add": {
      const id = positiveId(idRaw, "member id");
      const peer = flags.peer;
      const clientAddr = flags.client;
      if (typeof peer !== "string" || typeof clientAddr !== "string")
        throw new CtlError("member add needs --peer HOST:PORT and --client HOST:PORT", 2);
      await client.call("Cluster", "MemberAdd", { id, peerAddress: peer, clientAddress: clientAddr });
      ctx.print(`node ${id} added as a learner; waiting for it to catch up`);
      if (flags["no-promote"]) return;
      await waitCaughtUp(ctx, id, Number(flags["wait-ms"] ?? 60_000));
      const r = await client.call<{ members: Member[] }>("Cluster", "MemberPromote", { id });
      ctx.print(`node ${id} caught up and is now a voter`);
      printMembers(ctx, r.members);
      return;
    }
    case "promote": {
      const r = await client.call<{ members: Member[] }>("Cluster", "MemberPromote", {
        id: positiveId(idRaw, "member id"),
      });
      printMembers(ctx, r.members);
      return;
    }
    case "remove": {
      const r = await client.call<{ members: Member[] }>("Cluster", "MemberRemove", {
        id: positiveId(idRaw, "member id"),
      });
      printMembers(ctx, r.members);
      return;
    }
    default:
      throw new CtlError(
        `unknown member command ${JSON.stringify(sub)}: use list, add, promote or remove`,
        2,
      );
  }
}

/** Waits until the leader reports the learner's match within 100 entries of the leader's commit. */
async function waitCaughtUp(ctx: CommandContext, id: number, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const members = await ctx.client.call<{ members: Member[]; leader: number }>("Cluster", "MemberList", {});
    const leader = members.members.find((m) => m.id === members.leader);
    if (leader) {
      const s = await ctx.client.callAt<NodeStatus>(leader.clientAddress, "Cluster", "Status", {});
      const p = s.progress.find((x) => x.id === id);
      if (p && p.match > 0 && s.commitIndex - p.match <= 100) return;
    }
    if (Date.now() > deadline)
      throw new CtlError(
        `node ${id} did not catch up within ${waitMs} ms; promote it later with: raftvsctl member promote ${id}`,
        5,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function leaderCommand(ctx: CommandContext, args: string[]): Promise<void> {
  if (args[0] !== "transfer")
    throw new CtlError(`unknown leader command ${JSON.stringify(args[0])}: use transfer ID`, 2);
  const r = await ctx.client.call<{ leader: number }>("Cluster", "LeaderTransfer", {
    to: positiveId(args[1], "target id"),
  });
  ctx.print(ctx.format === "json" ? JSON.stringify(r) : `node ${r.leader} leads`);
}

export async function snapshotCommand(ctx: CommandContext, args: string[]): Promise<void> {
  if (args[0] !== "save")
    throw new CtlError(`unknown snapshot command ${JSON.stringify(args[0])}: use save`, 2);
  const r = await ctx.client.call<{ index: number }>("Cluster", "SnapshotSave", {});
  ctx.print(ctx.format === "json" ? JSON.stringify(r) : `snapshot saved at index ${r.index}`);
}

export async function kvCommand(
  ctx: CommandContext,
  args: string[],
  flags: Record<string, string | boolean | undefined>,
): Promise<void> {
  const [sub, key, value] = args;
  if (key === undefined) throw new CtlError("kv commands need a key", 2);
  switch (sub) {
    case "put": {
      if (value === undefined) throw new CtlError("kv put needs a value", 2);
      const r = await ctx.client.call<{ revision: number }>("KV", "Put", { key, value });
      ctx.print(ctx.format === "json" ? JSON.stringify(r) : `OK (revision ${r.revision})`);
      return;
    }
    case "get": {
      const r = await ctx.client.call<{ found: boolean; value: string; modRevision: number }>("KV", "Get", {
        key,
        serializable: Boolean(flags.serializable),
      });
      if (!r.found) throw new CtlError(`key ${JSON.stringify(key)} not found`, 6);
      ctx.print(ctx.format === "json" ? JSON.stringify(r) : r.value);
      return;
    }
    case "del": {
      const r = await ctx.client.call<{ deleted: boolean; revision: number }>("KV", "Delete", { key });
      ctx.print(ctx.format === "json" ? JSON.stringify(r) : r.deleted ? "deleted" : "not found");
      return;
    }
    default:
      throw new CtlError(`unknown kv command ${JSON.stringify(sub)}: use put, get or del`, 2);
  }
}
