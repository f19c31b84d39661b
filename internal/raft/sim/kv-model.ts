// Sequential model of a key-value store as one register per key, for the linearizability checker:
// histories are partitioned by key and each partition is checked against a single register.

import type { Model, Operation } from "./linearizability.ts";

export type KvInput = { op: "put"; key: string; value: string } | { op: "get"; key: string };
/** get: the value read (undefined = key absent); put: `{ value: undefined }`. */
export type KvOutput = { value: string | undefined };
/** The value of the one key of a partition; undefined = absent. */
export type KvState = string | undefined;

/**
 * Register-per-key model. Correct only together with its `partition` (every partition holds the
 * operations of one key), which `checkLinearizable` always applies.
 */
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init(): KvState {
    return undefined;
  },

  step(state: KvState, input: KvInput, output: KvOutput | undefined): { ok: boolean; state: KvState } {
    if (input.op === "put") return { ok: true, state: input.value };
    // A get with unknown outcome observed nothing and changed nothing.
    return { ok: output === undefined || output.value === state, state };
  },

  /** "absent" for no value, the JSON string otherwise, so "" and absent differ. */
  key(state: KvState): string {
    return state === undefined ? "absent" : JSON.stringify(state);
  },

  /** One partition per key, in order of the key's first appearance; op order is kept. */
  partition(history: Operation<KvInput, KvOutput>[]): Operation<KvInput, KvOutput>[][] {
    const byKey = new Map<string, Operation<KvInput, KvOutput>[]>();
    for (const op of history) {
      let part = byKey.get(op.input.key);
      if (part === undefined) {
        part = [];
        byKey.set(op.input.key, part);
      }
      part.push(op);
    }
    return [...byKey.values()];
  },

  describeOperation(input: KvInput, output: KvOutput | undefined): string {
    const key = JSON.stringify(input.key);
    if (input.op === "put") {
      return `put(${key}, ${JSON.stringify(input.value)})${output === undefined ? " -> ?" : ""}`;
    }
    const read =
      output === undefined ? "?" : output.value === undefined ? "absent" : JSON.stringify(output.value);
    return `get(${key}) -> ${read}`;
  },
};
