// raftvsctl cert: a development CA and node certificates (serverAuth + clientAuth) for peer mTLS.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCa, createNodeCert } from "../certs/index.ts";
import { CtlError } from "./client.ts";
import type { CommandContext } from "./cluster-commands.ts";

function days(raw: string | boolean | undefined): number {
  if (raw === undefined) return 365;
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || Number(raw) <= 0)
    throw new CtlError(`--days must be a positive integer (got ${JSON.stringify(raw)})`, 2);
  return Number(raw);
}

function writePem(dir: string, name: string, pem: string, secret: boolean): string {
  const path = join(dir, name);
  writeFileSync(path, pem, { mode: secret ? 0o600 : 0o644 });
  return path;
}

export async function certCommand(
  ctx: CommandContext,
  args: string[],
  flags: Record<string, string | boolean | undefined>,
): Promise<void> {
  const out = flags.out;
  if (typeof out !== "string") throw new CtlError("cert commands need --out DIR", 2);
  mkdirSync(out, { recursive: true });
  switch (args[0]) {
    case "ca": {
      const ca = createCa({ commonName: "raftvs development CA", days: days(flags.days) });
      ctx.print(
        `wrote ${writePem(out, "ca.pem", ca.certPem, false)} and ${writePem(out, "ca-key.pem", ca.keyPem, true)}`,
      );
      return;
    }
    case "node": {
      const idRaw = flags.id;
      if (typeof idRaw !== "string" || !/^\d+$/.test(idRaw) || Number(idRaw) <= 0)
        throw new CtlError("cert node needs --id N (a positive integer)", 2);
      const hosts =
        typeof flags.host === "string"
          ? flags.host
              .split(",")
              .map((h) => h.trim())
              .filter(Boolean)
          : [];
      if (hosts.length === 0)
        throw new CtlError("cert node needs --host NAME_OR_IP[,...] (the names peers dial)", 2);
      const caDir = flags["ca-dir"];
      if (typeof caDir !== "string")
        throw new CtlError("cert node needs --ca-dir DIR (holding ca.pem and ca-key.pem)", 2);
      let ca: { certPem: string; keyPem: string };
      try {
        ca = {
          certPem: readFileSync(join(caDir, "ca.pem"), "utf8"),
          keyPem: readFileSync(join(caDir, "ca-key.pem"), "utf8"),
        };
      } catch (err) {
        throw new CtlError(`cannot read the CA from ${caDir}: ${(err as Error).message}`, 2);
      }
      const id = Number(idRaw);
      const cert = createNodeCert(ca, { nodeId: id, hosts, days: days(flags.days) });
      ctx.print(
        `wrote ${writePem(out, `node-${id}.pem`, cert.certPem, false)} and ${writePem(out, `node-${id}-key.pem`, cert.keyPem, true)}`,
      );
      return;
    }
    default:
      throw new CtlError(`unknown cert command ${JSON.stringify(args[0])}: use ca or node`, 2);
  }
}
