import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { QlikProxyClient } from 'qlik-rest-api';
import type { Simulator } from '../../src/index.js';
import { CERT_FILES, generateCertificates, type CertificateSet } from '../../src/transport/certs.js';
import { loadTlsOptions } from '../../src/transport/tls.js';
import { qlikSimulator, sessionId, setCookies } from '../support/qlik.js';

// The npm client qlik-rest-api (Informatiqal), unmodified, against the simulator over HTTP and over
// HTTPS with client certificates, as it would talk to a real QPS (qps-wire.md §5.1).

const AUTHENTICATION = { user_dir: 'INTERNAL', user_name: 'sa_api' };
const USER = { userId: 'u1', userDirectory: 'DIR' };

interface SessionData {
  UserDirectory: string;
  UserId: string;
  SessionId: string;
  Attributes: unknown[];
  NewUser?: boolean;
}

interface TicketData {
  UserDirectory: string;
  UserId: string;
  Ticket: string;
  TargetUri: string | null;
}

/** The answer's body as `T`: the client types it through axios, whose types it does not ship. */
const dataOf = <T>(response: { data: unknown }): T => response.data as T;

/** A request the client rejects: it throws an Error whose message names the status. */
async function rejectsWith(call: () => Promise<unknown>, status: number): Promise<void> {
  await assert.rejects(call, (error: Error) => error.message.includes(`status code ${status}`));
}

/**
 * The client's conversation with a QPS on one virtual proxy: a ticket, sessions added, listed, read and
 * deleted, then a user's sessions read and deleted. `vp` is what the paths start with ('' when the
 * client's `proxy` option names the virtual proxy, 'hdr/' when the paths do).
 */
function conversation(client: () => QlikProxyClient, vp: string, ids: [number, number, number]) {
  const [one, two, three] = ids.map(sessionId) as [string, string, string];

  test('Post ticket: 201, a 16-character Ticket, the UserId as sent', async () => {
    const response = await client().Post<TicketData>(`${vp}ticket`, USER);
    assert.equal(response.status, 201);
    assert.equal(response.data.Ticket.length, 16);
    assert.match(response.data.Ticket, /^[A-Za-z0-9]{16}$/);
    assert.equal(response.data.UserId, 'u1');
    assert.equal(response.data.UserDirectory, 'DIR');
    assert.equal(response.data.TargetUri, null);
  });

  test('Post session: 201 and NewUser, true for the user’s first session and false for the next', async () => {
    const first = await client().Post<SessionData>(`${vp}session`, { ...USER, sessionId: one });
    assert.equal(first.status, 201);
    assert.equal(first.data.SessionId, one);
    assert.equal(first.data.NewUser, true);
    const second = await client().Post<SessionData>(`${vp}session`, { ...USER, sessionId: two });
    assert.equal(second.status, 201);
    assert.equal(second.data.NewUser, false);
    const third = await client().Post<SessionData>(`${vp}session`, { ...USER, sessionId: three });
    assert.equal(third.status, 201);
    await rejectsWith(() => client().Post(`${vp}session`, { ...USER, sessionId: three }), 409);
  });

  test('Get session: the list holds them; one by id', async () => {
    const list = await client().Get<SessionData[]>(`${vp}session`);
    assert.equal(list.status, 200);
    const ids = dataOf<SessionData[]>(list)
      .filter((s) => s.UserId === 'u1')
      .map((s) => s.SessionId);
    assert.deepEqual(ids, [one, two, three]);
    const single = await client().Get<SessionData>(`${vp}session/${two}`);
    assert.deepEqual(single.data, { UserDirectory: 'DIR', UserId: 'u1', Attributes: [], SessionId: two });
  });

  test('Delete session/<id>: 200, and the session is gone', async () => {
    const deleted = await client().Delete(`${vp}session/${one}`);
    assert.equal(deleted.status, 200);
    // The client turns every Delete answer into a string (here "[object Object]"): only the status counts.
    assert.equal(typeof deleted.data, 'string');
    await rejectsWith(() => client().Get(`${vp}session/${one}`), 404);
  });

  test('Get and Delete user/DIR/u1: the user’s sessions, then none', async () => {
    const before = await client().Get<SessionData[]>(`${vp}user/DIR/u1`);
    assert.equal(before.status, 200);
    assert.deepEqual(
      dataOf<SessionData[]>(before).map((s) => s.SessionId),
      [two, three],
    );
    const deleted = await client().Delete(`${vp}user/DIR/u1`);
    assert.equal(deleted.status, 200);
    const after = await client().Get<SessionData[]>(`${vp}user/DIR/u1`);
    assert.deepEqual(after.data, []);
  });
}

describe('qlik-rest-api over HTTP', () => {
  let sim: Simulator;
  let port: number;
  let url: string;

  before(async () => {
    sim = qlikSimulator({ seed: 'qlik-client' });
    ({ url } = await sim.listen(0));
    port = Number(new URL(url).port);
  });
  after(() => sim.close());

  const client = (proxy?: string) =>
    new QlikProxyClient({
      host: '127.0.0.1',
      port,
      notSecure: true,
      authentication: AUTHENTICATION,
      ...(proxy === undefined ? {} : { proxy }),
    });

  describe("with proxy: 'hdr' (it sends /hdr/qps/...)", () => {
    conversation(() => client('hdr'), '', [1, 2, 3]);
  });

  describe("without proxy, 'hdr/...' paths (it sends /qps/hdr/...)", () => {
    conversation(() => client(), 'hdr/', [11, 12, 13]);
  });

  describe('without proxy, on the default virtual proxy (/qps/...)', () => {
    conversation(() => client(), '', [21, 22, 23]);
  });

  test('the client sent /hdr/qps/... with proxy, /qps/hdr/... with hdr/ paths, /qps/... otherwise', async () => {
    const response = await fetch(`${url}/__sim/requests?operation=addTicket`);
    const entries = (await response.json()) as Array<{ method: string; path: string; status: number }>;
    assert.deepEqual(
      entries.map((e) => `${e.method} ${e.path} ${e.status}`),
      ['POST /hdr/qps/ticket 201', 'POST /qps/hdr/ticket 201', 'POST /qps/ticket 201'],
    );
  });

  test('every session the conversations added has ended (3 deleted one by one, 6 with their user)', () => {
    const on = (prefix: string) => sim.world.listSessions(prefix).filter((s) => s.userId === 'u1');
    assert.deepEqual(on('hdr'), [], 'hdr: both conversations ended by deleting the user');
    assert.deepEqual(on(''), []);
    const ended = sim.world.events.query({ type: 'session.ended' }).filter((e) => e.userId === 'u1');
    assert.equal(ended.length, 9);
  });

  for (const [name, proxy, path] of [
    ["proxy: 'hdr'", 'hdr', 'ticket'],
    ['hdr/ticket', undefined, 'hdr/ticket'],
  ] as const) {
    test(`a ticket from ${name} redeemed with GET /hdr/hub/?qlikTicket= sets X-Qlik-Session-hdr`, async () => {
      const { data } = await client(proxy).Post<TicketData>(path, { userId: 'u2', userDirectory: 'DIR' });
      const response = await fetch(`${url}/hdr/hub/?qlikTicket=${data.Ticket}`, { redirect: 'manual' });
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), '/hdr/hub/');
      const [cookie] = setCookies({ 'set-cookie': response.headers.getSetCookie() });
      assert.equal(cookie?.name, 'X-Qlik-Session-hdr');
      const session = await client(proxy).Get<SessionData>(`${proxy ? '' : 'hdr/'}session/${cookie?.value}`);
      assert.deepEqual([session.data.UserDirectory, session.data.UserId], ['DIR', 'u2']);
      const hub = await fetch(`${url}/hdr/hub/`, { headers: { Cookie: `${cookie?.name}=${cookie?.value}` } });
      assert.equal(hub.status, 200);
      await hub.text();
    });
  }

  test('a session cookie as the client’s authentication reaches the Personal API', async () => {
    const { data } = await client('hdr').Post<TicketData>('ticket', { userId: 'u3', userDirectory: 'DIR' });
    const redeemed = await fetch(`${url}/hdr/hub/?qlikTicket=${data.Ticket}`, { redirect: 'manual' });
    const [cookie] = setCookies({ 'set-cookie': redeemed.headers.getSetCookie() });
    const personal = new QlikProxyClient({
      host: '127.0.0.1',
      port,
      notSecure: true,
      proxy: 'hdr',
      authentication: { sessionId: cookie?.value ?? '', cookieHeaderName: cookie?.name ?? '' },
    });
    const me = await personal.Get<{ userDirectory: string; userId: string }>('user');
    assert.deepEqual([me.data.userDirectory, me.data.userId], ['DIR', 'u3']);
  });
});

describe('qlik-rest-api over HTTPS with client certificates', () => {
  let sim: Simulator;
  let port: number;
  let url: string;
  let dir: string;
  let agent: Agent;
  let certs: CertificateSet;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qps-sim-qlik-client-'));
    certs = generateCertificates();
    for (const [kind, name] of Object.entries(CERT_FILES)) {
      await writeFile(join(dir, name), certs[kind as keyof CertificateSet]);
    }
    sim = qlikSimulator({ seed: 'qlik-client-tls' });
    ({ url } = await sim.listen(0, '127.0.0.1', await loadTlsOptions(dir, 'required')));
    port = Number(new URL(url).port);
    agent = new Agent({
      ca: await readFile(join(dir, CERT_FILES.root)),
      cert: await readFile(join(dir, CERT_FILES.client)),
      key: await readFile(join(dir, CERT_FILES.clientKey)),
    });
  });
  after(async () => {
    agent.destroy();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const client = (httpsAgent: Agent = agent) =>
    new QlikProxyClient({
      host: '127.0.0.1',
      port,
      notSecure: false,
      proxy: 'hdr',
      httpsAgent,
      authentication: AUTHENTICATION,
    });

  test('the url is https', () => assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/));

  describe("with proxy: 'hdr' and the site's client certificate", () => {
    conversation(() => client(), '', [31, 32, 33]);
  });

  test('redeeming a ticket over HTTPS sets a Secure cookie', async () => {
    const { data } = await client().Post<TicketData>('ticket', { userId: 'u2', userDirectory: 'DIR' });
    const response = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = httpsRequest(`${url}/hdr/hub/?qlikTicket=${data.Ticket}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(response.status, 302);
    const [cookie] = setCookies(response.headers);
    assert.equal(cookie?.name, 'X-Qlik-Session-hdr');
    assert.ok(cookie?.attributes.has('secure'), 'Secure over HTTPS');
  });

  test('without a client certificate the client is refused at the handshake', async () => {
    const anonymous = new Agent({ ca: certs.root });
    try {
      await assert.rejects(() => client(anonymous).Get('session'), /certificate required|ECONNRESET|socket hang up/);
    } finally {
      anonymous.destroy();
    }
  });
});
