// Public surface of certs: a development CA, node certificates for peer mTLS, and writing them out.

export type { CertPair } from "./certs.ts";
export { CertError, CertErrorCode, createCa, createNodeCert } from "./certs.ts";
export { writeCertFiles } from "./files.ts";
