import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerOptions } from 'node:https';
import { join } from 'node:path';
import { createSecureContext, type TLSSocket } from 'node:tls';
import { CERT_FILES } from './cert-files.js';

export const CLIENT_CERT_MODES = ['off', 'optional', 'required'] as const;
/** off: no certificate asked; optional: asked, checked when given; required: none or a bad one fails the handshake. */
export type ClientCertMode = (typeof CLIENT_CERT_MODES)[number];

export interface TlsOptions {
  /** PEM of the CA that signs the client certificates (root.pem). */
  ca: string;
  /** PEM of the server certificate (server.pem) and its key (server_key.pem). */
  cert: string;
  key: string;
  clientCert: ClientCertMode;
}

/** A TLS file that is missing, unreadable or wrong; `code` lets the CLI report it as a start-up problem. */
export class TlsError extends Error {
  readonly code = 'ERR_QPS_SIM_TLS';
  override name = 'TlsError';
}

/** Reads root.pem, server.pem and server_key.pem from `dir` and checks that the key fits the certificate. */
export async function loadTlsOptions(dir: string, clientCert: ClientCertMode = 'off'): Promise<TlsOptions> {
  const reads = await Promise.allSettled(
    [CERT_FILES.root, CERT_FILES.server, CERT_FILES.serverKey].map((name) => readPem(join(dir, name))),
  );
  const problems = reads.flatMap((read) => (read.status === 'rejected' ? [(read.reason as Error).message] : []));
  if (problems.length > 0) throw new TlsError(`${problems.join('; ')} (qps-sim certs --out DIR writes a set)`);
  const [ca = '', cert = '', key = ''] = reads.map((read) => (read.status === 'fulfilled' ? read.value : ''));
  const tls = { ca, cert, key, clientCert };
  check(() => new X509Certificate(tls.ca), `${join(dir, CERT_FILES.root)} is not a certificate`);
  check(
    () => createSecureContext({ cert: tls.cert, key: tls.key }),
    `${join(dir, CERT_FILES.server)} and ${join(dir, CERT_FILES.serverKey)} are not a certificate and its key`,
  );
  return tls;
}

function check(attempt: () => unknown, problem: string): void {
  try {
    attempt();
  } catch (error) {
    throw new TlsError(`${problem} (${(error as Error).message}); qps-sim certs --out DIR writes a set`);
  }
}

async function readPem(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new TlsError(
      code === 'ENOENT' ? `the TLS file ${file} is missing` : `cannot read the TLS file ${file}: ${message}`,
    );
  }
  if (!text.includes('-----BEGIN ')) throw new TlsError(`the TLS file ${file} is not PEM (no -----BEGIN line)`);
  return text;
}

/** Options for https.createServer. */
export function httpsServerOptions(tls: TlsOptions): ServerOptions {
  return {
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    requestCert: tls.clientCert !== 'off',
    rejectUnauthorized: tls.clientCert === 'required',
  };
}

/**
 * Under `optional` the handshake lets every client in; this drops the connection of one that sent a
 * certificate the CA did not sign, as nginx's `ssl_verify_client optional` does.
 */
export function refuseUntrustedCertificates(socket: TLSSocket): void {
  if (!socket.authorized && Object.keys(socket.getPeerCertificate()).length > 0) socket.destroy();
}

export const describeClientCertMode = (mode: ClientCertMode): string => `client certificates ${mode}`;
