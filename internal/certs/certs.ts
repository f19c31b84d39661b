// A development CA and node certificates for peer mutual TLS: keys from Node's crypto (fast),
// X.509 built and signed (SHA-256) with node-forge. Everything is PEM strings.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";

export const CertErrorCode = {
  /** An argument is invalid; the message names it. */
  InvalidInput: "CERT_INVALID_INPUT",
} as const;
export type CertErrorCode = (typeof CertErrorCode)[keyof typeof CertErrorCode];

export class CertError extends Error {
  readonly code: CertErrorCode;
  constructor(code: CertErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CertError";
    this.code = code;
  }
}

/** A certificate and its private key (PKCS#8), both PEM. */
export interface CertPair {
  certPem: string;
  keyPem: string;
}

const RSA_BITS = 2048;
const MAX_DAYS = 36_500;
/** notBefore is set this far in the past, so a peer whose clock is a little behind accepts it. */
const CLOCK_SKEW_MS = 5 * 60_000;
const DNS_NAME_RE =
  /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function invalid(message: string): never {
  throw new CertError(CertErrorCode.InvalidInput, message);
}

function checkDays(days: unknown): number {
  if (typeof days !== "number" || !Number.isSafeInteger(days) || days < 1 || days > MAX_DAYS)
    invalid(`days must be an integer in [1, ${MAX_DAYS}], got ${String(days)}`);
  return days;
}

function newKeyPair(): { keys: forge.pki.rsa.KeyPair; keyPem: string } {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: RSA_BITS });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const priv = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { keys: { privateKey: priv, publicKey: forge.pki.setRsaPublicKey(priv.n, priv.e) }, keyPem };
}

function newCertificate(publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // 128 random bits, top bit clear so the DER integer stays positive.
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  cert.serialNumber = serial.toString("hex");
  const now = Date.now();
  cert.validity.notBefore = new Date(now - CLOCK_SKEW_MS);
  cert.validity.notAfter = new Date(now + days * 86_400_000);
  return cert;
}

/** A self-signed CA certificate (keyCertSign) for signing node certificates. */
export function createCa(opts: { commonName: string; days: number }): CertPair {
  if (typeof opts.commonName !== "string" || opts.commonName.trim() === "")
    invalid("commonName must be a non-empty string");
  const days = checkDays(opts.days);
  const { keys, keyPem } = newKeyPair();
  const cert = newCertificate(keys.publicKey, days);
  const subject = [{ name: "commonName", value: opts.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** The subjectAltName entry for a host: an IP address (v4 or v6) or a DNS name. */
function altName(host: string): { type: number; value?: string; ip?: string } {
  if (isIP(host) !== 0) return { type: 7, ip: host };
  if (!DNS_NAME_RE.test(host) || host.length > 253)
    invalid(`hosts: ${JSON.stringify(host)} is neither an IP nor a DNS name`);
  return { type: 2, value: host };
}

/**
 * A certificate for node `nodeId` (CN "node-<id>"), signed by `ca`, valid for TLS servers and
 * clients alike (peers dial each other both ways), naming every host peers dial it by as a SAN.
 */
export function createNodeCert(
  ca: { certPem: string | Buffer; keyPem: string | Buffer },
  opts: { nodeId: number; hosts: string[]; days: number },
): CertPair {
  if (!Number.isSafeInteger(opts.nodeId) || opts.nodeId <= 0)
    invalid(`nodeId must be a positive integer, got ${String(opts.nodeId)}`);
  if (!Array.isArray(opts.hosts) || opts.hosts.length === 0)
    invalid("hosts must list at least one DNS name or IP address");
  const altNames = opts.hosts.map(altName);
  const days = checkDays(opts.days);
  let caCert: forge.pki.Certificate;
  let caKey: forge.pki.PrivateKey;
  try {
    caCert = forge.pki.certificateFromPem(ca.certPem.toString());
    caKey = forge.pki.privateKeyFromPem(ca.keyPem.toString());
  } catch (err) {
    throw new CertError(
      CertErrorCode.InvalidInput,
      `ca: not a PEM certificate and RSA key (${String(err)})`,
      {
        cause: err,
      },
    );
  }
  const { keys, keyPem } = newKeyPair();
  const cert = newCertificate(keys.publicKey, days);
  cert.setSubject([{ name: "commonName", value: `node-${opts.nodeId}` }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true, clientAuth: true },
    { name: "subjectAltName", altNames },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}
