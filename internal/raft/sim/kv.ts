// The simulator's replicated state machine: a small string key-value store, the command format
// clients propose (client id, sequence number, key, value) and the store's snapshot encoding.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A write proposed by a simulated client; (clientId, seq) names it uniquely. */
export interface KvCommand {
  clientId: number;
  seq: number;
  key: string;
  value: string;
}

export function encodeCommand(c: KvCommand): Uint8Array {
  return encoder.encode(`${c.clientId}\t${c.seq}\t${c.key}\t${c.value}`);
}

/** Throws on anything not produced by `encodeCommand`. */
export function decodeCommand(data: Uint8Array): KvCommand {
  const parts = decoder.decode(data).split("\t");
  const clientId = Number(parts[0]);
  const seq = Number(parts[1]);
  if (parts.length !== 4 || !Number.isSafeInteger(clientId) || !Number.isSafeInteger(seq)) {
    throw new Error(`kv: malformed command ${JSON.stringify(decoder.decode(data))}`);
  }
  return { clientId, seq, key: parts[2]!, value: parts[3]! };
}

/** The name of one client request, used as the pending-request key and as a ReadIndex context. */
export function requestId(clientId: number, seq: number): string {
  return `${clientId}:${seq}`;
}

export function encodeRequestId(id: string): Uint8Array {
  return encoder.encode(id);
}

export function decodeRequestId(data: Uint8Array): string {
  return decoder.decode(data);
}

export class KvStore {
  #data = new Map<string, string>();

  get(key: string): string | undefined {
    return this.#data.get(key);
  }

  put(key: string, value: string): void {
    this.#data.set(key, value);
  }

  get size(): number {
    return this.#data.size;
  }

  /** A canonical text of the whole store: equal stores give equal digests. */
  digest(): string {
    return JSON.stringify([...this.#data.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  }

  snapshot(): Uint8Array {
    return encoder.encode(this.digest());
  }

  /** Rebuilds a store from `snapshot()` output; empty data (a bootstrap snapshot) is an empty store. */
  static restore(data: Uint8Array): KvStore {
    const kv = new KvStore();
    if (data.byteLength === 0) return kv;
    const pairs = JSON.parse(decoder.decode(data)) as unknown;
    if (!Array.isArray(pairs)) throw new Error("kv: malformed snapshot");
    for (const p of pairs) {
      if (!Array.isArray(p) || typeof p[0] !== "string" || typeof p[1] !== "string") {
        throw new Error("kv: malformed snapshot pair");
      }
      kv.put(p[0], p[1]);
    }
    return kv;
  }
}
