// Free loopback ports for the integration tests: the kernel picks them (bind 127.0.0.1:0), so
// test files running in parallel never collide on fixed numbers.

import { createServer, type Server } from "node:net";

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => resolve(server));
  });
}

function close(servers: Array<Server | undefined>): Promise<void> {
  return Promise.all(
    servers.map((s) => (s ? new Promise<void>((resolve) => s.close(() => resolve())) : undefined)),
  ).then(() => undefined);
}

/** `n` distinct free ports (all held open together while picked, then released). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = await listen(0);
      if (!s) throw new Error("cannot bind 127.0.0.1:0");
      servers.push(s);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await close(servers);
  }
}

/** A free block of `n` consecutive ports (for tools that take a base port), found by probing. */
export async function freePortBlock(n: number, attempts = 50): Promise<number> {
  for (let a = 0; a < attempts; a++) {
    const first = await listen(0);
    if (!first) continue;
    const base = (first.address() as { port: number }).port;
    const rest: Array<Server | undefined> = [];
    if (base + n - 1 <= 65535) for (let i = 1; i < n; i++) rest.push(await listen(base + i));
    const ok = base + n - 1 <= 65535 && rest.every((s) => s !== undefined);
    await close([first, ...rest]);
    if (ok) return base;
  }
  throw new Error(`no block of ${n} free consecutive ports found`);
}
