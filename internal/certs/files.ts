// Writes a certificate and its key to disk: the certificate world-readable, the key owner-only.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CertPair } from "./certs.ts";

/** Writes `<name>.pem` (0644) and `<name>-key.pem` (0600) into dir (created if needed). */
export function writeCertFiles(
  dir: string,
  name: string,
  pair: CertPair,
): { certPath: string; keyPath: string } {
  mkdirSync(dir, { recursive: true });
  const certPath = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}-key.pem`);
  writeFileSync(certPath, pair.certPem, { mode: 0o644 });
  writeFileSync(keyPath, pair.keyPem, { mode: 0o600 });
  // The mode above applies only to a new file; tighten an old one too.
  chmodSync(keyPath, 0o600);
  return { certPath, keyPath };
}
