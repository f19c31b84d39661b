// Tokenizing haproxy.cfg into sections of statements: comments, quoting ("..." with escapes,
// '...' literal) and backslash escapes in arguments, as HAProxy's own line parser reads them.

import type { Unmapped } from "./result.ts";

export interface HaStatement {
  line: number;
  words: string[];
  /** The statement as written (trimmed, comment removed), for reports. */
  text: string;
}

export interface HaSection extends HaStatement {
  kind: string;
  name: string;
  statements: HaStatement[];
}

export const SECTION_KINDS = [
  "global",
  "defaults",
  "frontend",
  "backend",
  "listen",
  "userlist",
  "peers",
  "resolvers",
  "mailers",
  "cache",
  "program",
  "http-errors",
  "ring",
  "log-forward",
  "fcgi-app",
  "crt-store",
  "traces",
] as const;

const ESCAPES: Record<string, string> = { r: "\r", n: "\n", t: "\t" };
const LITERAL = ` #\\'"`;

/** The words of one line and where its comment starts; undefined words for an unterminated quote. */
export function splitHaproxyLine(line: string): { words: string[] | undefined; end: number } {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  let i = 0;
  const add = (s: string) => {
    word = (word ?? "") + s;
  };
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else add(c);
      continue;
    }
    if (c === "\\" && i + 1 < line.length) {
      const n = line[++i]!;
      if (n === "x" && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 1, i + 3))) {
        add(String.fromCharCode(Number.parseInt(line.slice(i + 1, i + 3), 16)));
        i += 2;
      } else if (LITERAL.includes(n)) add(n);
      else add(ESCAPES[n] ?? `\\${n}`); // like HAProxy, other escapes keep their backslash (regexes)
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else add(c);
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      add("");
    } else if (c === "#") break;
    else if (c === " " || c === "\t") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else add(c);
  }
  if (quote) return { words: undefined, end: i };
  if (word !== undefined) words.push(word);
  return { words, end: i };
}

/** Sections in file order; statements before the first section and bad lines are reported. */
export function parseHaproxyConfig(text: string): { sections: HaSection[]; problems: Unmapped[] } {
  const sections: HaSection[] = [];
  const problems: Unmapped[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const { words, end } = splitHaproxyLine(raw);
    const shown = raw.slice(0, end).trim().replace(/\s+/g, " ");
    if (words === undefined) {
      problems.push({ line, text: raw.trim(), reason: "unterminated quote; line skipped" });
      return;
    }
    if (words.length === 0) return;
    const stmt: HaStatement = { line, words, text: shown };
    if ((SECTION_KINDS as readonly string[]).includes(words[0]!)) {
      sections.push({ ...stmt, kind: words[0]!, name: words[1] ?? "", statements: [] });
      return;
    }
    const current = sections.at(-1);
    if (current) current.statements.push(stmt);
    else problems.push({ line, text: shown, reason: "outside any section; ignored" });
  });
  return { sections, problems };
}
