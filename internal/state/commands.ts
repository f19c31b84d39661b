// The commands the replicated state accepts, their validation and their wire encoding (JSON in
// the Raft log). Every command is checked here before it is proposed and again when applied.

export const MAX_KEY_BYTES = 1024;
export const MAX_VALUE_BYTES = 1024 * 1024;
/** Most persistence records in one batch. */
export const PERSIST_BATCH_MAX = 10_000;

export type Command =
  | { op: "put"; key: string; value: string }
  | { op: "delete"; key: string }
  | { op: "noop" }
  /** An atomic transaction of virtual-service table changes (see services/table.ts). */
  | { op: "txn"; ops: unknown[]; ifRevision?: number }
  /** A batch of persistence records made where connections arrived (see persistence.ts). */
  | { op: "persist"; records: Array<{ service: string; client: string; server: string }> }
  /** Drop persistence records expired as of this entry's time (the leader proposes it). */
  | { op: "persist.sweep" };

export class CommandError extends Error {
  readonly code = "STATE_INVALID_COMMAND";
  readonly field: string;
  constructor(field: string, message: string) {
    super(`invalid command: ${field} ${message}`);
    this.name = "CommandError";
    this.field = field;
  }
}

function checkKey(key: unknown): string {
  if (typeof key !== "string" || key.length === 0)
    throw new CommandError("key", "must be a non-empty string");
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new CommandError("key", `must be at most ${MAX_KEY_BYTES} bytes`);
  return key;
}

/** Validates an untrusted value as a Command; throws CommandError naming the bad field. */
export function parseCommand(raw: unknown): Command {
  if (typeof raw !== "object" || raw === null) throw new CommandError("command", "must be an object");
  const o = raw as Record<string, unknown>;
  switch (o.op) {
    case "put": {
      const key = checkKey(o.key);
      if (typeof o.value !== "string") throw new CommandError("value", "must be a string");
      if (Buffer.byteLength(o.value) > MAX_VALUE_BYTES)
        throw new CommandError("value", `must be at most ${MAX_VALUE_BYTES} bytes`);
      return { op: "put", key, value: o.value };
    }
    case "delete":
      return { op: "delete", key: checkKey(o.key) };
    case "noop":
      return { op: "noop" };
    case "txn":
      // The changes are validated against the table itself (services/table.ts).
      if (!Array.isArray(o.ops) || o.ops.length === 0)
        throw new CommandError("ops", "must be a non-empty list of changes");
      if (o.ifRevision !== undefined && (!Number.isSafeInteger(o.ifRevision) || (o.ifRevision as number) < 0))
        throw new CommandError("ifRevision", "must be a non-negative integer");
      return {
        op: "txn",
        ops: o.ops,
        ...(o.ifRevision !== undefined ? { ifRevision: o.ifRevision as number } : {}),
      };
    case "persist": {
      if (!Array.isArray(o.records) || o.records.length === 0 || o.records.length > PERSIST_BATCH_MAX)
        throw new CommandError("records", `must be a list of 1..${PERSIST_BATCH_MAX} records`);
      const records = o.records.map((r: unknown, i: number) => {
        const rec = r as Record<string, unknown>;
        for (const f of ["service", "client", "server"])
          if (
            typeof rec?.[f] !== "string" ||
            (rec[f] as string).length === 0 ||
            (rec[f] as string).length > 128
          )
            throw new CommandError(
              `records[${i}].${f}`,
              "must be a non-empty string of at most 128 characters",
            );
        return { service: rec.service as string, client: rec.client as string, server: rec.server as string };
      });
      return { op: "persist", records };
    }
    case "persist.sweep":
      return { op: "persist.sweep" };
    default:
      throw new CommandError("op", `unknown operation ${JSON.stringify(o.op)}`);
  }
}
