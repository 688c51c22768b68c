import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestListener as App } from 'node:http';
import request from 'supertest';
import { createSimulator, type Simulator } from '../../src/index.js';
import type { SimulatorOptions } from '../../src/options.js';
import { loadContract } from '../support/contract.js';
import {
  ANONYMOUS_SITE,
  assertText,
  issueTicket,
  login,
  lowerCaseKeys,
  MINUTE,
  redeem,
  sessionId,
  setCookies,
  TICKET_TTL_MS,
  type QlikUser,
  type SetCookie,
} from '../support/qlik.js';
import { qps } from '../support/xrfkey.js';

// The qlik dialect's behaviour beyond the shapes the contract suite checks: what a real QPS does
// (qps-wire.md), on the simulator's manual clock, moved only through the control API.

const contract = await loadContract('src/openapi/qlik.yaml');

/** The qlik dialect without simulated users, on the manual clock (the in-process default). */
const simulator = (options: SimulatorOptions = {}): Simulator =>
  createSimulator({ seed: 'qlik-behaviour', dialect: 'qlik', traffic: false, ...options });

const USER: QlikUser = { userDirectory: 'DIR', userId: 'u1' };
const pascal = (user: QlikUser) => ({ UserDirectory: user.userDirectory, UserId: user.userId });

async function advance(app: App, ms: number): Promise<void> {
  const response = await request(app).post('/__sim/clock/advance').send({ ms });
  assert.equal(response.status, 200, response.text);
}

async function events(app: App, type: string): Promise<Array<Record<string, unknown>>> {
  const response = await request(app).get(`/__sim/events?type=${type}`);
  assert.equal(response.status, 200, response.text);
  return response.body as Array<Record<string, unknown>>;
}

const sessionsOf = async (app: App, backend: string) =>
  (await qps(app, 'get', `${backend}/session`)).body as Array<{ SessionId: string; UserId: string }>;

describe('tickets', () => {
  test('a ticket is good for just under 60 s of simulated time: at 59.999 s it logs in, at 60 s it is refused', async () => {
    const { app } = simulator();
    const early = await issueTicket(app, '/qps', USER);
    const late = await issueTicket(app, '/qps', USER);
    await advance(app, TICKET_TTL_MS - 1);
    assert.equal((await redeem(app, '', early)).status, 302);
    await advance(app, 1);
    const refused = await redeem(app, '', late);
    assert.equal(refused.status, 403);
    assertText(refused, /expired/);
    assert.deepEqual(
      (await events(app, 'ticket.refused')).map((e) => e.why),
      ['expired'],
    );
    // A late ticket is used up all the same: trying again says it is unknown.
    assertText(await redeem(app, '', late), /unknown or already used/);
  });

  test('a ticket is good once: a second redemption is 403 and opens no session', async () => {
    const { app } = simulator();
    const ticket = await issueTicket(app, '/qps/hdr', USER);
    assert.equal((await redeem(app, '/hdr', ticket)).status, 302);
    const before = (await sessionsOf(app, '/qps/hdr')).length;
    const again = await redeem(app, '/hdr', ticket);
    assert.equal(again.status, 403);
    assertText(again, /unknown or already used/);
    assert.deepEqual(setCookies(again.headers), [], 'no cookie');
    assert.equal((await sessionsOf(app, '/qps/hdr')).length, before);
  });

  test('a ticket from /qps/hdr/ticket is refused on the default proxy’s front end, and stays good on hdr’s', async () => {
    const { app } = simulator();
    const ticket = await issueTicket(app, '/qps/hdr', USER);
    const refused = await redeem(app, '', ticket);
    assert.equal(refused.status, 403);
    assertText(refused, /another virtual proxy/);
    // The choice pinned here: a redemption on the wrong proxy does not use the ticket up.
    assert.equal((await redeem(app, '/hdr', ticket)).status, 302);
  });

  test('the session a ticket opens is its user’s, on its proxy, with its attributes', async () => {
    const { app } = simulator();
    const attributes = [{ Group: 'Sales' }, { Group: 'HR' }];
    const ticket = await issueTicket(app, '/hdr/qps', USER, { Attributes: attributes });
    const { id } = await login(app, '/hdr', ticket);
    const session = await qps(app, 'get', `/qps/hdr/session/${id}`);
    assert.equal(session.status, 200);
    assert.deepEqual(session.body, { ...pascal(USER), Attributes: attributes, SessionId: id });
    assert.equal((await qps(app, 'get', `/qps/session/${id}`)).status, 404, 'not on the default proxy');
  });

  test('the same seed and requests give the same tickets and session ids', async () => {
    const run = async () => {
      const { app } = simulator();
      const tickets = [await issueTicket(app, '/qps', USER), await issueTicket(app, '/qps/hdr', USER)];
      const { id } = await login(app, '', tickets[0]!);
      return { tickets, id };
    };
    assert.deepEqual(await run(), await run());
  });

  test('an unrelated anonymous Personal API call does not change the next ticket (one stream per entity)', async () => {
    // DESIGN.md, Determinism: the order of unrelated requests must not change what another entity gets.
    const first = simulator({ fixture: ANONYMOUS_SITE });
    const second = simulator({ fixture: ANONYMOUS_SITE });
    assert.equal((await request(second.app).get('/anon/qps/user')).status, 200);
    assert.equal(
      await issueTicket(second.app, '/qps', USER),
      await issueTicket(first.app, '/qps', USER),
      'the anonymous user id is drawn from the tickets’ stream',
    );
  });
});

describe('the session cookie and the redirect', () => {
  test('the cookie is named per virtual proxy, holds the session id, Path=/, HttpOnly, SameSite=Lax, not Secure over HTTP', async () => {
    const { app } = simulator();
    for (const [front, backend, name] of [
      ['', '/qps', 'X-Qlik-Session'],
      ['/hdr', '/qps/hdr', 'X-Qlik-Session-hdr'],
    ] as const) {
      const response = await redeem(app, front, await issueTicket(app, backend, USER));
      assert.equal(response.status, 302);
      const cookies = setCookies(response.headers);
      assert.equal(cookies.length, 1);
      const [cookie] = cookies as [SetCookie];
      assert.equal(cookie.name, name);
      assert.equal((await qps(app, 'get', `${backend}/session/${cookie.value}`)).status, 200);
      assert.equal(cookie.attributes.get('path'), '/');
      assert.ok(cookie.attributes.has('httponly'));
      assert.equal(cookie.attributes.get('samesite')?.toLowerCase(), 'lax');
      assert.ok(!cookie.attributes.has('secure'), 'no Secure flag over plain HTTP');
    }
  });

  test('the redirect drops only the ticket parameter, whatever its casing, on any front-end address', async () => {
    const { app } = simulator();
    for (const name of ['qlikTicket', 'QlikTicket', 'qlikticket', 'QLIKTICKET', 'X-Qlik-Ticket', 'x-qlik-ticket']) {
      const ticket = await issueTicket(app, '/qps', { userDirectory: 'DIR', userId: name });
      const response = await request(app).get(`/hub/?a=1&${name}=${ticket}&b=two`);
      assert.equal(response.status, 302, `${name}: ${response.text}`);
      assert.equal(response.headers.location, '/hub/?a=1&b=two', name);
    }
    for (const [front, backend, path] of [
      ['', '/qps', '/resources/autogenerated/qlik-styles.css'],
      ['/hdr', '/qps/hdr', '/sense/app/5e55c0de-0000-4000-8000-000000000001'],
    ] as const) {
      const response = await redeem(app, front, await issueTicket(app, backend, USER), 'qlikTicket', path);
      assert.equal(response.status, 302);
      assert.equal(response.headers.location, `${front}${path}`);
    }
  });

  test('the redirect keeps the rest of the query exactly as it was sent', async () => {
    const { app } = simulator();
    const ticket = await issueTicket(app, '/qps', USER);
    const response = await request(app).get(`/hub/?flag&q=a%20b&qlikTicket=${ticket}&path=%2Fx`);
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/hub/?flag&q=a%20b&path=%2Fx');
  });

  test('the redirect never sends the browser to another host', async () => {
    const { app } = simulator();
    for (const path of ['/.//evil.example/x', '//evil.example/x', '/hub/..//evil.example/x']) {
      const ticket = await issueTicket(app, '/qps', USER);
      const response = await request(app).get(`${path}?qlikTicket=${ticket}`);
      assert.equal(response.status, 302, path);
      const target = new URL(String(response.headers.location), 'http://127.0.0.1/');
      assert.equal(target.host, '127.0.0.1', `${path} redirects to ${response.headers.location}`);
    }
  });

  test('using the cookie is activity: the session outlives 30 minutes of use and ends 30 minutes after the last', async () => {
    const { app } = simulator();
    const { cookie } = await login(app, '', await issueTicket(app, '/qps', USER));
    for (let i = 0; i < 3; i++) {
      await advance(app, 20 * MINUTE);
      assert.equal((await request(app).get('/hub/').set('Cookie', cookie)).status, 200, `after ${(i + 1) * 20} min`);
    }
    await advance(app, 30 * MINUTE);
    assert.equal((await request(app).get('/hub/').set('Cookie', cookie)).status, 401);
  });
});

describe('the session limit', () => {
  test('the sixth session of a user on one proxy is 403, by ticket or by add-session; another proxy still takes one', async () => {
    const { app } = simulator();
    for (let n = 0; n < 5; n++) assert.equal((await redeem(app, '', await issueTicket(app, '/qps', USER))).status, 302);
    const sixth = await redeem(app, '', await issueTicket(app, '/qps', USER));
    assert.equal(sixth.status, 403);
    assertText(sixth, /already has 5 sessions/);
    const added = await qps(app, 'post', '/qps/session').send({ ...pascal(USER), SessionId: sessionId(6) });
    assert.equal(added.status, 403);
    assertText(added, /already has 5 sessions/);
    assert.equal((await redeem(app, '/hdr', await issueTicket(app, '/qps/hdr', USER))).status, 302);
    const denied = await events(app, 'login.denied');
    assert.equal(denied.length, 2);
    assert.ok(denied.every((e) => e.proxy === '' && e.reason === 'sessionLimit'));
  });

  test('a slot comes back when one of the five sessions ends', async () => {
    const { app } = simulator();
    for (let n = 1; n <= 5; n++) {
      const response = await qps(app, 'post', '/qps/session').send({ ...pascal(USER), SessionId: sessionId(n) });
      assert.equal(response.status, 201);
    }
    assert.equal((await qps(app, 'delete', `/qps/session/${sessionId(1)}`)).status, 200);
    const again = await qps(app, 'post', '/qps/session').send({ ...pascal(USER), SessionId: sessionId(6) });
    assert.equal(again.status, 201, again.text);
  });
});

describe('the Personal API', () => {
  test('logged in with the cookie: who, and where to log out; another proxy’s cookie is no login there', async () => {
    const { app } = simulator({ fixture: ANONYMOUS_SITE });
    const alice = { userDirectory: 'CORP', userId: 'alice' };
    const { cookie } = await login(app, '', await issueTicket(app, '/qps', alice));
    const me = await request(app).get('/qps/user').set('Cookie', cookie);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, {
      userDirectory: 'CORP',
      userId: 'alice',
      userName: 'Alice Admin',
      logoutUri: `http://${me.request.url.split('/')[2]}/qps/user`,
    });
    const elsewhere = await request(app).get('/anon/qps/user').set('Cookie', cookie);
    assert.equal(elsewhere.body.userDirectory, 'NONE', 'X-Qlik-Session is not the anon proxy’s cookie');
  });

  test('not logged in: {session: inactive}; with a valid targetUri, its loginUri; with another host, no loginUri', async () => {
    const { app } = simulator({ fixture: ANONYMOUS_SITE });
    const get = async (path: string) => {
      const response = await request(app).get(path);
      assert.equal(response.status, 200);
      return response.body as unknown;
    };
    assert.deepEqual(await get('/qps/user'), { session: 'inactive' });
    for (const target of ['https://localhost/hub/', 'http://127.0.0.1/sense/app/x?sheet=1']) {
      const path = `/qps/user?targetUri=${encodeURIComponent(target)}`;
      assert.deepEqual(await get(path), { session: 'inactive', loginUri: target });
    }
    for (const target of ['https://evil.example/hub/', 'https://localhost.evil.example/', 'not a uri', '']) {
      assert.deepEqual(await get(`/qps/user?targetUri=${encodeURIComponent(target)}`), { session: 'inactive' });
    }
  });

  test('anonymous access: the anonymous shape, with the targetUri or the hub as loginUri; a logged-in user is still shown', async () => {
    const { app } = simulator({ fixture: ANONYMOUS_SITE });
    const plain = await request(app).get('/anon/qps/user');
    assert.equal(plain.status, 200);
    assert.deepEqual(Object.keys(plain.body).sort(), ['loginUri', 'session', 'userDirectory', 'userId']);
    assert.equal(plain.body.userDirectory, 'NONE');
    assert.match(plain.body.userId, /^anonymous[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(plain.body.session, 'inactive');
    assert.match(plain.body.loginUri, /^http:\/\/127\.0\.0\.1:\d+\/anon\/hub\/$/);
    const target = 'https://localhost/anon/sense/app/x';
    const targeted = await request(app).get(`/anon/qps/user?targetUri=${encodeURIComponent(target)}`);
    assert.equal(targeted.body.loginUri, target);
    const { cookie } = await login(
      app,
      '/anon',
      await issueTicket(app, '/qps/anon', { userDirectory: 'CORP', userId: 'bob' }),
    );
    const me = await request(app).get('/anon/qps/user').set('Cookie', cookie);
    assert.deepEqual([me.body.userDirectory, me.body.userId, me.body.userName], ['CORP', 'bob', 'Bob Builder']);
    assert.deepEqual(
      (await request(app).get('/qps/user')).body,
      { session: 'inactive' },
      'the default proxy is not anonymous',
    );
  });

  test('DELETE /{vp}/qps/user logs out: 204, the session is gone, the cookie expired; the user’s other sessions stay', async () => {
    const { app } = simulator();
    const { cookie, id } = await login(app, '/hdr', await issueTicket(app, '/qps/hdr', USER));
    const other = await login(app, '/hdr', await issueTicket(app, '/qps/hdr', USER));
    const out = await request(app).delete('/hdr/qps/user').set('Cookie', cookie);
    assert.equal(out.status, 204);
    assert.equal(out.text, '');
    const [expired] = setCookies(out.headers);
    assert.equal(expired?.name, 'X-Qlik-Session-hdr');
    assert.equal(expired?.value, '');
    assert.ok(new Date(expired?.attributes.get('expires') ?? '').getTime() <= 0, 'expired');
    assert.equal((await qps(app, 'get', `/qps/hdr/session/${id}`)).status, 404);
    assert.equal((await qps(app, 'get', `/qps/hdr/session/${other.id}`)).status, 200);
    assert.deepEqual((await request(app).get('/hdr/qps/user').set('Cookie', cookie)).body, { session: 'inactive' });
    assert.equal((await request(app).get('/hdr/hub/').set('Cookie', cookie)).status, 401);
    const ended = (await events(app, 'session.ended')).filter((e) => e.sessionId === id);
    assert.deepEqual(
      ended.map((e) => e.reason),
      ['logout'],
    );
    assert.equal((await request(app).delete('/hdr/qps/user')).status, 204, 'without a session too');
  });
});

describe('bodies', () => {
  test('PascalCase out for camelCase, PascalCase and lower-case keys in', async () => {
    const { app } = simulator();
    const inputs = [
      { userId: 'u1', userDirectory: 'DIR', sessionId: sessionId(1) },
      { UserId: 'u1', UserDirectory: 'DIR', SessionId: sessionId(2) },
      { userid: 'u1', userdirectory: 'DIR', sessionid: sessionId(3) },
    ];
    for (const body of inputs) {
      const ticket = await qps(app, 'post', '/qps/ticket').send(body);
      assert.equal(ticket.status, 201);
      assert.deepEqual(lowerCaseKeys(ticket.body), []);
      assert.deepEqual([ticket.body.UserDirectory, ticket.body.UserId], ['DIR', 'u1']);
      const session = await qps(app, 'post', '/qps/session').send(body);
      assert.equal(session.status, 201);
      assert.deepEqual(Object.keys(session.body), ['UserDirectory', 'UserId', 'Attributes', 'SessionId', 'NewUser']);
    }
    assert.deepEqual(lowerCaseKeys(await sessionsOf(app, '/qps')), []);
  });

  test('lenient JSON: the single-quoted body of Qlik’s TicketTest is a ticket, the directory as sent', async () => {
    const { app } = simulator();
    const response = await qps(app, 'post', '/qps/ticket')
      .set('Content-Type', 'application/json')
      .send("{ 'UserId':'test','UserDirectory':'testdir','Attributes': []}");
    assert.equal(response.status, 201, response.text);
    contract.check('addTicket', response, 201);
    // A real QPS answered TESTDIR here; the simulator echoes the directory as sent (trimmed).
    assert.deepEqual(
      [response.body.UserId, response.body.UserDirectory, response.body.Attributes, response.body.TargetUri],
      ['test', 'testdir', [], null],
    );
  });

  test('a body is read as JSON whatever its Content-Type says', async () => {
    const { app } = simulator();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await qps(app, 'post', '/qps/ticket')
        .set('Content-Type', type)
        .send(JSON.stringify(pascal(USER)));
      assert.equal(response.status, 201, `${type}: ${response.text}`);
    }
  });

  test('UserDirectory and UserId are trimmed; empty, blank or with a backslash they are a 400 in plain text', async () => {
    const { app } = simulator();
    const trimmed = await qps(app, 'post', '/qps/ticket').send({ UserDirectory: '  DIR\t', UserId: ' u1 ' });
    assert.equal(trimmed.status, 201);
    assert.deepEqual([trimmed.body.UserDirectory, trimmed.body.UserId], ['DIR', 'u1']);
    const session = await qps(app, 'post', '/qps/session').send({
      UserDirectory: ' DIR ',
      UserId: 'u1 ',
      SessionId: sessionId(1),
    });
    assert.deepEqual([session.body.UserDirectory, session.body.UserId], ['DIR', 'u1']);
    const bad: Array<[object, RegExp]> = [
      [{ UserDirectory: '', UserId: 'u1' }, /UserDirectory must not be empty/],
      [{ UserDirectory: 'DIR', UserId: '   ' }, /UserId must not be empty/],
      [{ UserDirectory: 'DOM\\AIN', UserId: 'u1' }, /UserDirectory must not contain a backslash/],
      [{ UserDirectory: 'DIR', UserId: 'DIR\\u1' }, /UserId must not contain a backslash/],
    ];
    for (const [body, why] of bad) {
      for (const path of ['/qps/ticket', '/qps/session']) {
        const response = await qps(app, 'post', path).send({ ...body, SessionId: sessionId(2) });
        assert.equal(response.status, 400, `${path} ${JSON.stringify(body)}`);
        assertText(response, why);
      }
    }
  });
});

describe('sessions and users', () => {
  test('add-session with an id in use is 409 and changes nothing', async () => {
    const { app } = simulator();
    const body = { ...pascal(USER), SessionId: sessionId(1) };
    assert.equal((await qps(app, 'post', '/qps/session').send(body)).status, 201);
    const again = await qps(app, 'post', '/qps/session').send({ ...body, UserId: 'someone-else' });
    assert.equal(again.status, 409);
    assertText(again, /already exists/);
    assert.equal((await qps(app, 'get', `/qps/session/${sessionId(1)}`)).body.UserId, 'u1');
  });

  test('user get and delete of a stranger are 200 []', async () => {
    const { app } = simulator();
    for (const method of ['get', 'delete'] as const) {
      for (const path of ['/qps/user/NOSUCHDIR/nobody', '/qps/hdr/user/NOSUCHDIR/nobody', '/hdr/qps/user/X/y']) {
        const response = await qps(app, method, path);
        assert.equal(response.status, 200, `${method} ${path}`);
        assert.deepEqual(response.body, []);
      }
    }
  });

  test('deleting a session answers the deleted session, as GET showed it', async () => {
    const { app } = simulator();
    const attributes = [{ Group: 'Sales' }];
    await qps(app, 'post', '/qps/hdr/session').send({
      ...pascal(USER),
      SessionId: sessionId(1),
      Attributes: attributes,
    });
    const shown = (await qps(app, 'get', `/hdr/qps/session/${sessionId(1)}`)).body;
    const deleted = await qps(app, 'delete', `/qps/hdr/session/${sessionId(1)}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, shown);
    assert.deepEqual(deleted.body, { ...pascal(USER), Attributes: attributes, SessionId: sessionId(1) });
  });

  test('user delete answers the deleted sessions and logs the user out on that proxy only', async () => {
    const { app } = simulator();
    for (const [backend, n] of [
      ['/qps', 1],
      ['/qps', 2],
      ['/qps/hdr', 3],
    ] as const) {
      await qps(app, 'post', `${backend}/session`).send({ ...pascal(USER), SessionId: sessionId(n) });
    }
    const deleted = await qps(app, 'delete', '/qps/user/DIR/u1');
    assert.deepEqual(
      (deleted.body as Array<{ SessionId: string }>).map((s) => s.SessionId),
      [sessionId(1), sessionId(2)],
    );
    assert.deepEqual(
      (await qps(app, 'get', '/qps/hdr/user/DIR/u1')).body.map((s: { SessionId: string }) => s.SessionId),
      [sessionId(3)],
    );
  });
});

describe('about, alive and error logging', () => {
  test('/qps/alive is {value: true}; /qps/about/description lists the endpoints as "GET /qps/session" lines', async () => {
    const { app } = simulator();
    assert.deepEqual((await qps(app, 'get', '/qps/alive')).body, { value: true });
    const lines = (await qps(app, 'get', '/qps/about/description')).body as string[];
    for (const line of [
      'GET /qps/session',
      'POST /qps/ticket',
      'POST /qps/session',
      'GET /qps/alive',
      'POST /qps/error',
    ]) {
      assert.ok(lines.includes(line), `${line} in ${JSON.stringify(lines)}`);
    }
  });

  test('every endpoint /qps/about/description lists is served where it says', async () => {
    const { app } = simulator();
    const lines = (await qps(app, 'get', '/qps/about/description')).body as string[];
    const samples: Record<string, string> = {
      id: sessionId(1),
      userDirectory: 'DIR',
      userId: 'u1',
      engine: '1',
    };
    for (const line of lines) {
      const [method = '', template = ''] = line.split(' ');
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => samples[name] ?? name);
      const sent = qps(app, method.toLowerCase() as 'get' | 'post' | 'put' | 'delete', path);
      const response = await (method === 'POST' ? sent.send({}) : sent);
      assert.ok(
        ![404, 405].includes(response.status) || /^No session with id/.test(response.text),
        `${line}: ${response.status} ${response.text}`,
      );
    }
  });

  test('POST /qps/error is kept as a client.error event', async () => {
    const { app } = simulator();
    const logged = await qps(app, 'post', '/qps/error').send({
      UserDirectory: 'DIR',
      UserId: 'u1',
      Message: 'The app crashed',
    });
    assert.equal(logged.status, 200);
    assert.equal(logged.text, '');
    const [event, ...rest] = await events(app, 'client.error');
    assert.deepEqual(rest, []);
    assert.equal(event?.message, 'The app crashed');
    assert.equal(event?.userDirectory, 'DIR');
    assert.equal(event?.userId, 'u1');
  });
});

describe('engine health checks', () => {
  test('each engine’s /healthcheck in the real shape, agreeing with the cluster', async () => {
    const { app } = simulator();
    await advance(app, 5 * MINUTE);
    const cluster = (await request(app).get('/__sim/cluster')).body as {
      engines: Array<{
        id: string;
        cpu: number;
        saturated: boolean;
        sessions: number;
        users: number;
        memory: { totalMb: number; usedMb: number };
        apps: Array<{ appId: string }>;
      }>;
    };
    for (const [i, engine] of cluster.engines.entries()) {
      const response = await request(app).get(`/engines/${i + 1}/healthcheck`);
      assert.equal(response.status, 200);
      const health = response.body;
      assert.deepEqual(Object.keys(health), [
        'version',
        'started',
        'mem',
        'cpu',
        'session',
        'apps',
        'users',
        'cache',
        'saturated',
      ]);
      assert.deepEqual(Object.keys(health.mem), ['committed', 'allocated', 'free', 'totalPhysical']);
      assert.deepEqual(Object.keys(health.apps), [
        'active_docs',
        'in_memory_docs',
        'loaded_docs',
        'calls',
        'selections',
      ]);
      assert.deepEqual(Object.keys(health.cache), ['hits', 'lookups', 'added', 'replaced', 'bytes_added']);
      assert.match(health.started, /^\d{8}T\d{6}\.\d{3}[+-]\d{4}$/);
      assert.equal(health.mem.totalPhysical, engine.memory.totalMb);
      assert.equal(health.mem.committed, engine.memory.usedMb);
      assert.equal(health.mem.free, engine.memory.totalMb - engine.memory.usedMb);
      assert.equal(health.cpu.total, engine.cpu);
      assert.equal(health.session.total, engine.sessions);
      assert.equal(health.users.total, engine.users);
      assert.ok(health.session.active <= health.session.total);
      assert.deepEqual([...health.apps.loaded_docs].sort(), engine.apps.map((a) => a.appId).sort());
      assert.equal(health.saturated, engine.saturated);
      contract.check('getEngineHealthcheck', response, 200);
    }
  });

  test('a down engine answers 503 in plain text; back up, 200 again', async () => {
    const { app, world } = simulator();
    const engine = world.cluster.engines[2]!;
    const set = (status: string) => request(app).put(`/__sim/cluster/engines/${engine.id}`).send({ status });
    assert.equal((await set('down')).status, 200);
    for (const ref of ['3', engine.id, engine.hostName]) {
      const response = await request(app).get(`/engines/${ref}/healthcheck`);
      assert.equal(response.status, 503);
      assertText(response, new RegExp(`${engine.hostName.replace(/\./g, '\\.')} is down`));
    }
    assert.equal((await request(app).get('/engines/2/healthcheck')).status, 200, 'the others are fine');
    assert.equal((await set('up')).status, 200);
    assert.equal((await request(app).get('/engines/3/healthcheck')).status, 200);
  });
});

describe('the load-balancing module', () => {
  const uri = (hostName: string) => `https://${hostName}:4747`;
  const prioritize = (app: App, body: object, headers: Record<string, string> = {}) => {
    const sent = request(app).post('/loadbalancing/prioritize');
    for (const [name, value] of Object.entries(headers)) sent.set(name, value);
    return sent.send(body);
  };

  test('the same engines reordered, AppName unchanged (an app id, an app name or anything else)', async () => {
    const { app, world } = simulator();
    const engines = world.cluster.engines.map((e) => uri(e.hostName));
    const [first] = world.cluster.apps;
    for (const name of [first!.id, first!.name, ' Not an app of this site ']) {
      const response = await prioritize(app, { AppName: name, QlikSenseEngines: engines });
      assert.equal(response.status, 200);
      assert.deepEqual(Object.keys(response.body), ['AppName', 'QlikSenseEngines']);
      assert.equal(response.body.AppName, name);
      assert.deepEqual([...response.body.QlikSenseEngines].sort(), [...engines].sort());
    }
  });

  test('round robin: each call starts one engine further on', async () => {
    const { app, world } = simulator();
    const engines = world.cluster.engines.map((e) => uri(e.hostName));
    const firsts = [];
    for (let i = 0; i < engines.length; i++) {
      firsts.push((await prioritize(app, { AppName: 'x', QlikSenseEngines: engines })).body.QlikSenseEngines[0]);
    }
    assert.deepEqual([...firsts].sort(), [...engines].sort(), 'every engine comes first once');
  });

  test('down and draining engines are left out; unknown engines come last, in their order', async () => {
    const { app, world } = simulator();
    const [one, two, three, four] = world.cluster.engines.map((e) => e);
    assert.equal((await request(app).put(`/__sim/cluster/engines/${one!.id}`).send({ status: 'down' })).status, 200);
    assert.equal(
      (await request(app).put(`/__sim/cluster/engines/${two!.id}`).send({ status: 'draining' })).status,
      200,
    );
    const unknown = ['https://elsewhere.example:4747', 'wss://another.example/'];
    const sent = [
      unknown[0]!,
      uri(one!.hostName),
      uri(three!.hostName),
      unknown[1]!,
      uri(two!.hostName),
      uri(four!.hostName),
    ];
    const response = await prioritize(app, { AppName: 'x', QlikSenseEngines: sent });
    assert.equal(response.status, 200);
    const got = response.body.QlikSenseEngines as string[];
    assert.deepEqual(got.slice(-2), unknown);
    assert.deepEqual(got.slice(0, -2).sort(), [uri(three!.hostName), uri(four!.hostName)].sort());
  });

  test('X-Qlik-User: "UserDirectory=D; UserId=u" and "UserDirectory=D;UserId=u" both name the user; junk is a 400', async () => {
    const { app } = simulator();
    for (const header of [
      'UserDirectory=D; UserId=u',
      'UserDirectory=D;UserId=u',
      ' UserId = u ; UserDirectory = D ',
    ]) {
      const response = await prioritize(app, { AppName: 'x', QlikSenseEngines: [] }, { 'X-Qlik-User': header });
      assert.equal(response.status, 200, header);
      const [decision] = (await request(app).get('/__sim/decisions?limit=1')).body as Array<Record<string, unknown>>;
      assert.deepEqual([decision?.source, decision?.userDirectory, decision?.userId], ['api', 'D', 'u'], header);
    }
    const encoded = await prioritize(
      app,
      { AppName: 'x', QlikSenseEngines: [] },
      { 'X-Qlik-User': 'UserDirectory=D%C3%89;UserId=a%20b' },
    );
    assert.equal(encoded.status, 200);
    const [decision] = (await request(app).get('/__sim/decisions?limit=1')).body as Array<Record<string, unknown>>;
    assert.deepEqual([decision?.userDirectory, decision?.userId], ['DÉ', 'a b'], 'values are URL-decoded');
    for (const header of ['somebody', 'UserDirectory=D', 'UserId=u']) {
      const response = await prioritize(app, { AppName: 'x', QlikSenseEngines: [] }, { 'X-Qlik-User': header });
      assert.equal(response.status, 400, header);
      assertText(response, /X-Qlik-User/);
    }
  });

  test('X-Qlik-Virtual-Proxy-Prefix picks the virtual proxy whose strategy ranks; an unknown one is a declared status', async () => {
    const { app } = simulator();
    assert.equal(
      (await prioritize(app, { AppName: 'x', QlikSenseEngines: [] }, { 'X-Qlik-Virtual-Proxy-Prefix': 'hdr' })).status,
      200,
    );
    const [decision] = (await request(app).get('/__sim/decisions?limit=1')).body as Array<Record<string, unknown>>;
    assert.equal(decision?.proxy, 'hdr');
    const unknown = await prioritize(
      app,
      { AppName: 'x', QlikSenseEngines: [] },
      { 'X-Qlik-Virtual-Proxy-Prefix': 'nosuch' },
    );
    assertText(unknown, /nosuch/);
    contract.check('prioritizeEngines', unknown);
  });
});

describe('hostile input', () => {
  const bodyOperations: Array<[string, string]> = [
    ['addTicket', '/qps/ticket'],
    ['addSession', '/qps/session'],
    ['logError', '/qps/error'],
    ['prioritizeEngines', '/loadbalancing/prioritize'],
  ];
  const post = (app: App, path: string, body: string) => {
    const sent = path.startsWith('/qps') ? qps(app, 'post', path) : request(app).post(path);
    return sent.set('Content-Type', 'application/json').send(body);
  };

  test('a __proto__ key changes no prototype and gives a declared status', async () => {
    const { app } = simulator();
    const bodies = [
      `{"__proto__": {"UserId": "admin"}, "UserDirectory": "DIR", "SessionId": "${sessionId(1)}", "Message": "m", "AppName": "x", "QlikSenseEngines": []}`,
      `{"UserDirectory": "DIR", "UserId": "u1", "SessionId": "${sessionId(2)}", "Message": "m", "AppName": "x", "QlikSenseEngines": [], "__proto__": {"polluted": true}}`,
      `{"UserDirectory": "DIR", "UserId": "u1", "SessionId": "${sessionId(3)}", "Attributes": [{"__proto__": {"polluted": "yes"}}], "Message": "m", "AppName": "x", "QlikSenseEngines": []}`,
      `{"constructor": {"prototype": {"polluted": true}}, "UserDirectory": "DIR", "UserId": "u1", "SessionId": "${sessionId(4)}", "Message": "m", "AppName": "x", "QlikSenseEngines": []}`,
    ];
    for (const [operationId, path] of bodyOperations) {
      for (const body of bodies) {
        const response = await post(app, path, body);
        assert.ok(response.status < 500, `${path} ${body}: ${response.status} ${response.text}`);
        contract.check(operationId, response);
        if (response.status >= 400) assertText(response);
      }
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
    const first = await qps(app, 'get', `/qps/session/${sessionId(1)}`);
    assert.equal(first.status, 404, 'a UserId only in __proto__ is no UserId');
  });

  test('malformed JSON and a body over 100 kB are a 400 in plain text on every operation taking a body', async () => {
    const { app } = simulator();
    const huge = JSON.stringify({
      ...pascal(USER),
      Message: 'm',
      AppName: 'x',
      QlikSenseEngines: [],
      padding: 'x'.repeat(200_000),
    });
    for (const [operationId, path] of bodyOperations) {
      for (const body of ['{', '{"UserId": }', "{'a': 'b'", '\u0000', huge]) {
        const response = await post(app, path, body);
        assert.equal(response.status, 400, `${path} ${body.slice(0, 20)}`);
        assertText(contract.check(operationId, response, 400));
      }
    }
  });

  test('odd paths, queries and tickets never give a 5xx, and every error is plain text', async () => {
    const { app } = simulator();
    const paths = [
      '/qps/session/%ZZ',
      '/qps/session/%C0%AF',
      '/qps/user/%E2%80%AE/%00',
      '/qps/user/__proto__/constructor',
      '/qps/hdr/%ZZ',
      '/%ZZ/qps/session',
      '/__proto__/qps/user',
      '/%ZZ/hub/',
      '/hub/?qlikTicket=%ZZ',
      '/hub/?qlikTicket=a&qlikTicket=b',
      '/hub/?qlikTicket[a]=b',
      '/qps/user?targetUri=%ZZ',
      '/hdr/qps/user?targetUri[]=x',
      '/engines/%ZZ/healthcheck',
      '/engines/__proto__/healthcheck',
      '/engines/99999999999999999999/healthcheck',
      `/qps/session/${'a'.repeat(6_000)}`,
      '/loadbalancing/prioritize',
    ];
    for (const path of paths) {
      for (const method of ['get', 'post', 'delete'] as const) {
        const response = await qps(app, method, path);
        assert.ok(response.status < 500, `${method} ${path.slice(0, 60)}: ${response.status} ${response.text}`);
        if (response.status >= 400) assertText(response);
      }
    }
  });
});
