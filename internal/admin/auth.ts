// Who may call the client API: a bearer token or a verified client certificate gives a role
// (admin: everything; readonly: status, lists, reads, watches). Refusals say what is missing.

import { createHash, timingSafeEqual } from "node:crypto";
import { type Metadata, type ServiceError, status } from "@grpc/grpc-js";

export type Role = "admin" | "readonly";
export type Access = "read" | "write";

export interface AuthSettings {
  tokens: ReadonlyArray<{ name: string; token: string; role: Role }>;
  /** Role by client-certificate common name; a verified certificate not listed gets readonly. */
  clientCertRoles: Readonly<Record<string, Role>>;
  /** No credentials configured (allowed only on a loopback client address): everyone is admin. */
  open: boolean;
}

/** The parts of a server call the authorizer looks at. */
export interface CallCredentials {
  metadata: Metadata;
  getAuthContext?: () => { sslPeerCertificate?: { subject?: { CN?: string | string[] } } } | null;
}

const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

export class Authorizer {
  readonly #settings: AuthSettings;
  readonly #tokens: Array<{ name: string; digest: Buffer; role: Role }>;

  constructor(settings: AuthSettings) {
    this.#settings = settings;
    this.#tokens = settings.tokens.map((t) => ({ name: t.name, digest: digest(t.token), role: t.role }));
  }

  /** The caller's identity and role, or undefined when it presented nothing valid. */
  identify(call: CallCredentials): { who: string; role: Role } | undefined {
    if (this.#settings.open) return { who: "anyone (open API)", role: "admin" };
    const cn = call.getAuthContext?.()?.sslPeerCertificate?.subject?.CN;
    const name = Array.isArray(cn) ? cn[0] : cn;
    if (name) return { who: `certificate ${name}`, role: this.#settings.clientCertRoles[name] ?? "readonly" };
    const header = call.metadata.get("authorization")[0];
    if (typeof header === "string" && header.startsWith("Bearer ")) {
      const given = digest(header.slice(7).trim());
      for (const t of this.#tokens)
        if (timingSafeEqual(given, t.digest)) return { who: `token ${t.name}`, role: t.role };
    }
    return undefined;
  }

  /** undefined when allowed, else the gRPC error to answer with. */
  check(call: CallCredentials, access: Access, method: string): Partial<ServiceError> | undefined {
    const id = this.identify(call);
    if (!id)
      return {
        code: status.UNAUTHENTICATED,
        details: `${method} needs credentials: an "authorization: Bearer <token>" header or a client certificate from the cluster's client CA`,
      };
    if (access === "write" && id.role !== "admin")
      return {
        code: status.PERMISSION_DENIED,
        details: `${method} changes the cluster; ${id.who} has the read-only role`,
      };
    return undefined;
  }
}
