// Running a command-line program of the project (raftvsd, raftvsctl, raftvs-local) once as a child
// process, with a hard time limit, and collecting its exit code and output.

import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ExecutionContext } from "ava";
import { trackChild } from "./children.ts";

export const RAFTVSD = fileURLToPath(new URL("../../cmd/raftvsd/main.ts", import.meta.url));
export const RAFTVSCTL = fileURLToPath(new URL("../../cmd/raftvsctl/main.ts", import.meta.url));
export const RAFTVS_LOCAL = fileURLToPath(new URL("../../cmd/raftvs-local/main.ts", import.meta.url));

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Exit code, or the signal name. */
  exited: Promise<number | string>;
}

/** Starts `node --import tsx script args...`; teardown (or the worker's exit) kills it by PID. */
export function spawnScript(t: ExecutionContext, script: string, args: string[]): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stderr!.on("data", (b: Buffer) => {
    err += b.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)),
  );
  trackChild(t, child, exited);
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs a script to its end (killed after `timeoutMs`, which fails the caller's expectations). */
export async function runScript(
  t: ExecutionContext,
  script: string,
  args: string[],
  timeoutMs = 20_000,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const p = spawnScript(t, script, args);
  const timer = setTimeout(() => p.child.kill("SIGKILL"), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
