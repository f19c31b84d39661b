// One real server as the proxy keeps it: its address, limits, counters, and the ServerView the
// scheduler reads (kept in sync with the counters on every change).

import { refreshOverload, type ServerView } from "../../scheduler/index.ts";
import type { RealServer } from "../../state/services/model.ts";
import { Counters } from "./counters.ts";

export interface Backend {
  readonly key: string;
  readonly address: string;
  readonly port: number;
  /** 0 = no limit: beyond it the server gets no new connection (no queue yet). */
  maxConn: number;
  readonly view: ServerView;
  readonly counters: Counters;
  connectFailures: number;
}

export const backendKey = (rs: Pick<RealServer, "address" | "port">): string =>
  rs.address.includes(":") ? `[${rs.address}]:${rs.port}` : `${rs.address}:${rs.port}`;

export function newBackend(rs: RealServer, windowMs: number): Backend {
  const key = backendKey(rs);
  const b: Backend = {
    key,
    address: rs.address,
    port: rs.port,
    maxConn: rs.maxConn,
    view: { id: key, weight: 0, activeConns: 0, inactiveConns: 0, upperThreshold: 0, lowerThreshold: 0 },
    counters: new Counters(windowMs),
    connectFailures: 0,
  };
  updateBackend(b, rs);
  return b;
}

/** Applies a new version of the real server in place (weights, thresholds, limit). */
export function updateBackend(b: Backend, rs: RealServer): void {
  b.maxConn = rs.maxConn;
  b.view.weight = rs.weight;
  b.view.upperThreshold = rs.upperThreshold;
  b.view.lowerThreshold = rs.lowerThreshold;
}

export function syncView(b: Backend, now: number): void {
  b.view.activeConns = b.counters.active;
  b.view.inactiveConns = b.counters.inactive(now);
  refreshOverload(b.view);
}

export const hasRoom = (b: Backend): boolean => b.maxConn === 0 || b.counters.active < b.maxConn;
