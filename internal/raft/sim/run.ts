// One simulation run from one seed: build the cluster, run the fault phase, heal everything and
// require recovery within a bound (liveness), then check convergence and linearizability.

import type { ReadOnlyOption, UnsafeTestingFaults } from "../config.ts";
import { ViolationKind } from "./checkers.ts";
import { type Cluster, TICK_UNITS } from "./cluster.ts";
import type { Host } from "./host.ts";
import { kvModel } from "./kv-model.ts";
import { checkLinearizable } from "./linearizability.ts";
import type { FaultProfile } from "./scenario.ts";
import { buildWorld } from "./world.ts";

export interface RunOptions {
  /** Cluster size at start, 3..7 (default: drawn from the seed). */
  nodes?: number;
  /** Deliberate library bugs, set on every node. */
  faults?: UnsafeTestingFaults;
  /** Read mode for every node (default: drawn from the seed). */
  readOnlyOption?: ReadOnlyOption;
  /** How faults are mixed (default: drawn from the seed, mostly "mixed"). */
  profile?: FaultProfile;
  /** Ticks of the fault phase (default DEFAULT_FAULT_TICKS). */
  faultTicks?: number;
  /** Receives one line per notable event, for replaying a failing seed. */
  trace?: (line: string) => void;
  /** With `trace`: also one line per message delivered or lost (verbose). */
  traceMessages?: boolean;
  /** Search budget of the linearizability checker. */
  maxLinearizabilitySteps?: number;
  /** End the run at the first safety violation (skips the liveness and history checks). */
  stopOnViolation?: boolean;
}

export interface RunStats {
  profile: FaultProfile;
  nodes: number;
  readOnlyOption: ReadOnlyOption;
  ticks: number;
  messagesSent: number;
  messagesDelivered: number;
  messagesDropped: number;
  messagesDuplicated: number;
  leadersElected: number;
  entriesApplied: number;
  writesOk: number;
  readsOk: number;
  writesUnknown: number;
  opsAbandoned: number;
  historyLength: number;
  linearizability: "ok" | "illegal" | "unknown";
  snapshotsTaken: number;
  snapshotsInstalled: number;
  confChangesApplied: number;
  crashes: number;
  pauses: number;
  partitions: number;
  transfers: number;
  stalls: number;
  churns: number;
  /** Ticks from healing to a stable leader with all clients served and all members caught up. */
  recoveryTicks: number;
}

export interface RunResult {
  seed: number;
  violations: string[];
  stats: RunStats;
}

const DEFAULT_LINEARIZABILITY_STEPS = 2_000_000;
/** Messages per simulated tick past which a run is stopped as a message storm. */
const MAX_MESSAGES_PER_TICK = 400;
/** Operations each client may still start once everything is healed. */
const LIVENESS_EXTRA_OPS = 4;
/** Most ticks a client waits between operations once everything is healed. */
const LIVENESS_THINK_TICKS = 2;

export function runSeed(seed: number, opts: RunOptions = {}): RunResult {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`runSeed: seed must be an integer (got ${seed})`);
  if (opts.nodes !== undefined && !(Number.isInteger(opts.nodes) && opts.nodes >= 3 && opts.nodes <= 7)) {
    throw new RangeError(`runSeed: nodes must be an integer in [3, 7] (got ${opts.nodes})`);
  }
  if (opts.faultTicks !== undefined && !(Number.isInteger(opts.faultTicks) && opts.faultTicks >= 0)) {
    throw new RangeError(`runSeed: faultTicks must be a non-negative integer (got ${opts.faultTicks})`);
  }
  const { sc, cluster, nemesis, membership } = buildWorld(seed, opts);
  const trace = opts.trace;

  const messageBudget = MAX_MESSAGES_PER_TICK * (sc.faultTicks + sc.livenessTicks);
  const stop = (): boolean => {
    if (cluster.network.stats.sent > messageBudget) {
      cluster.checker.report(
        ViolationKind.Runaway,
        `more than ${messageBudget} messages by tick ${cluster.stats.ticks} (a message storm)`,
      );
      return true;
    }
    return opts.stopOnViolation === true && cluster.checker.violations.length > 0;
  };

  // Fault phase.
  let stopped = false;
  for (let t = 0; t < sc.faultTicks && !stopped; t++) {
    nemesis.step(t);
    membership.step();
    cluster.runTick();
    stopped = stop();
  }

  // Liveness phase: heal everything; a leader must emerge, every client must get an answer to a
  // new operation, and every member must catch up, all within the bound.
  let recoveryTicks = -1;
  if (!stopped) {
    nemesis.healAll(sc.calm);
    const healedAt = cluster.now;
    cluster.clients.hurry(healedAt, LIVENESS_THINK_TICKS * TICK_UNITS, LIVENESS_EXTRA_OPS);
    cluster.clients.issuing = true;
    for (let t = 0; t < sc.livenessTicks && !stopped; t++) {
      cluster.runTick();
      stopped = stop();
      const leader = stableLeader(cluster);
      if (leader === undefined) continue;
      if (cluster.clients.issuing) {
        if (cluster.clients.allCompletedSince(healedAt)) cluster.clients.issuing = false;
        continue;
      }
      if (cluster.clients.outstanding === 0 && caughtUp(cluster, leader)) {
        recoveryTicks = t + 1;
        break;
      }
    }
    if (stopped) {
      // Ended early: the violation that stopped the run is the report.
    } else if (recoveryTicks < 0) {
      cluster.checker.report(
        ViolationKind.Liveness,
        `not recovered ${sc.livenessTicks} ticks after healing: ${livenessState(cluster, healedAt)}`,
      );
    } else {
      const leader = stableLeader(cluster)!;
      for (const id of cluster.members()) {
        const h = cluster.hosts.get(id)!;
        if (h.kvDigest !== leader.kvDigest) {
          cluster.checker.report(
            ViolationKind.StateDivergence,
            `n${id} and leader n${leader.id} differ at applied index ${h.applied}`,
          );
        }
      }
    }
    trace?.(
      `t=${cluster.now} end: ${recoveryTicks < 0 ? "not recovered" : `recovered in ${recoveryTicks} ticks`}`,
    );
  }

  // Linearizability of the client history.
  cluster.clients.finish();
  const history = cluster.clients.history;
  const lin = stopped
    ? { verdict: "unknown" as const, explanation: "run stopped early" }
    : checkLinearizable(kvModel, history, {
        maxSteps: opts.maxLinearizabilitySteps ?? DEFAULT_LINEARIZABILITY_STEPS,
      });
  if (lin.verdict === "illegal") {
    cluster.checker.report(ViolationKind.Linearizability, lin.explanation ?? "history is not linearizable");
  }

  const net = cluster.network.stats;
  const cl = cluster.clients.stats;
  const violations = [...cluster.checker.violations];
  for (const [kind, n] of cluster.checker.suppressed) violations.push(`${kind}: ... and ${n} more`);
  return {
    seed,
    violations,
    stats: {
      profile: sc.profile,
      nodes: sc.nodes,
      readOnlyOption: sc.readOnlyOption,
      ticks: cluster.stats.ticks,
      messagesSent: net.sent,
      messagesDelivered: net.delivered,
      messagesDropped: net.dropped + net.partitioned,
      messagesDuplicated: net.duplicated,
      leadersElected: cluster.checker.leadersElected,
      entriesApplied: cluster.stats.entriesApplied,
      writesOk: cl.writesOk,
      readsOk: cl.readsOk,
      writesUnknown: cl.writesUnknown,
      opsAbandoned: cl.abandoned,
      historyLength: history.length,
      linearizability: lin.verdict,
      snapshotsTaken: cluster.stats.snapshotsTaken,
      snapshotsInstalled: cluster.stats.snapshotsInstalled,
      confChangesApplied: cluster.stats.confChangesApplied,
      crashes: nemesis.stats.crashes,
      pauses: nemesis.stats.pauses,
      partitions: nemesis.stats.partitions,
      transfers: nemesis.stats.transfers,
      stalls: nemesis.stats.stalls,
      churns: nemesis.stats.churns,
      recoveryTicks,
    },
  };
}

/** The leader every running member follows, if they all agree. */
function stableLeader(cluster: Cluster): Host | undefined {
  const leader = cluster.leader();
  if (leader === undefined) return undefined;
  for (const id of cluster.members()) {
    const h = cluster.hosts.get(id);
    if (h === undefined || h.status !== "up" || h.lead !== leader.id || h.term !== leader.term)
      return undefined;
  }
  return leader;
}

function caughtUp(cluster: Cluster, leader: Host): boolean {
  const st = leader.rawNode?.status();
  if (st === undefined || st.hardState.commit !== leader.applied) return false;
  return cluster.members().every((id) => cluster.hosts.get(id)?.applied === leader.applied);
}

function livenessState(cluster: Cluster, healedAt: number): string {
  const leader = cluster.leader();
  const nodes = cluster
    .members()
    .map((id) => {
      const h = cluster.hosts.get(id);
      return h === undefined
        ? `n${id}:missing`
        : `n${id}:${h.status}/term${h.term}/lead${h.lead}/applied${h.applied}`;
    })
    .join(" ");
  return (
    `leader=${leader === undefined ? "none" : `n${leader.id}`} ` +
    `clientsServed=${cluster.clients.allCompletedSince(healedAt)} outstanding=${cluster.clients.outstanding} ${nodes}`
  );
}
