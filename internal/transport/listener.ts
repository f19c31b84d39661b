// The socket server peers connect to: plain TCP, or TLS requiring a client certificate from the
// cluster CA. It owns accepting (so it can log every refused handshake) and hands each accepted
// connection to the gRPC server.
import { createServer as createTcpServer, type Server as NetServer, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import type { Logger } from "pino";
import type { TlsMaterial } from "./options.ts";

/** A TLS handshake that does not finish within this time is dropped (slow or silent clients). */
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

export interface ListenerOptions {
  host: string;
  port: number;
  tls: TlsMaterial | undefined;
  maxConnections: number;
  log: Logger;
  /** An accepted connection (TLS already verified when tls is set). */
  onConnection(socket: Socket): void;
}

export class PeerListener {
  readonly #server: NetServer;
  readonly #sockets = new Set<Socket>();
  readonly #closed: Promise<void>;

  private constructor(server: NetServer) {
    this.#server = server;
    this.#closed = new Promise((resolve) => server.once("close", () => resolve()));
  }

  /** Binds host:port; rejects with the bind error (address in use, permission). */
  static listen(opts: ListenerOptions): Promise<PeerListener> {
    const { log } = opts;
    let server: NetServer;
    if (opts.tls) {
      const tlsServer = createTlsServer({
        ca: opts.tls.caPem,
        cert: opts.tls.certPem,
        key: opts.tls.keyPem,
        requestCert: true,
        rejectUnauthorized: true,
        ALPNProtocols: ["h2"],
        minVersion: "TLSv1.2",
        handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
      });
      tlsServer.on("secureConnection", (socket: TLSSocket) => {
        const subject = socket.getPeerCertificate()?.subject?.CN;
        log.debug({ remote: remoteOf(socket), subject }, "peer TLS connection accepted");
        opts.onConnection(socket);
      });
      // Every handshake the server refuses lands here: no client certificate, one from another
      // CA, an expired one, or bytes that are not TLS at all.
      tlsServer.on("tlsClientError", (err: Error & { code?: string }, socket: TLSSocket) => {
        // A certificate that fails verification is refused by Node after the handshake, which
        // then surfaces as a bare "socket hang up"; the verification error says why.
        const verifyError = socket.authorizationError as unknown as string | Error | null | undefined;
        const reason = verifyError
          ? `client certificate rejected: ${String(verifyError instanceof Error ? verifyError.message : verifyError)}`
          : err.message;
        log.warn(
          { remote: remoteOf(socket), reason, code: verifyError ? "CERT_REJECTED" : err.code },
          "refused a peer connection: TLS handshake failed",
        );
      });
      server = tlsServer;
    } else {
      server = createTcpServer((socket) => opts.onConnection(socket));
    }
    server.maxConnections = opts.maxConnections;
    const listener = new PeerListener(server);
    server.on("connection", (socket: Socket) => {
      remoteAtAccept.set(socket, remoteOf(socket));
      listener.#track(socket);
    });
    server.on("drop", (data) =>
      log.warn({ remote: data?.remoteAddress }, "refused a peer connection: too many"),
    );
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: opts.host, port: opts.port }, () => {
        server.off("error", reject);
        server.on("error", (err) => log.error({ err }, "peer listener error"));
        resolve(listener);
      });
    });
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
    // The HTTP/2 session adds its own handler; this one covers the time before it exists.
    socket.on("error", () => {});
  }

  /** The bound port (useful with port 0). */
  get port(): number {
    const address = this.#server.address();
    return typeof address === "object" && address !== null ? address.port : 0;
  }

  /** Stops accepting; resolves once every accepted connection has closed too. */
  close(): Promise<void> {
    if (this.#server.listening) this.#server.close();
    return this.#closed;
  }

  /** Stops accepting and destroys every connection. */
  destroy(): void {
    if (this.#server.listening) this.#server.close();
    for (const socket of this.#sockets) socket.destroy();
  }
}

/** Remote addresses noted when connections arrive: a refused TLS socket has lost its own. */
const remoteAtAccept = new WeakMap<Socket, string>();

function remoteOf(socket: Socket | undefined): string {
  if (!socket?.remoteAddress) {
    // A TLS socket wraps the accepted TCP socket (Node keeps it as _parent).
    const raw = (socket as unknown as { _parent?: Socket } | undefined)?._parent;
    return (raw && remoteAtAccept.get(raw)) ?? "unknown";
  }
  return socket.remoteFamily === "IPv6"
    ? `[${socket.remoteAddress}]:${socket.remotePort}`
    : `${socket.remoteAddress}:${socket.remotePort}`;
}
