// Simulated clients: each keeps at most one operation outstanding, sends it to the node it
// believes leads, retries only attempts that definitely failed, gives up at a deadline, and
// records the history the linearizability checker reads.

import type { SeededRandom } from "../rand.ts";
import type { NodeId } from "../types.ts";
import type { KvInput, KvOutput } from "./kv-model.ts";
import type { Operation } from "./linearizability.ts";

export type ClientRequest =
  | { kind: "put"; clientId: number; seq: number; key: string; value: string }
  | { kind: "get"; clientId: number; seq: number; key: string };

/** A node's immediate answer to a request. */
export type SubmitResult =
  /** Proposed, or read registered, or queued at a frozen node: the answer comes later, or never. */
  | { kind: "accepted" }
  /** Definitely not executed; `leaderHint` is who the node thinks leads (0 = unknown). */
  | { kind: "rejected"; leaderHint: NodeId };

/** A node's later answer to an accepted request. */
export type ClientReply =
  | { ok: true; from: NodeId; clientId: number; seq: number; value: string | undefined }
  | { ok: false; from: NodeId; clientId: number; seq: number; leaderHint: NodeId };

export interface ClientsEnv {
  submit(nodeId: NodeId, req: ClientRequest): SubmitResult;
  /** Nodes a client may try when it knows no leader. */
  candidates(): NodeId[];
}

export interface ClientsConfig {
  clients: number;
  keys: readonly string[];
  /** Time an operation may take before the client gives up on it. */
  opTimeout: number;
  maxOpsPerClient: number;
  /** Pause before a client's next operation, drawn from [0, thinkMax]. */
  thinkMax: number;
  /** Pause before retrying an attempt that failed without a leader hint. */
  retryDelay: number;
  readRatio: number;
}

export interface ClientStats {
  issued: number;
  writesOk: number;
  readsOk: number;
  /** Writes whose outcome is unknown (timed out after the request may have been executed). */
  writesUnknown: number;
  /** Operations given up without any possible effect (not in the history). */
  abandoned: number;
  attempts: number;
}

interface PendingOp {
  seq: number;
  input: KvInput;
  call: number;
  deadline: number;
  /** The last attempt may still take effect; no retry while this holds. */
  uncertain: boolean;
  retryAt: number;
}

interface ClientState {
  id: number;
  seq: number;
  leader: NodeId;
  op: PendingOp | undefined;
  nextOpAt: number;
  opsIssued: number;
  /** Call time of the latest operation that completed with an answer. */
  lastOkCall: number;
}

export class Clients {
  readonly history: Operation<KvInput, KvOutput>[] = [];
  readonly stats: ClientStats = {
    issued: 0,
    writesOk: 0,
    readsOk: 0,
    writesUnknown: 0,
    abandoned: 0,
    attempts: 0,
  };
  /** When false, clients start no new operations (outstanding ones carry on). */
  issuing = true;
  readonly #rng: SeededRandom;
  readonly #cfg: ClientsConfig;
  #maxOps: number;
  #thinkMax: number;
  readonly #env: ClientsEnv;
  readonly #clients: ClientState[] = [];
  readonly #trace: ((line: string) => void) | undefined;

  constructor(rng: SeededRandom, cfg: ClientsConfig, env: ClientsEnv, trace?: (line: string) => void) {
    this.#rng = rng;
    this.#cfg = cfg;
    this.#env = env;
    this.#trace = trace;
    this.#maxOps = cfg.maxOpsPerClient;
    this.#thinkMax = cfg.thinkMax;
    for (let i = 1; i <= cfg.clients; i++) {
      this.#clients.push({
        id: i,
        seq: 0,
        leader: 0,
        op: undefined,
        nextOpAt: 0,
        opsIssued: 0,
        lastOkCall: -1,
      });
    }
  }

  /** Starts, retries and times out operations due at `now`. */
  step(now: number): void {
    for (const c of this.#clients) {
      const op = c.op;
      if (op !== undefined) {
        if (now >= op.deadline) this.#giveUp(c, op, now);
        else if (!op.uncertain && now >= op.retryAt) this.#attempt(c, op, now);
        continue;
      }
      if (this.issuing && c.opsIssued < this.#maxOps && now >= c.nextOpAt) this.#start(c, now);
    }
  }

  onReply(reply: ClientReply, now: number): void {
    const c = this.#clients[reply.clientId - 1];
    const op = c?.op;
    if (c === undefined || op === undefined || op.seq !== reply.seq) return; // late answer
    if (!reply.ok) {
      op.uncertain = false;
      c.leader = reply.leaderHint;
      op.retryAt = now + 1;
      return;
    }
    c.leader = reply.from;
    const output: KvOutput = { value: op.input.op === "get" ? reply.value : undefined };
    this.history.push({ clientId: c.id, input: op.input, call: op.call, output, return: now });
    if (op.input.op === "get") this.stats.readsOk++;
    else this.stats.writesOk++;
    this.#trace?.(
      `t=${now} c${c.id} ${describe(op.input)} ok${op.input.op === "get" ? ` -> ${reply.value}` : ""}`,
    );
    c.lastOkCall = op.call;
    this.#finish(c, now);
  }

  /** Ends the run: writes that may have taken effect go into the history with unknown outcome. */
  finish(): void {
    for (const c of this.#clients) {
      const op = c.op;
      if (op === undefined) continue;
      if (op.uncertain && op.input.op === "put") this.#recordUnknown(c, op);
      else this.stats.abandoned++;
      c.op = undefined;
    }
  }

  /**
   * From `now` on, clients think at most `thinkMax` between operations, and each may issue `n`
   * more operations than its budget allowed so far (the liveness phase wants answers soon).
   */
  hurry(now: number, thinkMax: number, n: number): void {
    this.#maxOps += n;
    this.#thinkMax = Math.min(this.#thinkMax, thinkMax);
    for (const c of this.#clients) c.nextOpAt = Math.min(c.nextOpAt, now + this.#rng.int(this.#thinkMax + 1));
  }

  get outstanding(): number {
    let n = 0;
    for (const c of this.#clients) if (c.op !== undefined) n++;
    return n;
  }

  /** Whether every client has had an operation called at or after `since` answered. */
  allCompletedSince(since: number): boolean {
    return this.#clients.every((c) => c.lastOkCall >= since);
  }

  #start(c: ClientState, now: number): void {
    c.seq++;
    c.opsIssued++;
    this.stats.issued++;
    const key = this.#cfg.keys[this.#rng.int(this.#cfg.keys.length)]!;
    const input: KvInput =
      this.#rng.next() < this.#cfg.readRatio
        ? { op: "get", key }
        : { op: "put", key, value: `c${c.id}.${c.seq}` };
    const op: PendingOp = {
      seq: c.seq,
      input,
      call: now,
      deadline: now + this.#cfg.opTimeout,
      uncertain: false,
      retryAt: now,
    };
    c.op = op;
    this.#trace?.(`t=${now} c${c.id} ${describe(input)} starts`);
    this.#attempt(c, op, now);
  }

  #attempt(c: ClientState, op: PendingOp, now: number): void {
    const candidates = this.#env.candidates();
    const target = c.leader !== 0 ? c.leader : candidates[this.#rng.int(candidates.length)];
    if (target === undefined) {
      op.retryAt = now + this.#cfg.retryDelay;
      return;
    }
    this.stats.attempts++;
    const req: ClientRequest =
      op.input.op === "put"
        ? { kind: "put", clientId: c.id, seq: op.seq, key: op.input.key, value: op.input.value }
        : { kind: "get", clientId: c.id, seq: op.seq, key: op.input.key };
    const res = this.#env.submit(target, req);
    if (res.kind === "accepted") {
      op.uncertain = true;
      return;
    }
    // A hint naming the node we just asked would loop; forget it and pick at random next time.
    c.leader = res.leaderHint === target ? 0 : res.leaderHint;
    op.retryAt = now + (c.leader !== 0 ? 1 : this.#cfg.retryDelay);
  }

  #giveUp(c: ClientState, op: PendingOp, now: number): void {
    if (op.uncertain && op.input.op === "put") {
      this.#recordUnknown(c, op);
      this.#trace?.(`t=${now} c${c.id} ${describe(op.input)} timed out (unknown)`);
    } else {
      this.stats.abandoned++;
      this.#trace?.(`t=${now} c${c.id} ${describe(op.input)} timed out (no effect)`);
    }
    c.leader = 0;
    this.#finish(c, now);
  }

  #recordUnknown(c: ClientState, op: PendingOp): void {
    this.history.push({
      clientId: c.id,
      input: op.input,
      call: op.call,
      output: undefined,
      return: Infinity,
    });
    this.stats.writesUnknown++;
  }

  #finish(c: ClientState, now: number): void {
    c.op = undefined;
    c.nextOpAt = now + this.#rng.int(this.#thinkMax + 1);
  }
}

function describe(input: KvInput): string {
  return input.op === "put" ? `put(${input.key}, ${input.value})` : `get(${input.key})`;
}
