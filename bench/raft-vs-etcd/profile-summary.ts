// Summarizes a V8 .cpuprofile: where the busy time went, by area (raftvs module, npm package, Node
// internals, GC) and by function, self and inclusive. Used by `--profile`, and on its own:
//   npx tsx bench/raft-vs-etcd/profile-summary.ts FILE.cpuprofile [top=25]

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CallFrame, CpuProfile, ProfileNode } from "../cpuprofile.ts";

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  byArea: Array<{ area: string; selfMs: number }>;
  bySelf: Array<{ fn: string; selfMs: number }>;
  byInclusive: Array<{ fn: string; totalMs: number }>;
}

/** The area a frame belongs to: a raftvs folder, an npm package, Node itself, or V8's own. */
export function areaOf(f: CallFrame): string {
  const url = f.url;
  if (url === "") {
    if (f.functionName.startsWith("(")) return f.functionName; // (garbage collector), (program), (idle)
    return "(native)";
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  const own = /\/(internal|cmd|proto)\/([^/]+)\//.exec(url);
  if (own) return `raftvs:${own[1]}/${own[2]}`;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  return url;
}

function fnName(f: CallFrame): string {
  const file = f.url.replace(/^.*\/(node_modules\/|internal\/|cmd\/)/, "$1");
  return `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
}

export function summarize(p: CpuProfile): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const area = new Map<string, number>();
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    // timeDeltas[i] is the time before sample i; charge the interval after it to the sample.
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(p.samples[i]!)!;
    const a = areaOf(node.callFrame);
    if (a === "(idle)") continue;
    busy += dt;
    area.set(a, (area.get(a) ?? 0) + dt);
    const name = fnName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (f.functionName === "(root)") break;
      const k = fnName(f);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((x, y) => y[1] - x[1]);
  return {
    wallMs: (p.endTime - p.startTime) / 1000,
    busyMs: busy,
    byArea: sorted(area).map(([a, ms]) => ({ area: a, selfMs: ms })),
    bySelf: sorted(self).map(([fn, ms]) => ({ fn, selfMs: ms })),
    byInclusive: sorted(incl).map(([fn, ms]) => ({ fn, totalMs: ms })),
  };
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
}

export function formatSummary(s: ProfileSummary, top: number): string {
  const pct = (ms: number) => `${((ms / s.busyMs) * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `busy ${(s.busyMs / 1000).toFixed(2)} s of ${(s.wallMs / 1000).toFixed(2)} s on the main thread ` +
      `(${((s.busyMs / s.wallMs) * 100).toFixed(0)}%)`,
    "  self time by area:",
    ...s.byArea.slice(0, top).map((a) => `    ${pct(a.selfMs)}  ${a.area}`),
    "  self time by function:",
    ...s.bySelf.slice(0, top).map((f) => `    ${pct(f.selfMs)}  ${f.fn}`),
    "  inclusive time by function:",
    ...s.byInclusive.slice(0, top).map((f) => `    ${pct(f.totalMs)}  ${f.fn}`),
  ];
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("usage: npx tsx bench/raft-vs-etcd/profile-summary.ts FILE.cpuprofile [top=25]\n");
    process.exit(2);
  }
  console.log(formatSummary(summarize(readProfile(file)), Number(process.argv[3] ?? 25)));
}
