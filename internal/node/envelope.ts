// The payload of every application entry in the log: the proposal's id (so the proposing node can
// answer its caller when the entry is applied), the leader's wall-clock stamp, and the command.

export interface Envelope {
  /** Unique per proposal: "<node id>-<boot nonce>-<counter>". */
  id: string;
  /** Wall-clock milliseconds on the node that proposed it (the leader; followers forward). */
  ts: number;
  cmd: unknown;
}

export function encodeEnvelope(e: Envelope): Uint8Array {
  return Buffer.from(JSON.stringify(e));
}

/** Decodes an entry payload; undefined when it is not an envelope (never throws). */
export function decodeEnvelope(data: Uint8Array): Envelope | undefined {
  try {
    const o = JSON.parse(
      Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8"),
    ) as Envelope;
    if (typeof o !== "object" || o === null || typeof o.id !== "string" || typeof o.ts !== "number")
      return undefined;
    return o;
  } catch {
    return undefined;
  }
}

/** Membership changes carry this in their ConfChange context. */
export interface ConfChangeContext {
  id: string;
  peerAddress?: string;
  clientAddress?: string;
}

export function encodeConfContext(c: ConfChangeContext): Uint8Array {
  return Buffer.from(JSON.stringify(c));
}

export function decodeConfContext(data: Uint8Array): ConfChangeContext | undefined {
  try {
    const o = JSON.parse(Buffer.from(data).toString("utf8")) as ConfChangeContext;
    return typeof o === "object" && o !== null && typeof o.id === "string" ? o : undefined;
  } catch {
    return undefined;
  }
}
