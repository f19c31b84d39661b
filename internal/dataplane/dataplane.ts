// The Dataplane contract every forwarding driver (proxy, http, nft, rawsock, ipvs) implements,
// and the counters it reports. Drivers are fed the applied table and read for stats.

import type { VirtualService } from "../state/services/model.ts";

/** Connection and byte counters; bytesIn is client → real server, bytesOut real server → client. */
export interface ConnCounters {
  /** Connections open now (for a real server: connecting or connected to it). */
  activeConns: number;
  /**
   * Connections closed within the driver's inactive window (60 s by default); a simple stand-in
   * for IPVS's inactive (FIN_WAIT/TIME_WAIT) entries, and what the schedulers' views see.
   */
  inactiveConns: number;
  /** Service: connections accepted. Real server: connections established to it. */
  totalConns: number;
  bytesIn: number;
  bytesOut: number;
}

export interface RealServerStats extends ConnCounters {
  address: string;
  port: number;
  /** Connect attempts that failed or timed out (each one redispatched or refused). */
  connectFailures: number;
}

export interface ServiceStats extends ConnCounters {
  key: string;
  /** Connections closed at once: over the service maxConn, or no real server available. */
  refusedConns: number;
  realServers: RealServerStats[];
}

export interface DataplaneStats {
  services: ServiceStats[];
}

export interface Dataplane {
  /**
   * Makes the driver's world match `desired` (the whole applied table; the driver takes the
   * services it handles and ignores the rest). Idempotent and diff-based: unchanged services keep
   * their listeners and connections. Rejects if some service could not be programmed; the others
   * are applied all the same and a later reconcile retries the failed ones.
   */
  reconcile(desired: readonly VirtualService[]): Promise<void>;
  stats(): Promise<DataplaneStats>;
  /** Graceful and idempotent: stops accepting, lets connections drain briefly, then frees all. */
  close(): Promise<void>;
}
