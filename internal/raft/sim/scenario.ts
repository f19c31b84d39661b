// A run's parameters, all drawn from its seed unless the caller fixes them: cluster size, Raft
// settings, fault rates, network weather, client load, and the length of each phase.

import { ReadOnlyOption, type UnsafeTestingFaults } from "../config.ts";
import type { SeededRandom } from "../rand.ts";
import { TICK_UNITS } from "./cluster.ts";
import { CALM_NETWORK, type NetworkFaults } from "./network.ts";

/**
 * How faults are mixed: "mixed" draws every kind of fault at random; "churn" strikes nearly every
 * new leader soon after it takes office and replicates one entry per message, so that entries of
 * old terms sit on minorities while newer leaders come and go (Raft paper, figure 8).
 */
export const FaultProfile = { Mixed: "mixed", Churn: "churn" } as const;
export type FaultProfile = (typeof FaultProfile)[keyof typeof FaultProfile];

/** Share of seeds that run the churn profile when the caller does not choose. */
const CHURN_SHARE = 0.2;

/** Ticks of the fault phase unless the caller says otherwise. */
export const DEFAULT_FAULT_TICKS = 2000;

export interface Scenario {
  profile: FaultProfile;
  nodes: number;
  electionTicks: number;
  heartbeatTicks: number;
  preVote: boolean;
  checkQuorum: boolean;
  readOnlyOption: ReadOnlyOption;
  faults: UnsafeTestingFaults;
  snapshotEvery: number;
  compactKeep: number;
  clients: number;
  keys: string[];
  readRatio: number;
  maxOpsPerClient: number;
  /** Ticks of the fault phase. */
  faultTicks: number;
  /** Ticks the liveness phase may take before it is a violation. */
  livenessTicks: number;
  network: NetworkFaults;
  weathers: NetworkFaults[];
  calm: NetworkFaults;
  diskDelayMax: number;
  /** Append size limit: tiny values send one entry per message (old-term entries then travel alone). */
  maxSizePerMsgBytes: number;
  maxInflightMsgs: number;
  nemesisRate: number;
  churnRate: number;
  membershipRate: number;
  maxDown: number;
}

export interface ScenarioOverrides {
  /** Cluster size at start, 3..7 (default: drawn per seed). */
  nodes?: number;
  faults?: UnsafeTestingFaults;
  readOnlyOption?: ReadOnlyOption;
  faultTicks?: number;
  profile?: FaultProfile;
}

export function drawScenario(rng: SeededRandom, o: ScenarioOverrides): Scenario {
  const nodes = o.nodes ?? 3 + rng.int(5);
  const profile = o.profile ?? (rng.next() < CHURN_SHARE ? FaultProfile.Churn : FaultProfile.Mixed);
  const churn = profile === FaultProfile.Churn;
  const electionTicks = 10;
  const heartbeatTicks = 1 + rng.int(2);
  const readOnlyOption =
    o.readOnlyOption ?? (rng.next() < 0.35 ? ReadOnlyOption.LeaseBased : ReadOnlyOption.Safe);
  const leaseBased = readOnlyOption === ReadOnlyOption.LeaseBased;
  const checkQuorum = leaseBased || rng.next() < 0.8;
  const preVote = rng.next() < 0.8;
  const weather = (): NetworkFaults => {
    const maxDelay = 2 + rng.int(TICK_UNITS);
    // Spikes sometimes outlast an election timeout, so that stale votes and appends arrive late.
    const spikeMax = rng.next() < 0.5 ? 4 * TICK_UNITS : 3 * electionTicks * TICK_UNITS;
    return {
      dropRate: rng.next() < 0.3 ? 0 : rng.next() * 0.2,
      duplicateRate: rng.next() < 0.5 ? 0 : rng.next() * 0.1,
      minDelay: 1,
      maxDelay,
      spikeRate: rng.next() < 0.3 ? 0 : rng.next() * 0.1,
      spikeMaxDelay: maxDelay + rng.int(spikeMax),
    };
  };
  const weathers = [weather(), weather(), weather()];
  const faultTicks = o.faultTicks ?? DEFAULT_FAULT_TICKS;
  const clients = 3 + rng.int(3);
  const keyCount = 3 + rng.int(3);
  const maxOpsPerClient = 40 + rng.int(40);
  return {
    profile,
    nodes,
    electionTicks,
    heartbeatTicks,
    preVote,
    checkQuorum,
    readOnlyOption,
    faults: o.faults ?? {},
    snapshotEvery: 20 + rng.int(31),
    compactKeep: rng.int(6),
    clients,
    keys: Array.from({ length: keyCount }, (_, i) => `k${i}`),
    readRatio: 0.3 + rng.next() * 0.4,
    maxOpsPerClient,
    faultTicks,
    livenessTicks: 30 * electionTicks,
    network: weathers[0]!,
    weathers,
    calm: CALM_NETWORK,
    diskDelayMax: rng.int(3),
    maxSizePerMsgBytes: churn || rng.next() < 0.4 ? 1 : 4096,
    maxInflightMsgs: churn ? 1 : 1 + rng.int(16),
    nemesisRate: churn ? 0.02 : 0.05 + rng.next() * 0.15,
    churnRate: churn ? 1 : rng.next() < 0.3 ? 0 : rng.next() * 0.6,
    membershipRate: rng.next() < 0.25 ? 0 : 0.01 + rng.next() * 0.04,
    maxDown: churn ? 2 : 1 + rng.int(Math.ceil(nodes / 2)),
  };
}
