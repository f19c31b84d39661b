// Wing–Gong–Lowe linearizability checker (porcupine-style): decides whether a concurrent history of
// operations could have happened one at a time, in real-time order, against a sequential model.

/**
 * One completed (or abandoned) call in a history.
 *
 * Time semantics: intervals are closed, `[call, return]`. Two operations are ordered in real time
 * only when one's `return` is strictly less than the other's `call`; when `a.return === b.call`
 * they count as concurrent and may be linearized either way. (In the event list, calls sort before
 * returns at equal times.) This is the permissive choice: a harness that stamps a response and the
 * next request with the same tick never gets a false "illegal".
 */
export interface Operation<I, O> {
  clientId: number;
  input: I;
  /** Time the call was invoked (any monotonic number, e.g. simulator tick * 1000 + seq). */
  call: number;
  /** Output; undefined when the outcome is unknown (timed out / crashed): the op may or may not have taken effect. */
  output: O | undefined;
  /** Time the response was received; Infinity when the outcome is unknown. */
  return: number;
}

/** A sequential specification of the object under test. */
export interface Model<S, I, O> {
  init(): S;
  /** Apply `input` with observed `output` (undefined = unknown outcome, accept any output) to `state`: whether that is legal and the next state. Must not mutate `state`. */
  step(state: S, input: I, output: O | undefined): { ok: boolean; state: S };
  /** A string that is equal for equal states (for the memo cache). */
  key(state: S): string;
  /** Optional: split a history into independent sub-histories (e.g. by key). Each is checked separately. */
  partition?(history: Operation<I, O>[]): Operation<I, O>[][];
  describeOperation?(input: I, output: O | undefined): string;
}

export type CheckVerdict = "ok" | "illegal" | "unknown";

export interface CheckResult {
  /** ok = linearizable; illegal = provably not; unknown = search budget exhausted. */
  verdict: CheckVerdict;
  /** For illegal: a human-readable explanation: the partition, the longest linearizable prefix found and the operations that could not be linearized next. For unknown: where the budget ran out. */
  explanation?: string;
  /** Search steps spent over all partitions (one per visit of an event in the search). */
  steps: number;
}

export interface CheckOptions {
  /** Upper bound on search steps over the whole history; past it the verdict is "unknown". */
  maxSteps?: number;
}

export const DEFAULT_MAX_STEPS = 5_000_000;

/** How many prefix operations an explanation prints before eliding the older ones. */
const EXPLAIN_PREFIX_TAIL = 20;

/**
 * Checks `history` against `model`. Each partition (see `Model.partition`) is searched on its own;
 * the first illegal partition decides the verdict. `maxSteps` bounds the total work: partitions
 * searched after the budget ran out are not searched and make the verdict "unknown" (unless an
 * earlier partition was already found illegal).
 *
 * Operations with unknown outcome (`output` undefined, `return` Infinity) may be linearized at any
 * point after their call, including after every completed operation, which is how "never took
 * effect" is represented; so the model must accept any input with an undefined output from any
 * state for such histories to be checkable.
 *
 * Throws a RangeError on a malformed history (non-finite call, NaN return, return before call)
 * or a bad `maxSteps`.
 */
export function checkLinearizable<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options?: CheckOptions,
): CheckResult {
  const maxSteps = options?.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!(Number.isInteger(maxSteps) && maxSteps >= 0)) {
    throw new RangeError(`checkLinearizable: maxSteps must be a non-negative integer, got ${maxSteps}`);
  }
  for (let i = 0; i < history.length; i++) validateOperation(history[i]!, i);

  const partitions = model.partition ? model.partition(history) : [history];
  let steps = 0;
  let unknownAt = -1;
  for (let p = 0; p < partitions.length; p++) {
    const part = partitions[p]!;
    if (part.length === 0) continue;
    const outcome = searchPartition(model, part, maxSteps - steps);
    steps += outcome.steps;
    if (outcome.verdict === "illegal") {
      return {
        verdict: "illegal",
        explanation: explainIllegal(model, history, partitions.length, p, part, outcome),
        steps,
      };
    }
    if (outcome.verdict === "unknown" && unknownAt < 0) unknownAt = p;
  }
  if (unknownAt >= 0) {
    return {
      verdict: "unknown",
      explanation:
        `search budget of ${maxSteps} steps exhausted in partition ${unknownAt + 1} of ${partitions.length} ` +
        `(${partitions[unknownAt]!.length} operations); no illegal partition found before that`,
      steps,
    };
  }
  return { verdict: "ok", steps };
}

function validateOperation(op: Operation<unknown, unknown>, index: number): void {
  if (!Number.isFinite(op.call)) {
    throw new RangeError(`checkLinearizable: operation ${index} has non-finite call time ${op.call}`);
  }
  if (Number.isNaN(op.return) || op.return < op.call) {
    throw new RangeError(
      `checkLinearizable: operation ${index} returns at ${op.return}, before its call at ${op.call}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The search.
//
// Events are numbered 2*op (call) and 2*op + 1 (return) and threaded, in time order, on a doubly
// linked list held in two Int32Arrays with a head and a tail sentinel. Linearizing ("lifting") an
// op unlinks its call and return; backtracking relinks them in reverse order (dancing links).
//
// Walking the list from the head, every call seen before the first return is a candidate to be
// linearized next. A candidate the model accepts is lifted and the walk restarts at the head,
// unless (set of linearized ops, model state) is already in the cache: that configuration was
// explored before and failed. Reaching a return event means the op it belongs to cannot be
// postponed past it, so the last lifted op is unlifted and the walk resumes after it. The history
// is linearizable when the list empties, and illegal when a return is reached with nothing to undo.
// ---------------------------------------------------------------------------------------------

interface Best<S> {
  /** Op indices (within the partition) of the longest linearizable prefix found, in order. */
  prefix: number[];
  /** Model state after that prefix. */
  state: S;
  /** Ops whose call came before the first pending return at that point: the candidates for next. */
  candidates: number[];
  /** The op whose return bounded the candidates. */
  blocking: number;
}

interface SearchOutcome<S> {
  verdict: CheckVerdict;
  steps: number;
  best?: Best<S>;
}

function searchPartition<S, I, O>(
  model: Model<S, I, O>,
  ops: Operation<I, O>[],
  budget: number,
): SearchOutcome<S> {
  const n = ops.length;
  const nEvents = 2 * n;
  const HEAD = nEvents;
  const TAIL = nEvents + 1;

  const order = new Array<number>(nEvents);
  for (let e = 0; e < nEvents; e++) order[e] = e;
  const timeOf = (e: number): number => {
    const op = ops[e >>> 1]!;
    return (e & 1) === 0 ? op.call : op.return;
  };
  order.sort((a, b) => {
    const ta = timeOf(a);
    const tb = timeOf(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    // Closed intervals: at equal times calls come first, so a call at t overlaps a return at t.
    const kind = (a & 1) - (b & 1);
    return kind !== 0 ? kind : a - b;
  });

  const next = new Int32Array(nEvents + 2);
  const prev = new Int32Array(nEvents + 2);
  let last = HEAD;
  for (const e of order) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  next[last] = TAIL;
  prev[TAIL] = last;

  const unlink = (e: number): void => {
    next[prev[e]!] = next[e]!;
    prev[next[e]!] = prev[e]!;
  };
  const relink = (e: number): void => {
    next[prev[e]!] = e;
    prev[next[e]!] = e;
  };

  const linearized = new Uint32Array((n + 31) >>> 5);
  let hash = 0;
  const cache = new Map<string, Uint32Array[]>();

  const stackCall = new Int32Array(n);
  const stackState = new Array<S>(n);
  let depth = 0;
  let state = model.init();

  let best: Best<S> | undefined;
  const recordBest = (): void => {
    const prefix = new Array<number>(depth);
    for (let i = 0; i < depth; i++) prefix[i] = stackCall[i]! >>> 1;
    const candidates: number[] = [];
    let e = next[HEAD]!;
    while ((e & 1) === 0) {
      candidates.push(e >>> 1);
      e = next[e]!;
    }
    best = { prefix, state, candidates, blocking: e >>> 1 };
  };
  recordBest();

  let steps = 0;
  let entry = next[HEAD]!;
  while (next[HEAD] !== TAIL) {
    if (steps >= budget) return { verdict: "unknown", steps };
    steps++;
    if ((entry & 1) === 0) {
      const id = entry >>> 1;
      const op = ops[id]!;
      const r = model.step(state, op.input, op.output);
      if (r.ok) {
        const word = id >>> 5;
        const bit = 1 << (id & 31);
        linearized[word]! |= bit;
        const nextHash = hash ^ mixId(id);
        if (cacheAdd(cache, model.key(r.state) + "#" + nextHash, linearized)) {
          stackCall[depth] = entry;
          stackState[depth] = state;
          depth++;
          state = r.state;
          hash = nextHash;
          unlink(entry);
          unlink(entry + 1);
          if (depth > best!.prefix.length && depth < n) recordBest();
          entry = next[HEAD]!;
          continue;
        }
        linearized[word]! &= ~bit;
      }
      entry = next[entry]!;
    } else {
      // The op owning this return must already be linearized; it is not, so undo the last choice.
      if (depth === 0) return { verdict: "illegal", steps, best: best! };
      depth--;
      const call = stackCall[depth]!;
      const id = call >>> 1;
      state = stackState[depth]!;
      stackState[depth] = undefined as S; // drop the reference for the GC
      linearized[id >>> 5]! &= ~(1 << (id & 31));
      hash ^= mixId(id);
      relink(call + 1);
      relink(call);
      entry = next[call]!;
    }
  }
  return { verdict: "ok", steps };
}

/** Adds a copy of `bits` under `key` unless an equal set is there; returns whether it was added. */
function cacheAdd(cache: Map<string, Uint32Array[]>, key: string, bits: Uint32Array): boolean {
  const bucket = cache.get(key);
  if (bucket === undefined) {
    cache.set(key, [bits.slice()]);
    return true;
  }
  outer: for (const other of bucket) {
    for (let i = 0; i < bits.length; i++) if (other[i] !== bits[i]) continue outer;
    return false;
  }
  bucket.push(bits.slice());
  return true;
}

/** A fixed 32-bit mix of an op index (murmur3 finalizer); XORed together they hash a set of ops. */
function mixId(id: number): number {
  let h = Math.imul(id + 1, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

// ---------------------------------------------------------------------------------------------
// Explanations.
// ---------------------------------------------------------------------------------------------

function explainIllegal<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  partitionCount: number,
  partitionIndex: number,
  part: Operation<I, O>[],
  outcome: SearchOutcome<S>,
): string {
  const best = outcome.best!;
  const historyIndex = new Map<Operation<I, O>, number>();
  for (let i = 0; i < history.length; i++) historyIndex.set(history[i]!, i);
  const describe = (id: number): string => describeOp(model, part[id]!, historyIndex.get(part[id]!));

  const lines: string[] = [];
  lines.push(
    `not linearizable: partition ${partitionIndex + 1} of ${partitionCount} ` +
      `(${part.length} operations; ${outcome.steps} search steps in it)`,
  );
  lines.push(`longest linearizable prefix found: ${best.prefix.length} operations`);
  const skipped = Math.max(0, best.prefix.length - EXPLAIN_PREFIX_TAIL);
  if (skipped > 0) lines.push(`  ... ${skipped} earlier operations`);
  for (let i = skipped; i < best.prefix.length; i++) lines.push(`  ${i + 1}. ${describe(best.prefix[i]!)}`);
  lines.push(`state after the prefix: ${model.key(best.state)}`);
  lines.push(
    `none of these could be linearized next (all must precede the return of ${describe(best.blocking)}):`,
  );
  for (const id of best.candidates) {
    const op = part[id]!;
    const verdict = model.step(best.state, op.input, op.output).ok
      ? "accepted by the model, but no linearization of the rest follows"
      : "rejected by the model in this state";
    lines.push(`  - ${describe(id)}: ${verdict}`);
  }
  return lines.join("\n");
}

function describeOp<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>, index: number | undefined): string {
  const what = model.describeOperation
    ? model.describeOperation(op.input, op.output)
    : `${safeStringify(op.input)} -> ${op.output === undefined ? "?" : safeStringify(op.output)}`;
  const ret = op.return === Infinity ? "∞" : String(op.return);
  const where = index === undefined ? "" : `#${index} `;
  return `${where}client ${op.clientId} ${what} [${op.call}, ${ret}]`;
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
