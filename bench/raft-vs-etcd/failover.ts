// Leader failover: with one writer loop running, kill -9 the leader and time from the kill to the
// first put that was sent after the kill and succeeded; then restart the killed member, wait until
// it has caught up, and repeat. The writer makes one attempt at a time with a short deadline and
// retries at once (after a short pause when the attempt failed fast), on a random endpoint each
// time, the same for both systems.

import type { Putter } from "./clients.ts";
import { type BenchCluster, sleep, waitFor } from "./clusters.ts";
import { keyName, makeValue } from "./load.ts";

export interface FailoverOptions {
  kills: number;
  /** Deadline of one put attempt. */
  attemptMs: number;
  /** Pause after a failed attempt before the next one. */
  retryPauseMs: number;
  /** Running (and succeeding) before each kill. */
  steadyMs: number;
  /** After the killed member caught up, before the next kill. */
  settleMs: number;
  keys: number;
  valueBytes: number;
  /** Called after each kill (progress lines). */
  onKill?: (k: KillResult, n: number) => void;
}

export interface KillResult {
  killed: number;
  newLeader: number | undefined;
  /** Kill to the first successful put sent after it. */
  failoverMs: number;
  /** Attempts sent after the kill, and how many of them failed (fast errors and deadlines). */
  attempts: number;
  failed: number;
  timedOut: number;
  /** Restart of the killed member until it had caught up (not part of the failover time). */
  rejoinMs: number;
}

class Probe {
  readonly #putter: Putter;
  readonly #o: FailoverOptions;
  readonly #value: string;
  #stopped = false;
  #done: Promise<void> = Promise.resolve();
  #seq = 0;
  #since = Number.POSITIVE_INFINITY;
  #firstOk: number | undefined;
  #waiters: Array<(t: number) => void> = [];
  attempts = 0;
  failed = 0;
  timedOut = 0;

  constructor(putter: Putter, o: FailoverOptions) {
    this.#putter = putter;
    this.#o = o;
    this.#value = makeValue(o.valueBytes, 777);
  }

  start(): void {
    this.#stopped = false;
    this.#done = this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#done;
  }

  /** Resolves with the end time of the first successful put sent at or after `t`. */
  firstSuccessSince(t: number): Promise<number> {
    this.#since = t;
    this.#firstOk = undefined;
    this.attempts = 0;
    this.failed = 0;
    this.timedOut = 0;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      const sent = performance.now();
      const key = keyName(this.#seq++ % this.#o.keys);
      // Judged when the attempt ends: an attempt sent before the kill never counts for it.
      const counted = (): boolean => sent >= this.#since;
      if (counted()) this.attempts++;
      try {
        await this.#putter.put(key, this.#value, this.#o.attemptMs);
        const done = performance.now();
        if (counted() && this.#firstOk === undefined) {
          this.#firstOk = done;
          for (const w of this.#waiters.splice(0)) w(done);
        }
      } catch (err) {
        if (counted()) {
          this.failed++;
          if ((err as { code?: number }).code === 4 || /deadline/i.test((err as Error).message))
            this.timedOut++;
        }
        await sleep(this.#o.retryPauseMs);
      }
    }
  }
}

export async function measureFailover(
  cluster: BenchCluster,
  putter: Putter,
  o: FailoverOptions,
): Promise<KillResult[]> {
  const results: KillResult[] = [];
  const probe = new Probe(putter, o);
  for (let k = 0; k < o.kills; k++) {
    let leader: number | undefined;
    await waitFor(`${cluster.system}: a leader before kill ${k + 1}`, 30_000, async () => {
      leader = await cluster.leader();
      return leader !== undefined;
    });
    probe.start();
    // The writer must be running and succeeding before the kill.
    await probe.firstSuccessSince(performance.now());
    await sleep(o.steadyMs);
    const killedAt = performance.now();
    const ok = probe.firstSuccessSince(killedAt);
    await cluster.kill(leader!);
    const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 60_000).unref());
    const okAt = await Promise.race([ok, timeout]);
    await probe.stop();
    if (okAt === undefined)
      throw new Error(`${cluster.system}: no write succeeded within 60 s after killing member ${leader}`);
    const result: KillResult = {
      killed: leader!,
      newLeader: await cluster.leader(),
      failoverMs: okAt - killedAt,
      attempts: probe.attempts,
      failed: probe.failed,
      timedOut: probe.timedOut,
      rejoinMs: 0,
    };
    const restartAt = performance.now();
    await cluster.restart(leader!);
    const endpoint = cluster.endpoints[leader! - 1]!;
    await waitFor(`${cluster.system}: member ${leader} caught up after restart`, 60_000, async () => {
      if (!(await cluster.caughtUp(leader!))) return false;
      // The client's own channel to the restarted member must work again too.
      try {
        await putter.putAt(endpoint, keyName(0), "rejoined", 1000);
        return true;
      } catch {
        return false;
      }
    });
    result.rejoinMs = performance.now() - restartAt;
    results.push(result);
    o.onKill?.(result, k + 1);
    await sleep(o.settleMs);
  }
  return results;
}
