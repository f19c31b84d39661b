// A node certificate verifies against its CA, names its hosts as SANs and allows both TLS roles;
// bad input is refused with a clear error; files are written with safe modes.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { CertError, createCa, createNodeCert, writeCertFiles } from "./index.ts";

// Generated once for the file; each node cert below is signed by it.
const ca = createCa({ commonName: "raftvs test CA", days: 30 });

test("the CA is self-signed and may sign certificates", (t) => {
  const x = new X509Certificate(ca.certPem);
  t.true(x.ca);
  t.true(x.verify(x.publicKey));
  t.is(x.subject, "CN=raftvs test CA");
});

test("a node certificate verifies against its CA and carries the SANs and both EKUs", (t) => {
  const node = createNodeCert(ca, { nodeId: 3, hosts: ["node3.example", "127.0.0.1", "::1"], days: 10 });
  const x = new X509Certificate(node.certPem);
  const caX = new X509Certificate(ca.certPem);
  t.true(x.verify(caX.publicKey), "signed by the CA");
  t.true(x.checkIssued(caX));
  t.false(x.ca);
  t.is(x.subject, "CN=node-3");
  t.regex(x.subjectAltName ?? "", /DNS:node3\.example/);
  t.regex(x.subjectAltName ?? "", /IP Address:127\.0\.0\.1/);
  t.regex(x.subjectAltName ?? "", /IP Address:0:0:0:0:0:0:0:1|IP Address:::1/);
  t.deepEqual([...(x.keyUsage ?? [])].sort(), ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
  t.truthy(x.checkHost("node3.example"));
  t.truthy(x.checkIP("127.0.0.1"));
  t.true(x.checkPrivateKey(createPrivateKey(node.keyPem)));
  const days = (Date.parse(x.validTo) - Date.now()) / 86_400_000;
  t.true(days > 9.9 && days <= 10.01, `valid for ${days} days`);
});

test("a certificate from another CA does not verify", (t) => {
  const other = createCa({ commonName: "someone else", days: 30 });
  const node = createNodeCert(other, { nodeId: 1, hosts: ["localhost"], days: 1 });
  t.false(new X509Certificate(node.certPem).verify(new X509Certificate(ca.certPem).publicKey));
});

test("bad input is refused with an error naming it", (t) => {
  const cases: [() => unknown, RegExp][] = [
    [() => createCa({ commonName: "", days: 1 }), /commonName/],
    [() => createCa({ commonName: "x", days: 0 }), /days/],
    [() => createNodeCert(ca, { nodeId: 0, hosts: ["a"], days: 1 }), /nodeId/],
    [() => createNodeCert(ca, { nodeId: 1, hosts: [], days: 1 }), /hosts/],
    [() => createNodeCert(ca, { nodeId: 1, hosts: ["bad host!"], days: 1 }), /neither an IP nor a DNS name/],
    [() => createNodeCert({ certPem: "nope", keyPem: "nope" }, { nodeId: 1, hosts: ["a"], days: 1 }), /ca:/],
  ];
  for (const [fn, re] of cases) {
    const err = t.throws(fn, { instanceOf: CertError });
    t.regex(err!.message, re);
  }
});

test("writeCertFiles writes the key owner-only", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "raftvs-certs-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { certPath, keyPath } = writeCertFiles(join(dir, "sub"), "node-1", ca);
  t.is(readFileSync(certPath, "utf8"), ca.certPem);
  t.is(readFileSync(keyPath, "utf8"), ca.keyPem);
  t.is(statSync(keyPath).mode & 0o777, 0o600);
});
