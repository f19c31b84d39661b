// Loopback fixtures for the proxy tests: backends, free ports, a one-shot client, service
// builders and a bounded poll. Everything binds 127.0.0.1 on ports chosen by binding :0.

import net from "node:net";
import type { RealServer, VirtualService } from "../../state/services/model.ts";

export interface Backend {
  port: number;
  accepted: number;
  close(): Promise<void>;
}

/** A server on 127.0.0.1:0 running `onConn` per connection; close() destroys open sockets. */
export async function backend(onConn: (s: net.Socket) => void): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  const b = { port: 0, accepted: 0, close: async () => {} };
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    b.accepted++;
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
    onConn(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  b.port = (server.address() as net.AddressInfo).port;
  b.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return b;
}

export const echo = (): Promise<Backend> => backend((s) => s.pipe(s));

/** A port nothing listens on (bound to :0, then closed). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Connects, sends `msg`, ends its side, resolves with everything received before the end. */
export function roundTrip(port: number, msg: string | Buffer, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    const t = setTimeout(() => c.destroy(new Error("roundTrip timed out")), timeoutMs);
    c.on("data", (d: Buffer) => chunks.push(d));
    c.on("error", (e) => {
      clearTimeout(t);
      reject(e);
    });
    c.on("end", () => {
      clearTimeout(t);
      c.end();
      resolve(Buffer.concat(chunks).toString());
    });
    c.end(msg);
  });
}

/** An open client connection that echoes one message at a time. */
export async function openClient(port: number): Promise<{ ask(m: string): Promise<string>; close(): void }> {
  const c = net.connect({ host: "127.0.0.1", port });
  await new Promise<void>((res, rej) => c.once("connect", res).once("error", rej));
  return {
    ask: (m) =>
      new Promise((res, rej) => {
        const t = setTimeout(() => rej(new Error("ask timed out")), 5000);
        c.once("data", (d: Buffer) => {
          clearTimeout(t);
          res(d.toString());
        });
        c.write(m);
      }),
    close: () => c.destroy(),
  };
}

export function realServer(port: number, weight = 1, extra: Partial<RealServer> = {}): RealServer {
  return {
    address: "127.0.0.1",
    port,
    weight,
    forward: "proxy",
    upperThreshold: 0,
    lowerThreshold: 0,
    maxConn: 0,
    pool: "",
    ...extra,
  };
}

export function service(port: number, realServers: RealServer[], extra: Partial<VirtualService> = {}) {
  const vs: VirtualService = {
    key: `tcp/127.0.0.1:${port}`,
    family: 4,
    protocol: "tcp",
    vip: "127.0.0.1",
    port,
    scheduler: "wrr",
    schedFlags: [],
    forward: "proxy",
    mode: "l4",
    maxConn: 0,
    realServers,
    ...extra,
  };
  return vs;
}

/** Polls `cond` every 20 ms, at most `tries` times; resolves with whether it became true. */
export async function eventually(cond: () => boolean | Promise<boolean>, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
