import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSimulator, type Simulator } from '../../src/simulator.js';
import { CERT_FILES, generateCertificates, type CertificateSet } from '../../src/transport/certs.js';
import { loadTlsOptions, type ClientCertMode } from '../../src/transport/tls.js';

const BIN = 'dist/cli/main.js';
const KEY = 'abcdefghij012345';
const running = new Set<ChildProcess>();
let tmp: string;
let dir: string;
let certs: CertificateSet;
let stranger: CertificateSet;

async function writeSet(to: string, set: CertificateSet): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const [kind, name] of Object.entries(CERT_FILES))
    await writeFile(join(to, name), set[kind as keyof CertificateSet]);
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'qps-sim-tls-'));
  dir = join(tmp, 'certs');
  certs = generateCertificates();
  stranger = generateCertificates();
  await writeSet(dir, certs);
});

after(async () => {
  for (const child of running) child.kill('SIGKILL');
  await rm(tmp, { recursive: true, force: true });
});

interface Client {
  cert?: string;
  key?: string;
}

/** GET /qps/session over HTTPS trusting the test CA; resolves with the status, rejects when the connection fails. */
function getSessions(url: string, client: Client = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/qps/session?Xrfkey=${KEY}`,
      { ca: certs.root, ...client, headers: { 'X-Qlik-Xrfkey': KEY }, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** How a refused TLS client fails: an alert from the server, or the connection closed under it; never a response. */
const refused = { code: /^(ERR_SSL_\w+|ECONNRESET)$/ };
const withOurs = (): Client => ({ cert: certs.client, key: certs.clientKey });
const withStrangers = (): Client => ({ cert: stranger.client, key: stranger.clientKey });

describe('generateCertificates', () => {
  test('a CA, a server certificate for localhost, 127.0.0.1 and ::1, and a client certificate CN=QlikClient', () => {
    const root = new X509Certificate(certs.root);
    const server = new X509Certificate(certs.server);
    const client = new X509Certificate(certs.client);
    assert.equal(root.ca, true);
    assert.equal(server.ca, false);
    assert.ok(server.checkIssued(root) && server.verify(root.publicKey), 'the CA signs the server certificate');
    assert.ok(client.checkIssued(root) && client.verify(root.publicKey), 'the CA signs the client certificate');
    assert.equal(server.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(server.checkIP('::1'), '::1');
    assert.equal(client.subject, 'CN=QlikClient');
    assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'serverAuth');
    assert.deepEqual(client.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'clientAuth');
    assert.equal(client.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    const days = (Date.parse(server.validTo) - Date.parse(server.validFrom)) / 86_400_000;
    assert.ok(days > 729 && days < 732, `valid for about two years: ${days} days`);
    assert.match(certs.serverKey, /^-----BEGIN RSA PRIVATE KEY-----/);
  });

  test('every call makes a new CA', () => {
    assert.notEqual(new X509Certificate(stranger.root).fingerprint256, new X509Certificate(certs.root).fingerprint256);
  });
});

describe('listen over HTTPS', () => {
  const serve = async (clientCert: ClientCertMode): Promise<{ sim: Simulator; url: string }> => {
    const sim = createSimulator({ seed: 'tls', sessions: 3 });
    const { url } = await sim.listen(0, '127.0.0.1', await loadTlsOptions(dir, clientCert));
    return { sim, url };
  };

  test('required: 200 with a client certificate from the CA; no certificate or another CA fails the handshake', async () => {
    const { sim, url } = await serve('required');
    try {
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const { status, body } = await getSessions(url, withOurs());
      assert.equal(status, 200);
      assert.ok(Array.isArray(JSON.parse(body)));
      await assert.rejects(getSessions(url), refused, 'no client certificate');
      await assert.rejects(getSessions(url, withStrangers()), refused, 'a client certificate from another CA');
    } finally {
      await sim.close();
    }
  });

  test('optional: 200 with or without a client certificate; one from another CA is refused', async () => {
    const { sim, url } = await serve('optional');
    try {
      assert.equal((await getSessions(url)).status, 200);
      assert.equal((await getSessions(url, withOurs())).status, 200);
      await assert.rejects(getSessions(url, withStrangers()), refused);
    } finally {
      await sim.close();
    }
  });

  test('off: no certificate asked', async () => {
    const { sim, url } = await serve('off');
    try {
      assert.equal((await getSessions(url)).status, 200);
    } finally {
      await sim.close();
    }
  });

  test('close() stops the HTTPS server', async () => {
    const { sim, url } = await serve('required');
    await sim.close();
    await assert.rejects(getSessions(url, withOurs()), { code: 'ECONNREFUSED' });
    await sim.close();
  });

  test('loadTlsOptions names every missing file and a key that does not fit', async () => {
    const partial = join(tmp, 'partial');
    await mkdir(partial);
    await writeFile(join(partial, CERT_FILES.root), certs.root);
    await assert.rejects(loadTlsOptions(partial), (error: Error) => {
      assert.match(error.message, /server\.pem is missing; .*server_key\.pem is missing/);
      assert.doesNotMatch(error.message, /root\.pem/);
      return true;
    });
    const mismatched = join(tmp, 'mismatched');
    await writeSet(mismatched, { ...certs, serverKey: certs.clientKey });
    await assert.rejects(
      loadTlsOptions(mismatched),
      /server\.pem and .*server_key\.pem are not a certificate and its key/,
    );
  });
});

describe('the qps-sim binary over HTTPS', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

  async function start(...args: string[]): Promise<{ child: ChildProcess; url: string; banner: string }> {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--clock', 'manual', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let out = '';
    for await (const chunk of child.stdout!) {
      out += String(chunk);
      const match = /listening on (https:\/\/\S+)/.exec(out);
      if (match?.[1] && out.includes('tls:')) return { child, url: match[1], banner: out };
    }
    throw new Error(`the CLI exited before listening: ${out}`);
  }

  test('qps-sim certs --out writes the five files, refuses to overwrite them without --force, adds --san names', async () => {
    const out = join(tmp, 'cli', 'certs');
    const first = run('certs', '--out', out);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual((await readdir(out)).sort(), Object.values(CERT_FILES).sort());
    const root = await readFile(join(out, CERT_FILES.root), 'utf8');
    const again = run('certs', '--out', out);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /root\.pem.*already exist.*--force/);
    assert.equal(await readFile(join(out, CERT_FILES.root), 'utf8'), root, 'nothing overwritten');
    const forced = run('certs', '--out', out, '--force', '--san', 'qlik.example.com', '--san', '10.1.2.3');
    assert.equal(forced.status, 0, forced.stderr);
    assert.notEqual(await readFile(join(out, CERT_FILES.root), 'utf8'), root);
    const server = new X509Certificate(await readFile(join(out, CERT_FILES.server)));
    assert.match(server.subjectAltName ?? '', /DNS:localhost, .*DNS:qlik\.example\.com, IP Address:10\.1\.2\.3$/);
  });

  test('qps-sim certs exits non-zero naming a folder it cannot write', async () => {
    const file = join(tmp, 'a-file');
    await writeFile(file, '');
    const { status, stderr } = run('certs', '--out', join(file, 'certs'));
    assert.notEqual(status, 0);
    assert.match(stderr, /cannot write the certificates to .*a-file.*ENOTDIR/);
  });

  test(
    'qps-sim certs exits non-zero for a read-only folder',
    { skip: process.getuid?.() === 0 && 'root writes anywhere' },
    async () => {
      const readOnly = join(tmp, 'read-only');
      await mkdir(readOnly, { mode: 0o500 });
      try {
        const { status, stderr } = run('certs', '--out', readOnly);
        assert.notEqual(status, 0);
        assert.match(stderr, /cannot write the certificates to .*read-only.*EACCES/);
      } finally {
        await chmod(readOnly, 0o700);
      }
    },
  );

  test('--tls DIR --client-cert required serves HTTPS to clients with a certificate only', async () => {
    const { child, url, banner } = await start('--tls', dir, '--client-cert', 'required');
    assert.match(banner, /tls: client certificates required/);
    assert.equal((await getSessions(url, withOurs())).status, 200);
    await assert.rejects(getSessions(url), refused);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, 'SIGTERM shuts down cleanly');
  });

  test('--tls with a missing file exits non-zero naming it', async () => {
    const partial = join(tmp, 'cli-partial');
    await writeSet(partial, certs);
    await rm(join(partial, CERT_FILES.serverKey));
    const { status, stderr } = run('--tls', partial, '--port', '0');
    assert.notEqual(status, 0);
    assert.match(stderr, /server_key\.pem is missing/);
  });

  test('--client-cert needs --tls and one of its modes', () => {
    const alone = run('--client-cert', 'required', '--port', '0');
    assert.notEqual(alone.status, 0);
    assert.match(alone.stderr, /--client-cert needs --tls/);
    const bad = run('--tls', dir, '--client-cert', 'maybe', '--port', '0');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /off, optional, required/);
  });
});
