import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request, type Reply } from './http-client.js';
import type { LoadRequest } from './load.js';
import { freePort, launch, packageCommand, ROOT, type Running } from './servers.js';

export const XRFKEY = 'abcdefghij012345';
const XRF = { 'X-Qlik-Xrfkey': XRFKEY };
const withKey = (path: string) => `${path}?Xrfkey=${XRFKEY}`;
export const ABOUT = { path: withKey('/qps/about'), headers: XRF };

export interface Target {
  /** As printed: the method and path, without the Xrfkey. */
  name: string;
  operationId: 'getProxyAbout' | 'getSessions' | 'getSession' | 'prioritizeLoadBalancing';
  request: LoadRequest;
}

/** The simulator with the state frozen: a manual clock and no simulated users. */
export const simArgs = (port: number, extra: string[] = []) => [
  'dist/cli/main.js',
  '--port',
  String(port),
  '--clock',
  'manual',
  '--no-traffic',
  ...extra,
];

export async function startSim(name: string, logDir: string, extra: string[] = [], nodeArgs: string[] = []) {
  const port = await freePort();
  return launch({ name, args: [...nodeArgs, ...simArgs(port, extra)], port, cpu: 0, ready: ABOUT, logDir });
}

async function getJson<T>(url: string): Promise<T> {
  const reply = await request(url, { headers: XRF });
  if (reply.status !== 200) throw new Error(`GET ${url}: ${reply.status} ${reply.body}`);
  return JSON.parse(reply.body) as T;
}

export type SessionBody = { sessionId: string; userDirectory: string; userId: string };

/** The four operations of the issue, with a session and an app taken from the live state. */
export async function targetsOf(sim: Running): Promise<Target[]> {
  const sessions = await getJson<SessionBody[]>(sim.origin + withKey('/qps/session'));
  const { apps } = await getJson<{ apps: Array<{ id: string }> }>(`${sim.origin}/__sim/cluster`);
  const session = sessions[0];
  if (!session || !apps[0]) throw new Error('the site has no session or no app to benchmark with');
  const { userDirectory, userId } = session;
  const get = (path: string): LoadRequest => ({ method: 'GET', path: withKey(path), headers: XRF });
  return [
    { name: 'GET /qps/session', operationId: 'getSessions', request: get('/qps/session') },
    { name: 'GET /qps/about', operationId: 'getProxyAbout', request: get('/qps/about') },
    { name: 'GET /qps/session/{id}', operationId: 'getSession', request: get(`/qps/session/${session.sessionId}`) },
    {
      name: 'POST /qps/loadbalancing/prioritize',
      operationId: 'prioritizeLoadBalancing',
      request: {
        method: 'POST',
        path: withKey('/qps/loadbalancing/prioritize'),
        headers: { ...XRF, 'Content-Type': 'application/json' },
        body: JSON.stringify({ userDirectory, userId, appId: apps[0].id }),
      },
    },
  ];
}

/** What the simulator answers to a target: the bytes the baselines then serve. */
export async function capture(origin: string, { method, path, headers, body }: LoadRequest): Promise<Reply> {
  const reply = await request(origin + path, { method, headers, body });
  if (reply.status !== 200) throw new Error(`${method} ${path}: ${reply.status} ${reply.body}`);
  return reply;
}

export interface Route {
  method: string;
  path: string;
  contentType: string;
  body: string;
}

/** A tuned bare Express 5 app or raw node:http serving `routes` from memory (bench/lib/baseline-server.ts). */
export async function startBaseline(kind: 'express' | 'raw', routes: Route[], logDir: string, nodeArgs: string[] = []) {
  const file = join(logDir, `routes-${kind}.json`);
  writeFileSync(file, JSON.stringify(routes));
  const port = await freePort();
  const script = join(ROOT, 'bench/lib/baseline-server.ts');
  const ready = { path: routes.find((r) => r.method === 'GET')!.path };
  return launch({
    name: `baseline-${kind}`,
    args: [...nodeArgs, '--import', 'tsx', script, kind, String(port), file],
    port,
    cpu: 0,
    ready,
    logDir,
  });
}

/** Prism's mock of the seed document, with its default logging; it serves the paths without /qps. */
export async function startPrism(dir: string, logDir: string, cpu: number | undefined = 0) {
  const { version, bin } = packageCommand(dir);
  const port = await freePort();
  const args = [bin, 'mock', '-h', '127.0.0.1', '-p', String(port), join(ROOT, 'src/openapi/seed.yaml')];
  const running = await launch({ name: `prism-${version}`, args, port, cpu, ready: prismRequest(ABOUT), logDir });
  return { running, version };
}

export const prismRequest = <T extends { path: string }>(r: T): T => ({ ...r, path: r.path.replace(/^\/qps/, '') });

/** json-server 0.17 over a db.json holding the simulator's about document and sessions list. */
export async function startJsonServer(
  db: { about: unknown; session: unknown },
  dir: string,
  logDir: string,
  cpu: number | undefined = 0,
) {
  const file = join(logDir, 'db.json');
  writeFileSync(file, JSON.stringify(db));
  const { version, bin } = packageCommand(dir);
  const port = await freePort();
  const args = [bin, file, '-H', '127.0.0.1', '-p', String(port), '--id', 'sessionId'];
  const running = await launch({ name: `json-server-${version}`, args, port, cpu, ready: { path: '/about' }, logDir });
  return { running, version };
}

/** json-server's equivalent of a target: the same path without /qps and the key (a POST there creates a record). */
export function jsonServerRequest(target: Target): LoadRequest | undefined {
  if (target.request.method !== 'GET') return undefined;
  return { method: 'GET', path: target.request.path.replace(/^\/qps/, '').replace(/\?.*/, ''), headers: {} };
}
