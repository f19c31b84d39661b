// Builds a run's world from its seed: the scenario, the cluster of bootstrapped nodes with their
// clients, the nemesis and the administrator, each with its own random stream cut from the seed.

import { SeededRandom } from "../rand.ts";
import { bootstrapStorage, MemoryStorage } from "../storage.ts";
import type { NodeId } from "../types.ts";
import { Cluster, TICK_UNITS } from "./cluster.ts";
import { Membership } from "./membership.ts";
import { Nemesis } from "./nemesis.ts";
import { drawScenario, type Scenario, type ScenarioOverrides } from "./scenario.ts";

export interface World {
  sc: Scenario;
  cluster: Cluster;
  nemesis: Nemesis;
  membership: Membership;
}

export function buildWorld(
  seed: number,
  opts: ScenarioOverrides & { trace?: (line: string) => void; traceMessages?: boolean },
): World {
  const rng = new SeededRandom(seed);
  const sc = drawScenario(rng, opts);
  const streams = {
    world: new SeededRandom(rng.int(2 ** 31)),
    nemesis: new SeededRandom(rng.int(2 ** 31)),
    admin: new SeededRandom(rng.int(2 ** 31)),
    nodeSeeds: new SeededRandom(rng.int(2 ** 31)),
  };
  const nextNodeSeed = (): number => streams.nodeSeeds.int(2 ** 31);
  const trace = opts.trace;
  trace?.(`seed ${seed}: ${describeScenario(sc)}`);

  const voters: NodeId[] = Array.from({ length: sc.nodes }, (_, i) => i + 1);
  const cluster = new Cluster(
    streams.world,
    {
      host: {
        raft: {
          electionTicks: sc.electionTicks,
          heartbeatTicks: sc.heartbeatTicks,
          preVote: sc.preVote,
          checkQuorum: sc.checkQuorum,
          readOnlyOption: sc.readOnlyOption,
          unsafeTestingFaults: sc.faults,
          maxInflightMsgs: sc.maxInflightMsgs,
          maxSizePerMsgBytes: sc.maxSizePerMsgBytes,
        },
        snapshotEvery: sc.snapshotEvery,
        compactKeep: sc.compactKeep,
        requestMaxAge: 8 * sc.electionTicks * TICK_UNITS,
      },
      clients: {
        clients: sc.clients,
        keys: sc.keys,
        opTimeout: 3 * sc.electionTicks * TICK_UNITS,
        maxOpsPerClient: sc.maxOpsPerClient,
        thinkMax: Math.ceil((2 * sc.faultTicks * TICK_UNITS) / sc.maxOpsPerClient),
        retryDelay: TICK_UNITS,
        readRatio: sc.readRatio,
      },
      network: sc.network,
      diskDelayMax: sc.diskDelayMax,
      unreachableReportRate: 0.3,
    },
    voters,
    trace,
  );
  for (const id of voters) {
    const storage = new MemoryStorage();
    bootstrapStorage(storage, voters);
    cluster.addHost(id, storage, nextNodeSeed());
  }
  const nemesis = new Nemesis(
    streams.nemesis,
    {
      actionRate: sc.nemesisRate,
      electionTicks: sc.electionTicks,
      maxDown: sc.maxDown,
      weathers: sc.weathers,
      transfers: true,
      churnRate: sc.churnRate,
    },
    cluster,
  );
  const membership = new Membership(streams.admin, cluster, sc.membershipRate, sc.nodes + 1, nextNodeSeed);

  cluster.traceMessages = opts.traceMessages === true;
  return { sc, cluster, nemesis, membership };
}

export function describeScenario(sc: Scenario): string {
  const f = Object.entries(sc.faults)
    .filter(([, v]) => v)
    .map(([k]) => k);
  return (
    `profile=${sc.profile} nodes=${sc.nodes} election=${sc.electionTicks} heartbeat=${sc.heartbeatTicks} ` +
    `preVote=${sc.preVote} checkQuorum=${sc.checkQuorum} readOnly=${sc.readOnlyOption} ` +
    `snapshotEvery=${sc.snapshotEvery} maxSizePerMsg=${sc.maxSizePerMsgBytes} maxInflight=${sc.maxInflightMsgs} ` +
    `clients=${sc.clients} keys=${sc.keys.length} faultTicks=${sc.faultTicks} ` +
    `nemesisRate=${sc.nemesisRate.toFixed(3)} churnRate=${sc.churnRate.toFixed(2)} ` +
    `membershipRate=${sc.membershipRate.toFixed(3)} maxDown=${sc.maxDown} diskDelayMax=${sc.diskDelayMax}` +
    (f.length > 0 ? ` bugs=${f.join(",")}` : "")
  );
}
