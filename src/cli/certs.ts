import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CERT_FILES,
  DEFAULT_ALT_NAMES,
  DEFAULT_DAYS,
  generateCertificates,
  type CertificateSet,
} from '../transport/certs.js';

export interface CertsCommandOptions {
  out: string;
  force?: boolean;
  san?: string[];
}

/** `qps-sim certs --out DIR`: writes a CA, a server and a client certificate; never overwrites without --force. */
export async function writeCerts({ out, force = false, san = [] }: CertsCommandOptions): Promise<void> {
  const files = Object.entries(CERT_FILES) as Array<[keyof CertificateSet, string]>;
  try {
    await mkdir(out, { recursive: true });
    if (!force) {
      const existing = (await Promise.all(files.map(([, name]) => exists(join(out, name))))).flatMap((path) =>
        path ? [path] : [],
      );
      if (existing.length > 0) {
        console.error(`qps-sim: ${existing.join(', ')} already exist; --force overwrites them`);
        process.exit(1);
      }
    }
    const set = generateCertificates({ altNames: san });
    for (const [kind, name] of files) {
      const secret = kind === 'serverKey' || kind === 'clientKey';
      await writeFile(join(out, name), set[kind], { mode: secret ? 0o600 : 0o644, flag: force ? 'w' : 'wx' });
    }
  } catch (error) {
    console.error(`qps-sim: cannot write the certificates to ${out}: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(`wrote ${files.map(([, name]) => join(out, name)).join(', ')}`);
  const names = [...new Set([...DEFAULT_ALT_NAMES, ...san])].join(', ');
  console.log(`  CA "qps-sim CA", server CN=localhost for ${names}, client CN=QlikClient`);
  console.log(`  RSA 2048, valid for ${DEFAULT_DAYS} days`);
  console.log(`  serve: qps-sim --tls ${out} --client-cert required`);
}

async function exists(path: string): Promise<string | undefined> {
  try {
    await access(path, constants.F_OK);
    return path;
  } catch {
    return undefined;
  }
}
