// A load-generator process: the parent forks one or more of these (so that the writers are not
// limited by one event loop), sends each a run to do over IPC, and merges the results. Clients are
// built once per system and kept across runs.

import { type ClientSpec, makePutter, type Putter } from "./clients.ts";
import { type LoadResult, type LoadSpec, runLoad } from "./load.ts";

export interface WorkerRequest {
  id: number;
  client: ClientSpec;
  load: LoadSpec;
}

export type WorkerReply =
  | { id: number; ok: true; result: LoadResult }
  | { id: number; ok: false; error: string }
  | { ready: true };

const putters = new Map<string, Putter>();

function putterFor(spec: ClientSpec): Putter {
  const key = JSON.stringify(spec);
  let p = putters.get(key);
  if (!p) {
    p = makePutter(spec);
    putters.set(key, p);
  }
  return p;
}

function reply(msg: WorkerReply): void {
  process.send?.(msg);
}

process.on("message", (msg: WorkerRequest | { close: true }) => {
  if ("close" in msg) {
    for (const p of putters.values()) p.close();
    putters.clear();
    process.exit(0);
  }
  runLoad(putterFor(msg.client), msg.load).then(
    (result) => reply({ id: msg.id, ok: true, result }),
    (err: unknown) => reply({ id: msg.id, ok: false, error: (err as Error).message }),
  );
});

// The parent went away (interrupted): do not linger with open channels.
process.on("disconnect", () => process.exit(0));

reply({ ready: true });
