// Tests for the simulated clients against a scripted cluster: retries after definite failures,
// unknown outcomes after timeouts, and what goes into the history.

import test from "ava";
import { SeededRandom } from "../rand.ts";
import { type ClientRequest, Clients, type ClientsConfig, type SubmitResult } from "./clients.ts";

const cfg: ClientsConfig = {
  clients: 1,
  keys: ["k"],
  opTimeout: 100,
  maxOpsPerClient: 1,
  thinkMax: 0,
  retryDelay: 5,
  readRatio: 0,
};

function harness(answer: (node: number, req: ClientRequest) => SubmitResult, c: Partial<ClientsConfig> = {}) {
  const sent: [number, ClientRequest][] = [];
  const clients = new Clients(
    new SeededRandom(1),
    { ...cfg, ...c },
    {
      submit: (node, req) => {
        sent.push([node, req]);
        return answer(node, req);
      },
      candidates: () => [1, 2, 3],
    },
  );
  return { clients, sent };
}

test("a write answered by the leader goes into the history with its times", (t) => {
  const { clients, sent } = harness(() => ({ kind: "accepted" }));
  clients.step(0);
  t.is(sent.length, 1);
  const req = sent[0]![1];
  t.is(req.kind, "put");
  clients.onReply({ ok: true, from: sent[0]![0], clientId: 1, seq: req.seq, value: undefined }, 7);
  t.deepEqual(clients.history, [
    {
      clientId: 1,
      input: { op: "put", key: "k", value: "c1.1" },
      call: 0,
      output: { value: undefined },
      return: 7,
    },
  ]);
  t.is(clients.outstanding, 0);
  t.true(clients.allCompletedSince(0));
});

test("a redirect is retried at the hinted leader, keeping the first call time", (t) => {
  const { clients, sent } = harness((node) =>
    node === 2 ? { kind: "accepted" } : { kind: "rejected", leaderHint: 2 },
  );
  let now = 0;
  while (sent.every(([n]) => n !== 2) && now < 50) clients.step(now++);
  const [node, req] = sent[sent.length - 1]!;
  t.is(node, 2);
  clients.onReply({ ok: true, from: 2, clientId: 1, seq: req.seq, value: undefined }, now);
  t.is(clients.history.length, 1);
  t.is(clients.history[0]!.call, 0);
});

test("a write that may have been proposed and then timed out has an unknown outcome", (t) => {
  const { clients, sent } = harness(() => ({ kind: "accepted" }));
  for (let now = 0; now <= 100; now++) clients.step(now);
  t.is(sent.length, 1, "no retry while the outcome is unknown");
  t.deepEqual(clients.history, [
    {
      clientId: 1,
      input: { op: "put", key: "k", value: "c1.1" },
      call: 0,
      output: undefined,
      return: Infinity,
    },
  ]);
  t.is(clients.stats.writesUnknown, 1);
});

test("operations that never reached a leader, and reads that timed out, leave no trace", (t) => {
  const rejected = harness(() => ({ kind: "rejected", leaderHint: 0 }));
  for (let now = 0; now <= 100; now++) rejected.clients.step(now);
  t.true(rejected.sent.length > 1, "definite failures are retried");
  t.deepEqual(rejected.clients.history, []);
  t.is(rejected.clients.stats.abandoned, 1);

  const reads = harness(() => ({ kind: "accepted" }), { readRatio: 1 });
  for (let now = 0; now <= 100; now++) reads.clients.step(now);
  t.deepEqual(reads.clients.history, []);
  t.is(reads.clients.stats.abandoned, 1);
});

test("a late answer to an abandoned operation is ignored", (t) => {
  const { clients, sent } = harness(() => ({ kind: "accepted" }), { readRatio: 1, maxOpsPerClient: 2 });
  for (let now = 0; now <= 100; now++) clients.step(now);
  const first = sent[0]![1];
  clients.onReply({ ok: true, from: 1, clientId: 1, seq: first.seq, value: "late" }, 101);
  t.deepEqual(clients.history, []);
});

test("an asynchronous rejection (a frozen node that lost leadership) allows a retry", (t) => {
  let first = true;
  const { clients, sent } = harness(() => ({ kind: "accepted" }));
  clients.step(0);
  t.is(sent.length, 1);
  clients.onReply({ ok: false, from: sent[0]![0], clientId: 1, seq: 1, leaderHint: 3 }, 10);
  for (let now = 10; now < 20 && first; now++) {
    clients.step(now);
    if (sent.length > 1) first = false;
  }
  t.is(sent[1]![0], 3);
});

test("finish() records an outstanding write as unknown and drops an outstanding read", (t) => {
  const w = harness(() => ({ kind: "accepted" }));
  w.clients.step(0);
  w.clients.finish();
  t.is(w.clients.history.length, 1);
  t.is(w.clients.history[0]!.return, Infinity);
  const r = harness(() => ({ kind: "accepted" }), { readRatio: 1 });
  r.clients.step(0);
  r.clients.finish();
  t.deepEqual(r.clients.history, []);
});
