// What an importer returns (services, what it could not map, health checks kept for later) and
// the draft form importers build before validation.

import type { ContentRule, ServerSpec, ServiceSpec } from "../../state/services/index.ts";

/** A piece of the source file with no equivalent in raftvs, and why. */
export interface Unmapped {
  line: number;
  text: string;
  reason: string;
}

export type CheckKind = "tcp" | "http" | "https" | "script" | "icmp";

/**
 * A health check found for one real server. Health checks are not in the table yet; these are
 * kept so a later release can import them, and reported as unmapped meanwhile.
 */
export interface ImportedCheck {
  /** The canonical service key and real server ("198.18.1.1:80") the check belongs to. */
  service: string;
  server: string;
  line: number;
  kind: CheckKind;
  intervalMs?: number;
  timeoutMs?: number;
  rise?: number;
  fall?: number;
  /** keepalived: retries after a failed check, and the pause between them. */
  retries?: number;
  retryDelayMs?: number;
  /** Port probed, when not the server's own. */
  port?: number;
  method?: string;
  path?: string;
  host?: string;
  expectStatus?: number[];
  /** A script check's command line. */
  command?: string;
}

export interface ImportResult {
  services: ServiceSpec[];
  unmapped: Unmapped[];
  checks: ImportedCheck[];
}

export type CheckDraft = Omit<ImportedCheck, "service" | "server">;

export interface ServerDraft {
  line: number;
  text: string;
  spec: ServerSpec;
  checks: CheckDraft[];
}

export interface RuleDraft {
  line: number;
  text: string;
  rule: ContentRule;
}

/** A service as an importer read it, before validation: where it came from and its parts. */
export interface ServiceDraft {
  line: number;
  text: string;
  spec: Omit<ServiceSpec, "realServers" | "http">;
  servers: ServerDraft[];
  rules: RuleDraft[];
}
