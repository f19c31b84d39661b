// Public surface of the peer transport: PeerTransport, its options and stats, and its errors.

export { TransportError, TransportErrorCode } from "./errors.ts";
export type { PeerTransportOptions, TlsMaterial, TransportLimits } from "./options.ts";
export { TRANSPORT_DEFAULTS } from "./options.ts";
export type { PeerStats } from "./peer.ts";
export { PeerTransport } from "./transport.ts";
