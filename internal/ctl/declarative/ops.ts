// The change operations a table transaction is made of (what `ServiceTable.apply` accepts), and
// the small client surface the declarative and import commands need from the cluster.

import type { TableOp, VirtualService } from "../../state/services/index.ts";

export type { TableOp };

/** What `apply` and `import` need from the cluster: a listing and one atomic transaction. */
export interface TableClient {
  /** Every service (any order) and the table revision the listing was read at. */
  list(): Promise<{ services: VirtualService[]; revision: number }>;
  /**
   * Applies `ops` as ONE transaction and returns the revision it committed at. `baseRevision` is
   * the revision the ops were computed against; a server may refuse when the table moved on.
   */
  apply(ops: TableOp[], opts: { baseRevision: number }): Promise<{ revision: number }>;
}

/** Where the commands read files and print. `readFile("-")` is expected to read stdin. */
export interface CommandIo {
  readFile(path: string): Promise<string>;
  out(text: string): void;
  err(text: string): void;
}

/** The exit code an error from the client asks for (CtlError.exitCode), or 3 for a TableError. */
export function exitCodeOf(err: unknown): number {
  if (typeof err === "object" && err !== null) {
    const e = err as { exitCode?: unknown; name?: unknown };
    if (typeof e.exitCode === "number") return e.exitCode;
    if (e.name === "TableError") return 3;
  }
  return 1;
}
