// Client histories recorded against real nodes, in the simulator checker's format: a put with an
// error has an unknown outcome (it may have been applied), a get with an error is dropped (it
// observed nothing), unless the error proves the request was never applied.

import type { KvInput, KvOutput } from "../../internal/raft/sim/kv-model.ts";
import type { Operation } from "../../internal/raft/sim/linearizability.ts";
import { definitelyNotApplied } from "./api.ts";

export type KvOperation = Operation<KvInput, KvOutput>;

export class History {
  readonly ops: KvOperation[] = [];
  putsOk = 0;
  putsUnknown = 0;
  putsRefused = 0;
  getsOk = 0;
  getsFailed = 0;

  /** Runs a put and records it; returns whether it was acknowledged. */
  async put(clientId: number, key: string, value: string, run: () => Promise<unknown>): Promise<boolean> {
    const call = performance.now();
    try {
      await run();
      this.ops.push({
        clientId,
        input: { op: "put", key, value },
        call,
        output: { value: undefined },
        return: performance.now(),
      });
      this.putsOk++;
      return true;
    } catch (err) {
      if (definitelyNotApplied(err)) {
        this.putsRefused++;
      } else {
        this.ops.push({
          clientId,
          input: { op: "put", key, value },
          call,
          output: undefined,
          return: Number.POSITIVE_INFINITY,
        });
        this.putsUnknown++;
      }
      throw err;
    }
  }

  /** Runs a get and records it when it answered. */
  async get(
    clientId: number,
    key: string,
    run: () => Promise<{ found: boolean; value: string }>,
  ): Promise<string | undefined> {
    const call = performance.now();
    try {
      const r = await run();
      const value = r.found ? r.value : undefined;
      this.ops.push({
        clientId,
        input: { op: "get", key },
        call,
        output: { value },
        return: performance.now(),
      });
      this.getsOk++;
      return value;
    } catch (err) {
      this.getsFailed++;
      throw err;
    }
  }

  /** Acknowledged puts that returned at or after `t`. */
  ackedPutsAfter(t: number): KvOperation[] {
    return this.ops.filter((o) => o.input.op === "put" && o.output !== undefined && o.return >= t);
  }

  summary(): string {
    return (
      `puts ok ${this.putsOk}, unknown ${this.putsUnknown}, refused ${this.putsRefused}; ` +
      `gets ok ${this.getsOk}, failed ${this.getsFailed}`
    );
  }
}

/**
 * Acknowledged puts a final read proves lost: for each key, the final value must come from a put
 * that no acknowledged put followed in real time (a put that returned before an acknowledged
 * put was called is overwritten by it, and must not be what is left). Values must be unique.
 */
export function lostAcknowledgedPuts(
  ops: readonly KvOperation[],
  finalValues: ReadonlyMap<string, string | undefined>,
): string[] {
  const problems: string[] = [];
  for (const [key, value] of finalValues) {
    const puts = ops.filter((o) => o.input.op === "put" && o.input.key === key);
    const acked = puts.filter((o) => o.output !== undefined);
    if (value === undefined) {
      if (acked.length > 0) problems.push(`${key}: absent after ${acked.length} acknowledged puts`);
      continue;
    }
    const source = puts.find((o) => o.input.op === "put" && o.input.value === value);
    if (!source) {
      problems.push(`${key}: final value ${JSON.stringify(value)} was never written`);
      continue;
    }
    const later = acked.filter((o) => o.call > source.return);
    if (later.length > 0)
      problems.push(
        `${key}: final value ${JSON.stringify(value)} (put returned at ${source.return.toFixed(0)} ms) but ` +
          `${later.length} acknowledged puts started after it, e.g. ${JSON.stringify(later[later.length - 1]!.input)}`,
      );
  }
  return problems;
}
