// Free loopback ports for a cluster: LocalCluster numbers its nodes' ports consecutively from a
// base, so this finds a run of consecutive free ports, starting from one the kernel picked (:0).

import { createServer, type Server } from "node:net";

function listen(port: number, host: string): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(undefined));
    s.listen({ port, host, exclusive: true }, () => resolve(s));
  });
}

const close = (s: Server): Promise<void> => new Promise((r) => s.close(() => r()));

/** The first of `count` consecutive ports that could all be bound on `host` just now. */
export async function freePortRun(count: number, host = "127.0.0.1", attempts = 50): Promise<number> {
  for (let a = 0; a < attempts; a++) {
    const first = await listen(0, host);
    if (!first) continue;
    const held = [first];
    const base = (first.address() as { port: number }).port;
    let ok = base + count - 1 <= 65535;
    for (let i = 1; ok && i < count; i++) {
      const s = await listen(base + i, host);
      if (s) held.push(s);
      else ok = false;
    }
    await Promise.all(held.map(close));
    if (ok) return base;
  }
  throw new Error(`no run of ${count} free consecutive ports on ${host} after ${attempts} attempts`);
}
