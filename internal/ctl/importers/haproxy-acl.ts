// HAProxy ACLs and `use_backend ... if COND` conditions as content-rule matches: host, path
// prefix/regex and header tests; "or" gives several rules, ANDed ACLs are merged into one.

import type { ContentRule } from "../../state/services/index.ts";

export type Match = Omit<ContentRule, "pool">;
type Result = { matches: Match[]; notes: string[] } | { error: string };

const MAX_RULES = 64;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Regular-expression forms of HAProxy's match methods. */
const AS_REGEX: Record<string, (v: string) => string> = {
  str: (v) => `^${escapeRe(v)}$`,
  beg: (v) => `^${escapeRe(v)}`,
  end: (v) => `${escapeRe(v)}$`,
  sub: (v) => escapeRe(v),
  reg: (v) => v,
  dir: (v) => `(^|/)${escapeRe(v)}(/|$)`,
  dom: (v) => `(^|\\.)${escapeRe(v)}(\\.|:|$)`,
};

function pathMatch(fetch: string, method: string, v: string): Match | string {
  if (fetch === "url" && method !== "beg") return `url_${method} also matches the query string`;
  if (method === "beg" && v.startsWith("/")) return { pathPrefix: v };
  const re = AS_REGEX[method];
  return re ? { pathRegex: re(v) } : `match method ${method} cannot be a path rule`;
}

function headerMatch(name: string, method: string, v: string): Match | string {
  if (name === "host") {
    if (method === "str" && /^[A-Za-z0-9.-]+$/.test(v)) return { host: v.toLowerCase() };
    if (method === "end" && /^\.[A-Za-z0-9.-]+$/.test(v)) return { host: `*${v.toLowerCase()}` };
  }
  if (method === "str") return { header: { name, value: v } };
  const re = AS_REGEX[method];
  return re ? { header: { name, regex: re(v) } } : `match method ${method} cannot be a header rule`;
}

/** One ACL's tests (`criterion [flags] values...`) as alternative matches, or why not. */
export function aclMatches(words: readonly string[]): Result {
  const criterion = words[0] ?? "";
  const m =
    /^(?:(?:req\.)?(hdr)|(path|url))(?:_(beg|end|sub|reg|dom|dir|str|len|cnt|found))?(?:\(([^,)]*)(?:,[^)]*)?\))?$/.exec(
      criterion,
    );
  if (!m || (m[1] && !m[4]) || (m[2] && m[4] !== undefined))
    return {
      error: `ACL criterion ${JSON.stringify(criterion)} cannot be a content rule (only host, path and header tests can)`,
    };
  let method = m[3] ?? "str";
  let ci = false;
  let i = 1;
  for (; i < words.length && words[i]!.startsWith("-"); i++) {
    const flag = words[i]!;
    if (flag === "--") {
      i++;
      break;
    }
    if (flag === "-i") ci = true;
    else if (flag === "-m") method = words[++i] ?? "";
    else if (flag === "-f") return { error: "ACL patterns read from a file (-f) are not supported" };
    else if (flag !== "-n") return { error: `ACL flag ${flag} is not supported` };
  }
  const values = words.slice(i);
  const name = m[4]?.toLowerCase();
  if (method === "found" && name) return { matches: [{ header: { name } }], notes: [] };
  if (values.length === 0) return { error: `ACL ${criterion} has no pattern to match` };
  const matches: Match[] = [];
  for (const v of values) {
    const match = name ? headerMatch(name, method, v) : pathMatch(m[2]!, method, v);
    if (typeof match === "string") return { error: match };
    matches.push(match);
  }
  const caseMatters = matches.some((x) => x.pathPrefix || x.pathRegex || x.header);
  return { matches, notes: ci && caseMatters ? [`${criterion} -i: the rule matches case-sensitively`] : [] };
}

/** Two matches that must both hold, as one; undefined when they constrain the same part. */
function merge(a: Match, b: Match): Match | undefined {
  const out: Match = { ...a };
  for (const k of Object.keys(b) as (keyof Match)[]) {
    if (out[k] !== undefined) return undefined;
    (out as Record<string, unknown>)[k] = b[k];
  }
  return out;
}

/** Splits condition words into OR'ed groups of ANDed terms; anonymous ACLs stay one term. */
function terms(cond: readonly string[]): string[][][] | string {
  const groups: string[][][] = [[]];
  for (let i = 0; i < cond.length; i++) {
    const w = cond[i]!;
    if (w === "or" || w === "||") groups.push([]);
    else if (w === "{" || w === "!{") {
      const end = cond.indexOf("}", i);
      if (end < 0) return "unclosed { in the condition";
      groups.at(-1)!.push([w, ...cond.slice(i + 1, end)]);
      i = end;
    } else groups.at(-1)!.push([w]);
  }
  return groups.some((g) => g.length === 0) ? "empty term in the condition" : groups;
}

/** A `use_backend` condition (the words after if) as alternative matches. */
export function conditionMatches(cond: readonly string[], acls: ReadonlyMap<string, string[][]>): Result {
  const groups = terms(cond);
  if (typeof groups === "string") return { error: groups };
  const out: Match[] = [];
  const notes: string[] = [];
  for (const group of groups) {
    let alternatives: Match[] = [{}];
    for (const term of group) {
      let found: Result;
      if (term[0] === "{") found = aclMatches(term.slice(1));
      else if (term[0]!.startsWith("!")) return { error: "negated ACLs (!) cannot be content rules" };
      else {
        const lines = acls.get(term[0]!);
        if (!lines) return { error: `ACL ${term[0]} is not defined (predefined ACLs are not supported)` };
        const all = lines.map(aclMatches);
        const bad = all.find((r) => "error" in r);
        if (bad) return { error: `ACL ${term[0]}: ${(bad as { error: string }).error}` };
        found = { matches: all.flatMap((r) => ("matches" in r ? r.matches : [])), notes: [] };
        for (const r of all) if ("notes" in r) notes.push(...r.notes);
      }
      if ("error" in found) return found;
      notes.push(...found.notes);
      const next: Match[] = [];
      for (const a of alternatives)
        for (const b of found.matches) {
          const merged = merge(a, b);
          if (!merged)
            return { error: "ANDed ACLs test the same part twice; a content rule holds one test of each" };
          next.push(merged);
        }
      if (next.length > MAX_RULES) return { error: `the condition expands to more than ${MAX_RULES} rules` };
      alternatives = next;
    }
    out.push(...alternatives);
  }
  return { matches: out, notes: [...new Set(notes)] };
}
