// The logger interface the library writes to (pino's shape), and a silent default.

export interface RaftLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};
export const silentLogger: RaftLogger = { debug: noop, info: noop, warn: noop, error: noop };
