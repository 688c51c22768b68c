import { isIP } from 'node:net';
import forge from 'node-forge';

/** The PEM files of a certificate set, named as a Qlik Sense site exports them. */
import { CERT_FILES, type CertificateSet } from './cert-files.js';

export { CERT_FILES, type CertificateSet };

export interface CertificateOptions {
  /** DNS names and IP addresses of the server certificate besides localhost, 127.0.0.1 and ::1. */
  altNames?: string[];
  /** Days the certificates stay valid (default two years). */
  days?: number;
  /** When they start to be valid (less an hour, for clocks that lag). */
  now?: Date;
}

export const DEFAULT_ALT_NAMES = ['localhost', '127.0.0.1', '::1'];
export const DEFAULT_DAYS = 730;
const DAY_MS = 86_400_000;
const { pki, md } = forge;

type Keys = forge.pki.rsa.KeyPair;
type Extension = Record<string, unknown>;

/** A CA, a server certificate it signs (serverAuth) and a client certificate CN=QlikClient (clientAuth): RSA 2048. */
export function generateCertificates(options: CertificateOptions = {}): CertificateSet {
  const now = options.now ?? new Date();
  const days = options.days ?? DEFAULT_DAYS;
  const validity = { from: new Date(now.getTime() - 3_600_000), to: new Date(now.getTime() + days * DAY_MS) };
  const caKeys = pki.rsa.generateKeyPair({ bits: 2048 });
  const ca = certificate('qps-sim CA', caKeys, undefined, validity, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  const issuer = { cert: ca, keys: caKeys };
  const names = [...new Set([...DEFAULT_ALT_NAMES, ...(options.altNames ?? [])])];
  const serverKeys = pki.rsa.generateKeyPair({ bits: 2048 });
  const server = certificate('localhost', serverKeys, issuer, validity, [
    ...leaf('serverAuth'),
    { name: 'subjectAltName', altNames: names.map(altName) },
  ]);
  const clientKeys = pki.rsa.generateKeyPair({ bits: 2048 });
  const client = certificate('QlikClient', clientKeys, issuer, validity, leaf('clientAuth'));
  return {
    root: pki.certificateToPem(ca),
    server: pki.certificateToPem(server),
    serverKey: pki.privateKeyToPem(serverKeys.privateKey),
    client: pki.certificateToPem(client),
    clientKey: pki.privateKeyToPem(clientKeys.privateKey),
  };
}

const leaf = (usage: 'serverAuth' | 'clientAuth'): Extension[] => [
  { name: 'basicConstraints', cA: false, critical: true },
  { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
  { name: 'extKeyUsage', [usage]: true },
];

/** IP addresses as type 7, anything else as a DNS name (type 2). */
const altName = (name: string) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name });

function certificate(
  commonName: string,
  keys: Keys,
  issuer: { cert: forge.pki.Certificate; keys: Keys } | undefined,
  validity: { from: Date; to: Date },
  extensions: Extension[],
): forge.pki.Certificate {
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = validity.from;
  cert.validity.notAfter = validity.to;
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setIssuer((issuer?.cert ?? cert).subject.attributes);
  const authority = issuer?.cert ?? cert;
  cert.setExtensions([
    ...extensions,
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: authority.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign((issuer?.keys ?? keys).privateKey, md.sha256.create());
  return cert;
}

/** 16 random bytes as a positive hex integer (the leading bit clear). */
function serialNumber(): string {
  const bytes = forge.random.getBytesSync(16);
  return (bytes.charCodeAt(0) & 0x7f).toString(16).padStart(2, '0') + forge.util.bytesToHex(bytes.slice(1));
}
