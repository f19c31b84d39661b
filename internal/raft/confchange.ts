// Membership changes: their encoding in log entries and the rules for applying one to a
// configuration (one change at a time; see raft.ts for the pending-change rule).

import { RaftError, RaftErrorCode } from "./errors.ts";
import { type ConfChange, ConfChangeType, type ConfState } from "./types.ts";

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export function encodeConfChange(cc: ConfChange): Uint8Array {
  return textEncoder.encode(
    JSON.stringify({ type: cc.type, nodeId: cc.nodeId, context: Buffer.from(cc.context).toString("base64") }),
  );
}

/** Decodes and validates a conf change; throws InvalidConfChange on anything malformed. */
export function decodeConfChange(data: Uint8Array): ConfChange {
  let raw: unknown;
  try {
    raw = JSON.parse(textDecoder.decode(data));
  } catch (err) {
    throw new RaftError(RaftErrorCode.InvalidConfChange, "conf change: not valid JSON", { cause: err });
  }
  const o = raw as { type?: unknown; nodeId?: unknown; context?: unknown };
  const types: readonly unknown[] = Object.values(ConfChangeType);
  if (typeof o !== "object" || o === null || !types.includes(o.type))
    throw new RaftError(RaftErrorCode.InvalidConfChange, `conf change: unknown type ${String(o?.type)}`);
  if (typeof o.nodeId !== "number" || !Number.isSafeInteger(o.nodeId) || o.nodeId <= 0)
    throw new RaftError(RaftErrorCode.InvalidConfChange, `conf change: bad nodeId ${String(o.nodeId)}`);
  const context =
    typeof o.context === "string" ? new Uint8Array(Buffer.from(o.context, "base64")) : new Uint8Array(0);
  return { type: o.type as ConfChangeType, nodeId: o.nodeId, context };
}

/**
 * The configuration after applying `cc` to `cs`. Throws InvalidConfChange when the change would
 * leave no voter. Changes that are already in effect (adding a present voter) are no-ops.
 */
export function applyConfChangeTo(cs: ConfState, cc: ConfChange): ConfState {
  const voters = new Set(cs.voters);
  const learners = new Set(cs.learners);
  switch (cc.type) {
    case ConfChangeType.AddNode:
      learners.delete(cc.nodeId);
      voters.add(cc.nodeId);
      break;
    case ConfChangeType.AddLearner:
      // Demoting a voter to learner is allowed, as long as a voter remains.
      voters.delete(cc.nodeId);
      learners.add(cc.nodeId);
      break;
    case ConfChangeType.RemoveNode:
      voters.delete(cc.nodeId);
      learners.delete(cc.nodeId);
      break;
  }
  if (voters.size === 0)
    throw new RaftError(
      RaftErrorCode.InvalidConfChange,
      `conf change ${cc.type} ${cc.nodeId} would leave no voter`,
    );
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  return { voters: sorted(voters), learners: sorted(learners) };
}
