// Reading haproxy.cfg sections into proxies (frontend, backend, listen) with the settings of the
// `defaults` section before them; every statement that maps to nothing is reported here, once.

import { type HaSection, type HaStatement, parseHaproxyConfig } from "./haproxy-config.ts";
import { haproxyReason } from "./haproxy-reasons.ts";
import { type ParsedParams, parseServerParams, type ServerParams, serverAddress } from "./haproxy-servers.ts";
import type { Unmapped } from "./result.ts";
import { count, haproxyMs } from "./units.ts";

export interface HttpCheck {
  method?: string;
  path?: string;
  host?: string;
}

/** Settings a proxy takes from the defaults section before it unless it sets its own. */
interface Inherited {
  mode?: string;
  balance?: HaStatement;
  maxConn?: number;
  httpchk?: HttpCheck;
  expectStatus?: number[];
  timeoutCheckMs?: number;
  defaultServer: ServerParams;
  defaultBackend?: HaStatement;
}

export interface HaServer {
  line: number;
  text: string;
  name: string;
  address: string;
  port?: number;
  params: ServerParams;
}

export interface HaProxy extends Inherited {
  kind: "frontend" | "backend" | "listen";
  name: string;
  line: number;
  text: string;
  binds: HaStatement[];
  useBackends: HaStatement[];
  acls: Map<string, string[][]>;
  aclLines: HaStatement[];
  servers: HaServer[];
}

/** Where each proxy keyword is allowed (d = defaults, f = frontend, b = backend, l = listen). */
const ALLOWED: Record<string, string> = {
  mode: "dfbl",
  balance: "dbl",
  maxconn: "dfl",
  "option httpchk": "dbl",
  "no option httpchk": "dbl",
  "http-check expect": "dbl",
  "timeout check": "dbl",
  "default-server": "dbl",
  default_backend: "dfl",
  bind: "fl",
  use_backend: "fl",
  acl: "fbl",
  server: "bl",
  "option forwardfor": "dfbl",
};

function keywordOf(words: readonly string[]): string {
  const two = words.slice(0, 2).join(" ");
  const three = words.slice(0, 3).join(" ");
  if (ALLOWED[three] !== undefined) return three;
  if (ALLOWED[two] !== undefined) return two;
  return words[0]!;
}

/** `option httpchk [METHOD] [URI] [VERSION[\r\nHost: x]]`, the 1.4 form `option httpchk URI` too. */
function httpCheckOf(args: readonly string[]): HttpCheck {
  if (args.length === 0) return { method: "OPTIONS", path: "/" };
  if (args.length === 1) return { method: "OPTIONS", path: args[0]! };
  const check: HttpCheck = { method: args[0]!, path: args[1]! };
  const host = /\r\nhost:\s*([^\r\n]+)/i.exec(args.slice(2).join(" "));
  if (host) check.host = host[1]!.trim();
  return check;
}

class Reader {
  readonly proxies: HaProxy[] = [];
  readonly unmapped: Unmapped[] = [];
  defaults: Inherited = { defaultServer: {} };

  report(s: HaStatement, reason: string, text = s.text): void {
    this.unmapped.push({ line: s.line, text, reason });
  }

  /** Server options' leftovers and check words, reported against the line they are on. */
  reportParams(s: HaStatement, parsed: ParsedParams, isDefault: boolean): void {
    if (parsed.checkText && (isDefault || parsed.params.check))
      this.report(
        s,
        isDefault
          ? "health-check defaults: health checks are not in the table yet; kept in the import's checks"
          : "health checks are not in the table yet; kept in the import's checks",
        parsed.checkText,
      );
    for (const o of parsed.others) this.report(s, o.reason, o.text);
  }

  /** Applies one statement to `target` (defaults or a proxy); false when it maps to nothing. */
  statement(target: Inherited, proxy: HaProxy | undefined, where: string, s: HaStatement): boolean {
    const kw = keywordOf(s.words);
    if (ALLOWED[kw] === undefined || !ALLOWED[kw].includes(where)) return false;
    const args = s.words.slice(kw.split(" ").length);
    switch (kw) {
      case "mode":
        if (!["tcp", "http"].includes(args[0] ?? "")) return false;
        target.mode = args[0];
        return true;
      case "balance":
        target.balance = s;
        return true;
      case "maxconn":
        target.maxConn = count(args[0]);
        return target.maxConn !== undefined;
      case "option httpchk":
        target.httpchk = httpCheckOf(args);
        this.report(s, "health checks are not in the table yet; kept in the import's checks");
        return true;
      case "no option httpchk":
        target.httpchk = undefined;
        return true;
      case "http-check expect":
        if (args[0] !== "status" || !args[1] || !/^\d{3}$/.test(args[1])) return false;
        target.expectStatus = [Number(args[1])];
        this.report(s, "health checks are not in the table yet; kept in the import's checks");
        return true;
      case "timeout check":
        target.timeoutCheckMs = haproxyMs(args[0]);
        this.report(s, "health checks are not in the table yet; kept in the import's checks");
        return true;
      case "default-server": {
        const parsed = parseServerParams(args, target.defaultServer);
        target.defaultServer = parsed.params;
        this.reportParams(s, parsed, true);
        return true;
      }
      case "default_backend":
        target.defaultBackend = s;
        return args.length === 1;
      case "option forwardfor":
        return true; // http services always add X-Forwarded-For
    }
    if (!proxy) return false;
    switch (kw) {
      case "bind":
        proxy.binds.push(s);
        return true;
      case "use_backend":
        proxy.useBackends.push(s);
        return true;
      case "acl":
        if (args.length < 2) return false;
        proxy.acls.set(args[0]!, [...(proxy.acls.get(args[0]!) ?? []), args.slice(1)]);
        proxy.aclLines.push(s);
        return true;
      case "server":
        return this.server(proxy, s, args);
    }
    return false;
  }

  server(proxy: HaProxy, s: HaStatement, args: string[]): boolean {
    const addr =
      args[1] === undefined ? { error: "a server needs a name and an address" } : serverAddress(args[1]);
    if ("error" in addr) {
      this.report(s, `real server not imported: ${addr.error}`);
      return true;
    }
    const parsed = parseServerParams(args.slice(2), proxy.defaultServer);
    this.reportParams(s, parsed, false);
    if (parsed.params.backup)
      this.report(
        s,
        "IPVS has no backup servers: imported with weight 0 (drained); for fail-over use the fo scheduler",
        "backup",
      );
    if (parsed.params.disabled)
      this.report(s, "disabled server: imported with weight 0 (drained)", "disabled");
    proxy.servers.push({ line: s.line, text: s.text, name: args[0]!, ...addr, params: parsed.params });
    return true;
  }

  section(sec: HaSection): void {
    if (sec.kind === "global") {
      for (const s of sec.statements) this.report(s, haproxyReason(s.words, "global"));
      return;
    }
    if (sec.kind === "defaults") {
      this.defaults = { defaultServer: {} };
      for (const s of sec.statements)
        if (!this.statement(this.defaults, undefined, "d", s))
          this.report(s, haproxyReason(s.words, "defaults"));
      return;
    }
    if (sec.kind !== "frontend" && sec.kind !== "backend" && sec.kind !== "listen") {
      this.report(sec, `the ${sec.kind} section has no raftvs equivalent; ignored with its contents`);
      return;
    }
    const proxy: HaProxy = {
      ...structuredClone(this.defaults),
      kind: sec.kind,
      name: sec.name,
      line: sec.line,
      text: sec.text,
      binds: [],
      useBackends: [],
      acls: new Map(),
      aclLines: [],
      servers: [],
    };
    if (sec.kind === "backend") delete proxy.defaultBackend;
    // 1.4 style: "listen NAME ADDR:PORT" binds on the section line itself
    if (sec.words.length > 2 && sec.kind !== "backend")
      proxy.binds.push({ line: sec.line, text: sec.text, words: ["bind", ...sec.words.slice(2)] });
    const where = sec.kind[0]!;
    for (const s of sec.statements)
      if (!this.statement(proxy, proxy, where, s)) this.report(s, haproxyReason(s.words, sec.kind));
    this.proxies.push(proxy);
  }
}

/** Every proxy in file order, and the statements that map to nothing. */
export function readHaproxy(text: string): { proxies: HaProxy[]; unmapped: Unmapped[] } {
  const { sections, problems } = parseHaproxyConfig(text);
  const reader = new Reader();
  reader.unmapped.push(...problems);
  for (const sec of sections) reader.section(sec);
  return { proxies: reader.proxies, unmapped: reader.unmapped };
}
