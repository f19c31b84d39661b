// Tokenizing keepalived.conf's brace syntax into a tree of statements: words, "quoted strings",
// { blocks } (also on one line), comments starting with # or !; unbalanced braces are reported.

import type { Unmapped } from "./result.ts";

export interface KaNode {
  keyword: string;
  args: string[];
  line: number;
  /** keyword and args as one line, for reports. */
  text: string;
  /** Present for `keyword args { ... }`. */
  children?: KaNode[];
}

type Token = { t: string; line: number; quoted?: boolean } | { nl: true; line: number };

function tokens(text: string): Token[] {
  const out: Token[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const re = /"([^"]*)"?|[{}]|[^\s{}"]+/g;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      const w = m[0];
      if (w.startsWith("#") || w.startsWith("!")) break;
      out.push(m[1] !== undefined ? { t: m[1], line, quoted: true } : { t: w, line });
    }
    out.push({ nl: true, line });
  });
  return out;
}

/** The statements of a keepalived.conf text, nested by braces. */
export function parseKeepalivedConfig(text: string): { nodes: KaNode[]; problems: Unmapped[] } {
  const toks = tokens(text);
  const problems: Unmapped[] = [];
  let i = 0;
  const isWord = (k: Token | undefined): k is { t: string; line: number; quoted?: boolean } =>
    k !== undefined && "t" in k && (k.quoted === true || (k.t !== "{" && k.t !== "}"));
  const block = (depth: number, opener?: KaNode): KaNode[] => {
    const nodes: KaNode[] = [];
    while (i < toks.length) {
      const tok = toks[i]!;
      if ("nl" in tok) {
        i++;
        continue;
      }
      if (!tok.quoted && tok.t === "}") {
        i++;
        if (depth > 0) return nodes;
        problems.push({ line: tok.line, text: "}", reason: "unmatched closing brace; ignored" });
        continue;
      }
      if (!tok.quoted && tok.t === "{") {
        problems.push({ line: tok.line, text: "{", reason: "block without a keyword; skipped" });
        i++;
        block(depth + 1);
        continue;
      }
      const words: string[] = [];
      while (isWord(toks[i])) words.push((toks[i++] as { t: string }).t);
      const node: KaNode = {
        keyword: words[0]!,
        args: words.slice(1),
        line: tok.line,
        text: words.join(" "),
      };
      const next = toks[i];
      if (next && "t" in next && !next.quoted && next.t === "{") {
        i++;
        node.children = block(depth + 1, node);
      }
      nodes.push(node);
    }
    if (opener)
      problems.push({ line: opener.line, text: opener.text, reason: "block is never closed (missing })" });
    return nodes;
  };
  return { nodes: block(0), problems };
}
