// The public surface of the userspace L4 TCP proxy driver.

export { RELAY_DEFAULTS, type RelayOptions } from "./protocol.ts";
export { ProxyDataplane } from "./proxy-dataplane.ts";
export { isProxied } from "./relay.ts";
