import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import request from 'supertest';
import type { Simulator } from '../../src/index.js';
import { loadContract, type ResponseLike } from '../support/contract.js';
import {
  assertText,
  issueTicket,
  login,
  lowerCaseKeys,
  qlikSimulator,
  redeem,
  sessionId,
  setCookies,
  TICKET_TTL_MS,
  XSRF_TEXT,
  type QlikUser,
} from '../support/qlik.js';
import { BAD_XRFKEYS, qps, type Method } from '../support/xrfkey.js';

const DOCUMENT = 'src/openapi/qlik.yaml';
const SEED = 'qlik-contract';
const UNKNOWN_ID = '0b6f6a52-5d3e-4c71-9a8e-2f4d1c0e7b93';
const MALFORMED_IDS = ['not-a-uuid', '12345', `${UNKNOWN_ID}0`];
const SESSION_KEYS = ['Attributes', 'SessionId', 'UserDirectory', 'UserId'];
const TICKET_KEYS = ['Attributes', 'TargetUri', 'Ticket', 'UserDirectory', 'UserId'];

/**
 * Every way the backend is reached, each with its own coverage record: the default virtual proxy at
 * /qps/..., and hdr both as a real QPS has it (/qps/hdr/...) and prefix first (/hdr/qps/..., what
 * qlik-rest-api's `proxy` option sends). The front end (Personal API, hub) is at {front}/...; the
 * module and the engines do not depend on the layout but are checked through each all the same.
 */
const LAYOUTS = [
  { name: '/qps (the default virtual proxy)', prefix: '', backend: '/qps', front: '' },
  { name: '/qps/hdr (prefix after /qps)', prefix: 'hdr', backend: '/qps/hdr', front: '/hdr' },
  { name: '/hdr/qps (prefix first)', prefix: 'hdr', backend: '/hdr/qps', front: '/hdr' },
];
const CONTRACTS = await Promise.all(LAYOUTS.map(() => loadContract(DOCUMENT)));

/** The two ways of naming an unknown virtual proxy: prefix first (404 naming it), and after /qps (no such route). */
const UNKNOWN_BACKENDS = ['/nosuch/qps', '/qps/nosuch'];

const fresh = (): Simulator => qlikSimulator({ seed: SEED });

interface SessionBody {
  UserDirectory: string;
  UserId: string;
  Attributes: Array<Record<string, string>>;
  SessionId: string;
}

const keysOf = (value: unknown) => Object.keys(value as object).sort();

LAYOUTS.forEach((layout, index) => {
  const contract = CONTRACTS[index]!;
  const { prefix, backend, front } = layout;
  const other = prefix === '' ? 'hdr' : '';
  const personal = `${front}/qps/user`;
  const hub = `${front}/hub/`;
  const userPath = (user: QlikUser, base = backend) =>
    `${base}/user/${encodeURIComponent(user.userDirectory)}/${encodeURIComponent(user.userId)}`;

  const list = async (sim: Simulator) =>
    contract.check('getSessions', await qps(sim.app, 'get', `${backend}/session`), 200).body as SessionBody[];
  const addSession = (sim: Simulator, body: object | string) =>
    qps(sim.app, 'post', `${backend}/session`)
      .set('Content-Type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  const postTicket = (sim: Simulator, body: object | string, base = backend) =>
    qps(sim.app, 'post', `${base}/ticket`)
      .set('Content-Type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  /** A user holding at least one of the seeded sessions of this proxy, and those sessions. */
  async function seeded(sim: Simulator): Promise<{ sessions: SessionBody[]; owner: QlikUser; owned: SessionBody[] }> {
    const sessions = await list(sim);
    assert.ok(sessions.length > 0, `seed ${SEED} starts sessions on ${backend}`);
    const first = sessions[0]!;
    const owner = { userDirectory: first.UserDirectory, userId: first.UserId };
    const owned = sessions.filter((s) => s.UserDirectory === owner.userDirectory && s.UserId === owner.userId);
    return { sessions, owner, owned };
  }

  describe(`qlik document through ${layout.name}`, () => {
    test('addTicket 201: PascalCase out for camelCase and PascalCase in, 16 characters, TargetUri null', async () => {
      const sim = fresh();
      const camel = contract.check('addTicket', await postTicket(sim, { userId: 'u1', userDirectory: 'DIR' }), 201);
      assert.deepEqual(keysOf(camel.body), TICKET_KEYS);
      assert.equal(camel.body.UserId, 'u1');
      assert.equal(camel.body.UserDirectory, 'DIR');
      assert.deepEqual(camel.body.Attributes, []);
      assert.match(camel.body.Ticket, /^[A-Za-z0-9]{16}$/);
      assert.equal(camel.body.TargetUri, null);

      const attributes = [{ Group: 'Sales' }, { Group: 'HR' }, { Email: '' }];
      const pascal = { UserDirectory: 'DIR', UserId: 'u2', Attributes: attributes, TargetId: UNKNOWN_ID };
      const second = contract.check('addTicket', await postTicket(sim, pascal), 201);
      assert.deepEqual(second.body.Attributes, attributes, 'attributes come back as sent, keys repeated');
      // No authentication module is configured, so no target is known: TargetUri stays null.
      assert.equal(second.body.TargetUri, null);
      assert.notEqual(second.body.Ticket, camel.body.Ticket, 'every ticket is new');
    });

    test('addTicket 400: missing, blank, backslashed or mistyped fields, and bodies that are not a JSON object', async () => {
      const sim = fresh();
      const bodies: Array<object | string> = [
        {},
        { UserId: 'u' },
        { UserDirectory: 'D' },
        { UserDirectory: '   ', UserId: 'u' },
        { UserDirectory: 'D', UserId: '' },
        { UserDirectory: 'D\\X', UserId: 'u' },
        { UserDirectory: 'D', UserId: 'dom\\u' },
        { UserDirectory: 'D', UserId: 5 },
        { UserDirectory: 'D', UserId: 'u', Attributes: { Group: 'x' } },
        { UserDirectory: 'D', UserId: 'u', Attributes: [{ Group: 'x', Role: 'y' }] },
        { UserDirectory: 'D', UserId: 'u', Attributes: [{}] },
        { UserDirectory: 'D', UserId: 'u', Attributes: [{ Group: { nested: 'x' } }] },
        { UserDirectory: 'D', UserId: 'u', TargetId: 5 },
        '{',
        'null',
        '[]',
        '"text"',
        '',
        JSON.stringify({ UserDirectory: 'D', UserId: 'u', padding: 'x'.repeat(150_000) }),
      ];
      for (const body of bodies) {
        const response = contract.check('addTicket', await postTicket(sim, body), 400);
        assertText(response);
      }
      assert.equal(sim.world.tickets.size, 0, 'no ticket was issued');
    });

    test('addTicket 404: an unknown virtual proxy', async () => {
      const sim = fresh();
      for (const base of UNKNOWN_BACKENDS) {
        assertText(contract.check('addTicket', await postTicket(sim, { UserDirectory: 'D', UserId: 'u' }, base), 404));
      }
      const named = await postTicket(sim, { UserDirectory: 'D', UserId: 'u' }, '/nosuch/qps');
      assert.match(named.text, /nosuch/, 'the answer names the prefix');
    });

    test('getSessions 200: this virtual proxy only, PascalCase, with the Xrfkey parameter in any casing', async () => {
      const sim = fresh();
      const sessions = await list(sim);
      assert.deepEqual(
        sessions.map((s) => s.SessionId),
        sim.world.listSessions(prefix).map((s) => s.id),
      );
      const others = new Set(sim.world.listSessions(other).map((s) => s.id));
      assert.ok(sessions.every((s) => !others.has(s.SessionId)));
      for (const session of sessions) assert.deepEqual(keysOf(session), SESSION_KEYS);
      for (const name of ['xrfkey', 'XRFKEY', 'xRfKeY']) {
        const response = await qps(sim.app, 'get', `${backend}/session`, { name });
        assert.deepEqual(contract.check('getSessions', response, 200).body, sessions, `with ${name}=`);
      }
    });

    test('getSessions 404: an unknown virtual proxy', async () => {
      const sim = fresh();
      for (const base of UNKNOWN_BACKENDS) {
        assertText(contract.check('getSessions', await qps(sim.app, 'get', `${base}/session`), 404));
      }
    });

    test('addSession 201: the session and NewUser, true for a first session on this proxy and false after', async () => {
      const sim = fresh();
      const first = await addSession(sim, { userId: 'u1', userDirectory: 'DIR', sessionId: sessionId(1) });
      contract.check('addSession', first, 201);
      assert.deepEqual(first.body, {
        UserDirectory: 'DIR',
        UserId: 'u1',
        Attributes: [],
        SessionId: sessionId(1),
        NewUser: true,
      });
      const attributes = [{ Group: 'Sales' }, { Group: 'HR' }];
      const pascal = { UserDirectory: 'DIR', UserId: 'u1', SessionId: sessionId(2), Attributes: attributes };
      const second = contract.check('addSession', await addSession(sim, pascal), 201);
      assert.equal(second.body.NewUser, false);
      assert.deepEqual(second.body.Attributes, attributes);
      const got = await qps(sim.app, 'get', `${backend}/session/${sessionId(2)}`);
      assert.deepEqual(contract.check('getSession', got, 200).body, {
        UserDirectory: 'DIR',
        UserId: 'u1',
        Attributes: attributes,
        SessionId: sessionId(2),
      });
      const listed = (await list(sim)).map((s) => s.SessionId);
      assert.deepEqual(listed.slice(-2), [sessionId(1), sessionId(2)], 'the list shows them last, in start order');
    });

    test('addSession 400: no or a malformed SessionId, bad user fields, bodies that are not a JSON object', async () => {
      const sim = fresh();
      const user = { UserDirectory: 'DIR', UserId: 'u1' };
      const bodies: Array<object | string> = [
        user,
        { ...user, SessionId: 'not-a-guid' },
        { ...user, SessionId: 42 },
        { UserDirectory: 'DIR', SessionId: sessionId(1) },
        { UserDirectory: ' ', UserId: 'u1', SessionId: sessionId(1) },
        { UserDirectory: 'A\\B', UserId: 'u1', SessionId: sessionId(1) },
        { ...user, SessionId: sessionId(1), Attributes: 'Group=Sales' },
        '{"UserDirectory":',
        '[]',
        '',
      ];
      for (const body of bodies) assertText(contract.check('addSession', await addSession(sim, body), 400));
      assert.equal(sim.world.sessions.get(sessionId(1)), undefined, 'nothing was added');
    });

    test('addSession 403: the sixth session of a user on this virtual proxy; another proxy still takes one', async () => {
      const sim = fresh();
      const user = { UserDirectory: 'LIMIT', UserId: 'busy' };
      for (let n = 1; n <= 5; n++) {
        contract.check('addSession', await addSession(sim, { ...user, SessionId: sessionId(n) }), 201);
      }
      const sixth = contract.check('addSession', await addSession(sim, { ...user, SessionId: sessionId(6) }), 403);
      assertText(sixth, /5 sessions/);
      const elsewhere = prefix === '' ? '/qps/hdr' : '/qps';
      const response = await qps(sim.app, 'post', `${elsewhere}/session`).send({ ...user, SessionId: sessionId(6) });
      assert.equal(response.status, 201, response.text);
    });

    test('addSession 404: an unknown virtual proxy', async () => {
      const sim = fresh();
      for (const base of UNKNOWN_BACKENDS) {
        const response = await qps(sim.app, 'post', `${base}/session`).send({
          UserDirectory: 'DIR',
          UserId: 'u1',
          SessionId: sessionId(1),
        });
        assertText(contract.check('addSession', response, 404));
      }
    });

    test('addSession 409: an id in use, in any case, on this or another virtual proxy', async () => {
      const sim = fresh();
      const user = { UserDirectory: 'DIR', UserId: 'u1' };
      contract.check('addSession', await addSession(sim, { ...user, SessionId: sessionId(1) }), 201);
      const foreign = sim.world.listSessions(other)[0];
      assert.ok(foreign, `seed ${SEED} starts sessions on the other proxy`);
      for (const id of [sessionId(1), sessionId(1).toUpperCase(), foreign.id]) {
        const response = contract.check('addSession', await addSession(sim, { ...user, SessionId: id }), 409);
        assertText(response, /already exists/);
      }
    });

    test('getSession 200: one session as the list shows it, its id in any case; 404 for the rest', async () => {
      const sim = fresh();
      const { sessions } = await seeded(sim);
      for (const session of sessions.slice(0, 3)) {
        for (const id of [session.SessionId, session.SessionId.toUpperCase()]) {
          const response = await qps(sim.app, 'get', `${backend}/session/${id}`);
          assert.deepEqual(contract.check('getSession', response, 200).body, session);
        }
      }
      const foreign = sim.world.listSessions(other)[0]!.id;
      for (const id of [UNKNOWN_ID, ...MALFORMED_IDS, foreign]) {
        assertText(contract.check('getSession', await qps(sim.app, 'get', `${backend}/session/${id}`), 404));
      }
    });

    test('deleteSession 200: answers the deleted session, which is gone; 404 for it again and for the rest', async () => {
      const sim = fresh();
      const { sessions } = await seeded(sim);
      const [first, second] = sessions as [SessionBody, SessionBody];
      const path = `${backend}/session/${first.SessionId}`;
      assert.deepEqual(contract.check('deleteSession', await qps(sim.app, 'delete', path), 200).body, first);
      assertText(contract.check('getSession', await qps(sim.app, 'get', path), 404));
      assertText(contract.check('deleteSession', await qps(sim.app, 'delete', path), 404));
      const upper = `${backend}/session/${second.SessionId.toUpperCase()}`;
      assert.deepEqual(contract.check('deleteSession', await qps(sim.app, 'delete', upper), 200).body, second);
      assert.deepEqual(
        (await list(sim)).map((s) => s.SessionId),
        sessions.slice(2).map((s) => s.SessionId),
      );
      const foreign = sim.world.listSessions(other)[0]!.id;
      for (const id of [UNKNOWN_ID, ...MALFORMED_IDS, foreign]) {
        assertText(contract.check('deleteSession', await qps(sim.app, 'delete', `${backend}/session/${id}`), 404));
      }
      assert.ok(sim.world.sessions.get(foreign), 'the other proxy keeps its session');
    });

    test('getUserSessions 200: an array of the user’s sessions here, [] for a stranger; 404 for an unknown proxy', async () => {
      const sim = fresh();
      const { owner, owned } = await seeded(sim);
      const response = contract.check('getUserSessions', await qps(sim.app, 'get', userPath(owner)), 200);
      assert.deepEqual(response.body, owned);
      const stranger = { userDirectory: 'NOSUCHDIR', userId: 'nobody' };
      assert.deepEqual(contract.check('getUserSessions', await qps(sim.app, 'get', userPath(stranger)), 200).body, []);
      for (const base of UNKNOWN_BACKENDS) {
        assertText(contract.check('getUserSessions', await qps(sim.app, 'get', userPath(owner, base)), 404));
      }
    });

    test('deleteUserSessions 200: the deleted sessions, then []; [] for a stranger; 404 for an unknown proxy', async () => {
      const sim = fresh();
      const { sessions, owner, owned } = await seeded(sim);
      const deleted = contract.check('deleteUserSessions', await qps(sim.app, 'delete', userPath(owner)), 200);
      assert.deepEqual(deleted.body, owned);
      assert.equal((await list(sim)).length, sessions.length - owned.length);
      assert.deepEqual(
        contract.check('deleteUserSessions', await qps(sim.app, 'delete', userPath(owner)), 200).body,
        [],
      );
      const stranger = { userDirectory: 'NOSUCHDIR', userId: 'nobody' };
      assert.deepEqual(
        contract.check('deleteUserSessions', await qps(sim.app, 'delete', userPath(stranger)), 200).body,
        [],
      );
      for (const base of UNKNOWN_BACKENDS) {
        assertText(contract.check('deleteUserSessions', await qps(sim.app, 'delete', userPath(owner, base)), 404));
      }
    });

    test('getAbout, getAboutDescription and getAlive 200', async () => {
      const sim = fresh();
      const about = contract.check('getAbout', await qps(sim.app, 'get', `${backend}/about`), 200);
      assert.equal(typeof about.body.buildVersion, 'string');
      const described = contract.check(
        'getAboutDescription',
        await qps(sim.app, 'get', `${backend}/about/description`),
        200,
      );
      const lines = described.body as string[];
      assert.equal(lines.length, contract.operations.length, 'one line per operation');
      for (const line of ['POST /qps/ticket', 'GET /qps/session', 'POST /qps/session', 'DELETE /qps/session/{id}']) {
        assert.ok(lines.includes(line), `lists ${line}: ${JSON.stringify(lines)}`);
      }
      for (const line of lines) assert.match(line, /^(GET|POST|PUT|DELETE) \/\S*$/);
      const alive = contract.check('getAlive', await qps(sim.app, 'get', `${backend}/alive`), 200);
      assert.deepEqual(alive.body, { value: true });
    });

    test('getHealth 200 without a body or an Xrfkey; 503 while marked unhealthy or while no engine is up', async () => {
      const sim = fresh();
      contract.check('getHealth', await request(sim.app).get(`${backend}/health`), 200);
      contract.check('getHealth', await qps(sim.app, 'get', `${backend}/health`), 200);
      assert.equal((await request(sim.app).put('/__sim/health').send({ healthy: false })).status, 200);
      contract.check('getHealth', await request(sim.app).get(`${backend}/health`), 503);
      assert.equal((await request(sim.app).put('/__sim/health').send({ healthy: true })).status, 200);
      contract.check('getHealth', await request(sim.app).get(`${backend}/health`), 200);
      for (const engine of sim.world.cluster.engines) {
        const response = await request(sim.app).put(`/__sim/cluster/engines/${engine.id}`).send({ status: 'down' });
        assert.equal(response.status, 200);
      }
      contract.check('getHealth', await request(sim.app).get(`${backend}/health`), 503);
    });

    test('logError 200 without a body; 400 without a Message or with a mistyped field', async () => {
      const sim = fresh();
      const logged = await qps(sim.app, 'post', `${backend}/error`).send({ Message: 'boom', UserId: 'u1' });
      contract.check('logError', logged, 200);
      const bodies: Array<object | string> = [{}, { Message: '' }, { Message: 5 }, { Message: 'm', UserId: 5 }, '[]'];
      for (const body of bodies) {
        const sent = qps(sim.app, 'post', `${backend}/error`).set('Content-Type', 'application/json');
        assertText(
          contract.check('logError', await sent.send(typeof body === 'string' ? body : JSON.stringify(body)), 400),
        );
      }
    });

    test('403 with the exact XSRF text on every operation taking the Xrfkey, for each way of getting it wrong, changing nothing', async () => {
      const sim = fresh();
      const { owner, owned } = await seeded(sim);
      const id = owned[0]!.SessionId;
      const requests: Array<[string, Method, string, object?]> = [
        ['addTicket', 'post', `${backend}/ticket`, { UserDirectory: 'DIR', UserId: 'u1' }],
        ['getSessions', 'get', `${backend}/session`],
        ['addSession', 'post', `${backend}/session`, { UserDirectory: 'DIR', UserId: 'u1', SessionId: sessionId(1) }],
        ['getSession', 'get', `${backend}/session/${id}`],
        ['deleteSession', 'delete', `${backend}/session/${id}`],
        ['getUserSessions', 'get', userPath(owner)],
        ['deleteUserSessions', 'delete', userPath(owner)],
        ['getAbout', 'get', `${backend}/about`],
        ['getAboutDescription', 'get', `${backend}/about/description`],
        ['getAlive', 'get', `${backend}/alive`],
        ['logError', 'post', `${backend}/error`, { Message: 'boom' }],
      ];
      const takingXrfkey = contract.operations
        .filter((op) => op.request?.query?.some((p) => p.name.toLowerCase() === 'xrfkey'))
        .map((op) => op.iid as string);
      assert.deepEqual(requests.map(([name]) => name).sort(), takingXrfkey.sort(), 'the table covers every one');

      const before = { counts: sim.state().counts, tickets: sim.world.tickets.size };
      for (const [operationId, method, path, body] of requests) {
        for (const bad of BAD_XRFKEYS) {
          const sent = qps(sim.app, method, path, bad.options);
          const response = await (body ? sent.send(body) : sent);
          assert.equal(response.status, 403, `${operationId} with ${bad.name}: ${response.text}`);
          assertText(contract.check(operationId, response, 403), XSRF_TEXT);
        }
      }
      assert.deepEqual({ counts: sim.state().counts, tickets: sim.world.tickets.size }, before);
    });

    test('getPersonalUser 200: not logged in; a valid targetUri gives loginUri; an invalid one does not; logged in', async () => {
      const sim = fresh();
      const check = async (path: string, cookie?: string) => {
        const sent = request(sim.app).get(path);
        return contract.check('getPersonalUser', await (cookie ? sent.set('Cookie', cookie) : sent), 200).body;
      };
      assert.deepEqual(await check(personal), { session: 'inactive' });
      const target = `https://localhost${front}/hub/`;
      assert.deepEqual(await check(`${personal}?targetUri=${encodeURIComponent(target)}`), {
        session: 'inactive',
        loginUri: target,
      });
      for (const bad of ['https://evil.example/hub/', 'not a uri']) {
        assert.deepEqual(await check(`${personal}?targetUri=${encodeURIComponent(bad)}`), { session: 'inactive' });
      }
      const user = sim.world.userList()[0]!;
      const { userDirectory, userId } = user;
      const { cookie } = await login(sim.app, front, await issueTicket(sim.app, backend, { userDirectory, userId }));
      const me = (await check(personal, cookie)) as Record<string, string>;
      assert.deepEqual(keysOf(me), ['logoutUri', 'userDirectory', 'userId', 'userName']);
      assert.deepEqual([me.userDirectory, me.userId, me.userName], [user.userDirectory, user.userId, user.name]);
      assert.match(me.logoutUri!, new RegExp(`^http://127\\.0\\.0\\.1:\\d+${front}/qps/user$`));
    });

    test('getPersonalUser 200: the anonymous shape on a virtual proxy that allows anonymous access', async () => {
      const sim = qlikSimulator({
        seed: SEED,
        fixture: {
          users: [{ userDirectory: 'CORP', userId: 'alice' }],
          virtualProxies: [
            { prefix: '', anonymousAccess: prefix === '' },
            { prefix: 'hdr', anonymousAccess: prefix === 'hdr' },
          ],
        },
      });
      for (const path of [personal, `${personal}?targetUri=${encodeURIComponent(`https://localhost${front}/hub/`)}`]) {
        const body = contract.check('getPersonalUser', await request(sim.app).get(path), 200).body;
        assert.equal(body.userDirectory, 'NONE');
        assert.match(body.userId, /^anonymous[0-9a-f-]{36}$/);
        assert.equal(body.session, 'inactive');
        assert.equal(typeof body.loginUri, 'string');
      }
    });

    test('deletePersonalUser 204: logs the cookie’s session out and expires the cookie; 204 without a session too', async () => {
      const sim = fresh();
      const { cookie, name, id } = await login(
        sim.app,
        front,
        await issueTicket(sim.app, backend, { userDirectory: 'D', userId: 'u' }),
      );
      const out = contract.check(
        'deletePersonalUser',
        await request(sim.app).delete(personal).set('Cookie', cookie),
        204,
      );
      assert.equal(sim.world.sessions.get(id), undefined, 'the session ended');
      const [expired] = setCookies(out.headers);
      assert.equal(expired?.name, name);
      assert.equal(expired?.value, '');
      assert.equal(new Date(expired?.attributes.get('expires') ?? '').getTime(), 0, 'expired at the epoch');
      contract.check('deletePersonalUser', await request(sim.app).delete(personal), 204);
    });

    test('openHub 302: redeems the ticket, sets the session cookie and sends the browser on without the ticket', async () => {
      const sim = fresh();
      const ticket = await issueTicket(sim.app, backend, { userDirectory: 'D', userId: 'u' });
      const response = await redeem(sim.app, front, ticket);
      assert.equal(response.status, 302);
      assert.equal(response.headers.location, hub);
      const [cookie] = setCookies(response.headers);
      assert.equal(cookie?.name, prefix === '' ? 'X-Qlik-Session' : `X-Qlik-Session-${prefix}`);
      assert.ok(sim.world.sessions.get(cookie?.value ?? ''), 'the cookie names a live session');
      // The document declares the 302 without a body (Location and Set-Cookie only).
      contract.check('openHub', response, 302);
    });

    test('openHub 200 with the session cookie; 401 without one, with another proxy’s, or once the session ended', async () => {
      const sim = fresh();
      const { cookie, id } = await login(
        sim.app,
        front,
        await issueTicket(sim.app, backend, { userDirectory: 'D', userId: 'u' }),
      );
      const page = contract.check('openHub', await request(sim.app).get(hub).set('Cookie', cookie), 200);
      assert.match(page.text, /D\\u/);
      assertText(contract.check('openHub', await request(sim.app).get(hub), 401));
      const elsewhere = prefix === '' ? { backend: '/qps/hdr', front: '/hdr' } : { backend: '/qps', front: '' };
      const foreign = await login(
        sim.app,
        elsewhere.front,
        await issueTicket(sim.app, elsewhere.backend, { userDirectory: 'D', userId: 'u' }),
      );
      assertText(contract.check('openHub', await request(sim.app).get(hub).set('Cookie', foreign.cookie), 401));
      assert.equal((await qps(sim.app, 'delete', `${backend}/session/${id}`)).status, 200);
      assertText(contract.check('openHub', await request(sim.app).get(hub).set('Cookie', cookie), 401));
    });

    test('openHub 403: an unknown ticket, a used one, an expired one, and one of another virtual proxy', async () => {
      const sim = fresh();
      const user = { userDirectory: 'D', userId: 'u' };
      assertText(contract.check('openHub', await redeem(sim.app, front, 'NoSuchTicket0000'), 403));
      const used = await issueTicket(sim.app, backend, user);
      assert.equal((await redeem(sim.app, front, used)).status, 302);
      assertText(contract.check('openHub', await redeem(sim.app, front, used), 403), /unknown or already used/);
      const late = await issueTicket(sim.app, backend, user);
      sim.advance(TICKET_TTL_MS);
      assertText(contract.check('openHub', await redeem(sim.app, front, late), 403), /expired/);
      const foreign = await issueTicket(sim.app, prefix === '' ? '/qps/hdr' : '/qps', user);
      assertText(contract.check('openHub', await redeem(sim.app, front, foreign), 403), /another virtual proxy/);
    });

    const prioritize = (sim: Simulator, body: object | string) => {
      const sent = request(sim.app).post('/loadbalancing/prioritize').set('Content-Type', 'application/json');
      return (prefix === '' ? sent : sent.set('X-Qlik-Virtual-Proxy-Prefix', prefix)).send(
        typeof body === 'string' ? body : JSON.stringify(body),
      );
    };

    test('prioritizeEngines 200: the same engines reordered, AppName unchanged', async () => {
      const sim = fresh();
      const uris = sim.world.cluster.engines.map((e) => `https://${e.hostName}:4747`);
      for (const app of [sim.world.cluster.apps[0]!.id, sim.world.cluster.apps[1]!.name, 'Not An App']) {
        const response = contract.check(
          'prioritizeEngines',
          await prioritize(sim, { AppName: app, QlikSenseEngines: uris }),
          200,
        );
        assert.equal(response.body.AppName, app);
        assert.deepEqual([...response.body.QlikSenseEngines].sort(), [...uris].sort());
      }
      const empty = contract.check(
        'prioritizeEngines',
        await prioritize(sim, { AppName: 'x', QlikSenseEngines: [] }),
        200,
      );
      assert.deepEqual(empty.body, { AppName: 'x', QlikSenseEngines: [] });
    });

    test('prioritizeEngines 400: a missing or mistyped field, malformed JSON, a body too large, a bad X-Qlik-User', async () => {
      const sim = fresh();
      const bodies: Array<object | string> = [
        {},
        { AppName: 'x' },
        { QlikSenseEngines: [] },
        { AppName: 5, QlikSenseEngines: [] },
        { AppName: 'x', QlikSenseEngines: 'https://qlik-node-1:4747' },
        { AppName: 'x', QlikSenseEngines: [1] },
        '{',
        'null',
        '[]',
        '',
        JSON.stringify({ AppName: 'x', QlikSenseEngines: Array(10_000).fill('https://qlik-node-1.example:4747') }),
      ];
      for (const body of bodies) assertText(contract.check('prioritizeEngines', await prioritize(sim, body), 400));
      const badUser = prioritize(sim, { AppName: 'x', QlikSenseEngines: [] }).set('X-Qlik-User', 'somebody');
      assertText(contract.check('prioritizeEngines', await badUser, 400), /X-Qlik-User/);
    });

    test('getEngineHealthcheck 200 by position, id and host name; 404 for an unknown engine; 503 once it is down', async () => {
      const sim = fresh();
      const engine = sim.world.cluster.engines[1]!;
      const bodies = [];
      for (const ref of ['2', engine.id, engine.hostName, engine.hostName.toUpperCase()]) {
        const response = await request(sim.app).get(`/engines/${encodeURIComponent(ref)}/healthcheck`);
        bodies.push(contract.check('getEngineHealthcheck', response, 200).body);
      }
      for (const body of bodies.slice(1)) assert.deepEqual(body, bodies[0]);
      for (const ref of ['0', '99', 'nosuch.example', UNKNOWN_ID]) {
        assertText(
          contract.check('getEngineHealthcheck', await request(sim.app).get(`/engines/${ref}/healthcheck`), 404),
        );
      }
      assert.equal(
        (await request(sim.app).put(`/__sim/cluster/engines/${engine.id}`).send({ status: 'down' })).status,
        200,
      );
      const down = contract.check('getEngineHealthcheck', await request(sim.app).get('/engines/2/healthcheck'), 503);
      assertText(down, /down/);
    });

    test('session and ticket bodies are PascalCase, whatever the casing of the keys sent', async () => {
      const sim = fresh();
      const sessions = await list(sim);
      assert.deepEqual(lowerCaseKeys(sessions), []);
      const ticket = await postTicket(sim, { userdirectory: 'DIR', userid: 'u1' });
      assert.deepEqual(lowerCaseKeys(contract.check('addTicket', ticket, 201).body), []);
    });
  });
});

test(`every operation of ${DOCUMENT} through every status it declares, through every layout`, () => {
  for (const contract of CONTRACTS) contract.assertCovered();
});

describe('the harness on the qlik document', () => {
  // Prism passes what it cannot compile: prove that the qlik document's schemas bite.
  const json = (status: number, body: unknown): ResponseLike => ({
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    text: JSON.stringify(body),
  });
  const text = (status: number, body: string): ResponseLike => ({
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    text: body,
  });
  const TICKET = { UserDirectory: 'D', UserId: 'u', Attributes: [], Ticket: 'abcdefghij012345', TargetUri: null };

  test('passes the shapes the document describes', async () => {
    const contract = await loadContract(DOCUMENT);
    contract.check('addTicket', json(201, TICKET), 201);
    contract.check('addTicket', text(403, XSRF_TEXT), 403);
    contract.check('getPersonalUser', json(200, { session: 'inactive' }), 200);
    contract.check('deletePersonalUser', { status: 204, headers: {}, text: '' }, 204);
  });

  test('fails a wrong ticket, a camelCase session, a JSON error, an extra Personal API field, an engine without saturated', async () => {
    const contract = await loadContract(DOCUMENT);
    assert.throws(() => contract.check('addTicket', json(201, { ...TICKET, Ticket: 'short' })), /Ticket/);
    assert.throws(() => contract.check('addTicket', json(201, { ...TICKET, Attributes: [{ a: '1', b: '2' }] })));
    assert.throws(() =>
      contract.check(
        'getSession',
        json(200, { userDirectory: 'D', userId: 'u', attributes: [], sessionId: UNKNOWN_ID }),
      ),
    );
    assert.throws(() => contract.check('getSession', json(404, { message: 'gone' })), /media type/);
    assert.throws(() => contract.check('getPersonalUser', json(200, { session: 'inactive', extra: 1 })));
    assert.throws(() => contract.check('getPersonalUser', json(200, { session: 'active' })));
    const health = { version: '1', started: 'x', mem: {}, cpu: {}, session: {}, apps: {}, users: {}, cache: {} };
    assert.throws(() => contract.check('getEngineHealthcheck', json(200, health)));
    assert.throws(() => contract.check('openHub', text(302, 'Found. Redirecting to /hub/')), /declares no body/);
  });
});
