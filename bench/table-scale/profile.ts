// Reads the V8 CPU profiles the daemons wrote (--cpu-prof) and tells where their main thread spent
// each phase: busy share, garbage collection, the functions with the most self time, and the
// functions of ours (and of libraries) with the most inclusive time.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_DEFAULTS } from "../../internal/config/index.ts";
import type { CallFrame, CpuProfile } from "../cpuprofile.ts";

const ROOT = `file://${process.cwd()}/`;
/** Entries that are not work: the idle loop and the profiler's own root. */
const NOT_WORK = new Set(["(idle)", "(root)"]);
/**
 * Native code outside any JS function. An in-process profiler is not told when libuv waits for
 * I/O, so this also holds idle time: counted apart, not as busy.
 */
const PROGRAM = "(program)";

function frameName(f: CallFrame): string {
  const url = f.url.startsWith(ROOT) ? f.url.slice(ROOT.length) : f.url;
  const name = f.functionName || "(anonymous)";
  return url ? `${name} ${url.replace(/^.*node_modules\//, "")}:${f.lineNumber + 1}` : name;
}

interface WindowSummary {
  windowMs: number;
  busyMs: number;
  programMs: number;
  gcMs: number;
  self: Array<[string, number]>;
  inclusive: Array<[string, number]>;
}

/** Self and inclusive time per function over the samples taken within [fromUs, toUs]. */
function summarizeWindow(p: CpuProfile, fromUs: number, toUs: number, top: number): WindowSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfById = new Map<number, number>();
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t < fromUs || t > toUs) continue;
    const id = p.samples[i]!;
    selfById.set(id, (selfById.get(id) ?? 0) + dt);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busyUs = 0;
  let gcUs = 0;
  let programUs = 0;
  for (const [id, us] of selfById) {
    const node = byId.get(id)!;
    const name = frameName(node.callFrame);
    if (NOT_WORK.has(node.callFrame.functionName)) continue;
    if (node.callFrame.functionName === PROGRAM) {
      programUs += us;
      continue;
    }
    busyUs += us;
    if (node.callFrame.functionName === "(garbage collector)") gcUs += us;
    self.set(name, (self.get(name) ?? 0) + us);
    const onPath = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (NOT_WORK.has(f.functionName) || !f.url) continue;
      const n = frameName(f);
      if (onPath.has(n)) continue;
      onPath.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + us);
    }
  }
  const sorted = (m: Map<string, number>): Array<[string, number]> =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([n, us]) => [n, us / 1000]);
  return {
    windowMs: (toUs - fromUs) / 1000,
    busyMs: busyUs / 1000,
    programMs: programUs / 1000,
    gcMs: gcUs / 1000,
    self: sorted(self),
    inclusive: sorted(inclusive),
  };
}

/** A stall of the event loop noted by profile-hook.mjs. */
interface Stall {
  atUs: number;
  ms: number;
}

/** Printable lines: per node (leader in full) and per phase, where the main thread's time went. */
export function summarizeProfiles(
  dir: string,
  pids: number[],
  leader: number,
  windows: Record<string, [number, number]>,
  electionTicks = CONFIG_DEFAULTS.raft.electionTicks,
): string[] {
  // The Raft election timeout: a longer stall risks an election.
  const electionTimeoutMs = electionTicks * CONFIG_DEFAULTS.raft.tickMs;
  const out: string[] = [];
  for (const [i, pid] of pids.entries()) {
    const id = i + 1;
    const base = join(dir, `raftvsd-${pid}`);
    if (!existsSync(`${base}.cpuprofile`)) {
      out.push(`node ${id} (pid ${pid}): no profile in ${dir}`);
      continue;
    }
    const p = JSON.parse(readFileSync(`${base}.cpuprofile`, "utf8")) as CpuProfile;
    const stalls = existsSync(`${base}.stalls.json`)
      ? (JSON.parse(readFileSync(`${base}.stalls.json`, "utf8")) as Stall[])
      : [];
    const isLeader = id === leader;
    out.push(`node ${id}${isLeader ? " (leader at the end)" : ""}: ${base}.cpuprofile`);
    for (const [phase, [from, to]] of Object.entries(windows)) {
      const s = summarizeWindow(p, from, to, isLeader ? 12 : 6);
      const pct = (ms: number): string => `${((100 * ms) / s.windowMs).toFixed(0)}%`;
      out.push(
        `  ${phase}: ${s.windowMs.toFixed(0)} ms, main thread in JS and GC ${s.busyMs.toFixed(0)} ms ` +
          `(${pct(s.busyMs)}), of which GC ${s.gcMs.toFixed(0)} ms (${pct(s.gcMs)}); ` +
          `native or waiting ("(program)") ${s.programMs.toFixed(0)} ms`,
      );
      const mine = stalls.filter((x) => x.atUs >= from && x.atUs <= to);
      const long = mine.filter((x) => x.ms > electionTimeoutMs);
      out.push(
        `    event loop stalls over 50 ms: ${mine.length}, over the ${electionTimeoutMs} ms election timeout: ` +
          `${long.length}${mine.length > 0 ? `, longest ${Math.max(...mine.map((x) => x.ms)).toFixed(0)} ms` : ""}` +
          (long.length > 0
            ? ` (at +${long
                .slice(0, 8)
                .map((x) => ((x.atUs - from) / 1e6).toFixed(2))
                .join(", +")} s)`
            : ""),
      );
      out.push("    self time:");
      for (const [n, ms] of s.self) out.push(`      ${ms.toFixed(0).padStart(6)} ms  ${n}`);
      if (isLeader) {
        out.push("    inclusive time:");
        for (const [n, ms] of s.inclusive) out.push(`      ${ms.toFixed(0).padStart(6)} ms  ${n}`);
      }
    }
  }
  return out;
}
