// The proxy worker thread's entry: validates requests from the main thread and answers them from
// its Relay; all client and real-server sockets live on this thread's event loop.

import { parentPort, workerData } from "node:worker_threads";
import { parseOptions, parseRequest, type Reply, type Request } from "./protocol.ts";
import { Relay } from "./relay.ts";

if (parentPort === null) throw new Error("proxy-worker.ts must run as a worker thread");
const port = parentPort;
const relay = new Relay(parseOptions(workerData));
let closing: Promise<void> | undefined;

async function handle(req: Request): Promise<unknown> {
  switch (req.type) {
    case "reconcile":
      return relay.reconcile(req.services);
    case "stats":
      return relay.stats();
    case "close":
      closing ??= relay.close();
      return closing;
  }
}

port.on("message", (msg: unknown) => {
  let id = 0;
  let req: Request;
  try {
    if (typeof msg === "object" && msg !== null && "id" in msg && typeof msg.id === "number") id = msg.id;
    req = parseRequest(msg);
  } catch (e) {
    port.postMessage({ id, ok: false, error: String(e) } satisfies Reply);
    return;
  }
  handle(req).then(
    (value) => port.postMessage({ id: req.id, ok: true, value } satisfies Reply),
    (e: unknown) =>
      port.postMessage({
        id: req.id,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
      } satisfies Reply),
  );
});
