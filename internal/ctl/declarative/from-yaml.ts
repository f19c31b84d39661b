// Reading a services YAML document into service specs, validated with the table's own rules;
// every error names the file, line, column and field path, and unknown fields are refused.

import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import {
  SERVER_SPEC_FIELDS,
  SERVICE_SPEC_FIELDS,
  type ServiceSpec,
  serviceOf,
  TableError,
} from "../../state/services/index.ts";

export class DeclarativeError extends Error {
  readonly code = "CTL_INVALID_FILE";
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number,
    readonly path: string,
    detail: string,
  ) {
    super(`${source}:${line}:${column}: ${path ? `${path}: ` : ""}${detail}`);
    this.name = "DeclarativeError";
  }
}

const SERVER_KEYS = SERVER_SPEC_FIELDS;
/** The keys each map may hold, by path with list indexes written "[]". */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  "": ["services"],
  "services[]": SERVICE_SPEC_FIELDS,
  "services[].persistence": ["timeoutSec", "netmask", "prefixLen"],
  "services[].http": ["rules", "sorryServer"],
  "services[].http.rules[]": ["host", "pathPrefix", "pathRegex", "header", "pool"],
  "services[].http.rules[].header": ["name", "value", "regex"],
  "services[].realServers[]": SERVER_KEYS,
};

type Pos = { line: number; col: number };

/** Records where every path starts and refuses keys a map may not hold. */
function walk(node: unknown, path: string, at: (offset: number) => Pos, out: Map<string, Pos>, fail: Fail) {
  const n = node as Node | null;
  if (!n?.range) return;
  if (!out.has(path)) out.set(path, at(n.range[0]));
  if (isSeq(n)) {
    for (const [i, item] of n.items.entries()) walk(item, `${path}[${i}]`, at, out, fail);
  } else if (isMap(n)) {
    const known = KNOWN_KEYS[path.replace(/\[\d+\]/g, "[]")];
    for (const pair of n.items) {
      const keyNode = pair.key as Node | null;
      const keyPos = keyNode?.range ? at(keyNode.range[0]) : out.get(path)!;
      const key = isScalar(keyNode) ? keyNode.value : undefined;
      if (typeof key !== "string") fail(keyPos, path, "keys must be plain names");
      const sub = path ? `${path}.${key}` : String(key);
      if (known && !known.includes(key as string))
        fail(keyPos, sub, `unknown field (expected one of ${known.join(", ")})`);
      out.set(sub, keyPos);
      walk(pair.value, sub, at, out, fail);
    }
  }
}

type Fail = (pos: Pos, path: string, detail: string) => never;

/** The position of `path` or of its nearest recorded ancestor. */
function locate(positions: Map<string, Pos>, path: string): Pos {
  for (let p = path; ; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, "")) {
    const pos = positions.get(p);
    if (pos) return pos;
    if (p === "") return { line: 1, col: 1 };
  }
}

/**
 * Parses a services document (`services:` list, see tableToYaml) into specs, each checked with
 * `serviceOf`; throws DeclarativeError naming `source:line:col: path: problem`. A real server may
 * be written as "addr:port" or as a map.
 */
export function yamlToSpecs(text: string, source = "<input>"): ServiceSpec[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Pos => {
    const p = lineCounter.linePos(offset);
    return { line: Math.max(p.line, 1), col: p.col };
  };
  const fail: Fail = (pos, path, detail) => {
    throw new DeclarativeError(source, pos.line, pos.col, path, detail);
  };
  const first = doc.errors[0];
  if (first) fail(at(first.pos[0]), "", `invalid YAML (${first.code}): ${first.message}`);
  const positions = new Map<string, Pos>();
  walk(doc.contents, "", at, positions, fail);
  const root: unknown = doc.toJS({ maxAliasCount: 100 });
  if (typeof root !== "object" || root === null || Array.isArray(root))
    fail({ line: 1, col: 1 }, "", 'the document must be a map with a "services:" list');
  const list = (root as { services?: unknown }).services;
  if (!Array.isArray(list))
    fail(
      locate(positions, "services"),
      "services",
      'is required: a list of services ("services: []" for none)',
    );
  const specs: ServiceSpec[] = [];
  const seen = new Map<string, string>();
  list.forEach((raw: unknown, i: number) => {
    const path = `services[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      fail(locate(positions, path), path, "must be a map (protocol, vip, port or fwmark, ...)");
    const spec = { ...(raw as Record<string, unknown>) };
    if (Array.isArray(spec.realServers))
      spec.realServers = spec.realServers.map((rs: unknown) =>
        typeof rs === "string" ? { address: rs } : rs,
      );
    let key: string;
    try {
      key = serviceOf(spec, path).key;
    } catch (err) {
      if (!(err instanceof TableError)) throw err;
      const detail = err.message.slice(err.field.length + 2);
      fail(locate(positions, err.field), err.field, detail);
    }
    const earlier = seen.get(key);
    if (earlier) fail(locate(positions, path), path, `service ${key} is already defined at ${earlier}`);
    seen.set(key, path);
    specs.push(spec as ServiceSpec);
  });
  return specs;
}
