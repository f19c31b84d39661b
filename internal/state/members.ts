// The cluster's member directory in the replicated state: each node's peer and client addresses,
// changed only by applied membership changes so that every node agrees on it.

export interface MemberInfo {
  id: number;
  /** host:port of the node's Raft peer endpoint. */
  peerAddress: string;
  /** host:port of the node's client (admin) endpoint. */
  clientAddress: string;
  learner: boolean;
}

const ADDRESS = /^[A-Za-z0-9.\-:[\]]{1,253}:\d{1,5}$/;

/** Validates an untrusted member description; returns an error message or undefined. */
export function memberInfoProblem(m: Partial<MemberInfo>): string | undefined {
  if (!Number.isSafeInteger(m.id) || (m.id ?? 0) <= 0)
    return `member id must be a positive integer (got ${m.id})`;
  for (const f of ["peerAddress", "clientAddress"] as const) {
    const v = m[f];
    if (typeof v !== "string" || !ADDRESS.test(v)) return `${f} must be host:port (got ${JSON.stringify(v)})`;
    const port = Number(v.slice(v.lastIndexOf(":") + 1));
    if (port < 1 || port > 65535) return `${f} port must be in 1..65535 (got ${port})`;
  }
  return undefined;
}

export class MemberDirectory {
  readonly #members = new Map<number, MemberInfo>();

  get(id: number): MemberInfo | undefined {
    return this.#members.get(id);
  }

  set(info: MemberInfo): void {
    this.#members.set(info.id, { ...info });
  }

  remove(id: number): void {
    this.#members.delete(id);
  }

  list(): MemberInfo[] {
    return [...this.#members.values()].sort((a, b) => a.id - b.id);
  }

  load(list: MemberInfo[]): void {
    this.#members.clear();
    for (const m of list) this.#members.set(m.id, { ...m });
  }
}
