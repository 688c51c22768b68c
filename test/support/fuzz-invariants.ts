import assert from 'node:assert/strict';
import type { Engine } from '../../src/domain/engine.js';
import type { Session } from '../../src/domain/sessions.js';
import type { World } from '../../src/domain/world.js';
import { userKey } from '../../src/domain/users.js';

/** The own keys of the built-in prototypes when this module loaded: a request must never add one. */
const PROTOTYPES: ReadonlyArray<readonly [string, object, readonly (string | symbol)[]]> = [
  ['Object.prototype', Object.prototype, Reflect.ownKeys(Object.prototype)],
  ['Array.prototype', Array.prototype, Reflect.ownKeys(Array.prototype)],
  ['Function.prototype', Function.prototype, Reflect.ownKeys(Function.prototype)],
  ['String.prototype', String.prototype, Reflect.ownKeys(String.prototype)],
];

/** No request polluted a built-in prototype (`{"__proto__": {...}}`, `constructor.prototype`, ...). */
export function assertNoPrototypePollution(): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin', 'userDirectory', 'userId', 'appId', 'status', 'healthy', 'ms']) {
    assert.equal(probe[key], undefined, `Object.prototype.${key} was set by a request`);
  }
  for (const [name, proto, keys] of PROTOTYPES) {
    const added = Reflect.ownKeys(proto).filter((key) => !keys.includes(key));
    assert.deepEqual(added, [], `${name} gained keys: ${added.map(String).join(', ')}`);
  }
}

/** A time for a message, whatever the number (an out-of-range one is shown as it is). */
const iso = (ms: number) => (Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms));

const where = (session: Session) =>
  `session ${session.id} (${session.userKey} on proxy ${JSON.stringify(session.proxy)})`;

/** What each engine's maps must say, recomputed from the sessions' own `apps` maps. */
function expectedEngineViews(world: World, sessions: readonly Session[]) {
  const views = new Map<
    string,
    { sessions: Map<string, number>; users: Map<string, number>; apps: Map<string, number> }
  >();
  for (const engine of world.cluster.engines)
    views.set(engine.id, { sessions: new Map(), users: new Map(), apps: new Map() });
  for (const session of sessions) {
    for (const [appId, engineId] of session.apps) {
      const view = views.get(engineId);
      assert.ok(view, `${where(session)} has app ${appId} open on ${engineId}, which is no engine of the cluster`);
      view.sessions.set(session.id, (view.sessions.get(session.id) ?? 0) + 1);
      view.apps.set(appId, (view.apps.get(appId) ?? 0) + 1);
    }
  }
  for (const view of views.values()) {
    for (const id of view.sessions.keys()) {
      const key = (world.sessions.get(id) as Session).userKey;
      view.users.set(key, (view.users.get(key) ?? 0) + 1);
    }
  }
  return views;
}

const sorted = (map: ReadonlyMap<string, number>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function assertEngine(
  engine: Engine,
  expected: ReturnType<typeof expectedEngineViews> extends Map<string, infer V> ? V : never,
) {
  const name = `engine ${engine.index + 1} (${engine.hostName}, ${engine.status})`;
  assert.deepEqual(
    sorted(engine.sessions),
    sorted(expected.sessions),
    `${name}: its sessions (id -> apps open there) disagree with the sessions' own apps`,
  );
  assert.deepEqual(
    sorted(engine.users),
    sorted(expected.users),
    `${name}: its users (userKey -> sessions there) disagree with its sessions`,
  );
  for (const [appId, open] of expected.apps) {
    const loaded = engine.apps.get(appId);
    assert.ok(loaded, `${name}: ${open} session(s) have app ${appId} open there, but it is not loaded`);
    assert.equal(
      loaded.openSessions,
      open,
      `${name}: app ${appId} counts ${loaded.openSessions} open sessions, not ${open}`,
    );
  }
  for (const [appId, loaded] of engine.apps) {
    if (!expected.apps.has(appId)) {
      assert.equal(loaded.openSessions, 0, `${name}: app ${appId} counts ${loaded.openSessions} open sessions, not 0`);
    }
  }
  if (engine.status === 'down') {
    assert.equal(engine.apps.size, 0, `${name} is down but has apps loaded`);
    assert.equal(engine.sessions.size, 0, `${name} is down but has sessions`);
  }
}

/** Checks the store's indexes against one another: by id, by proxy, by user, and the counts. */
function assertStore(world: World, sessions: readonly Session[]) {
  const { proxies } = world.site;
  let perProxy = 0;
  for (const prefix of proxies.keys()) perProxy += world.sessions.ofProxy(prefix).length;
  assert.equal(world.sessions.size, perProxy, 'sessions.size differs from the sum of the per-proxy lists');
  assert.equal(sessions.length, world.sessions.size, 'sessions.all() and sessions.size disagree');
  const perUser = new Map<string, number>();
  for (const session of sessions) {
    for (const field of ['id', 'proxy', 'userDirectory', 'userId', 'userKey', 'userName'] as const) {
      assert.equal(typeof session[field], 'string', `session ${String(session.id)}: ${field} is not a string`);
    }
    for (const field of ['start', 'lastActive'] as const) {
      assert.ok(Number.isFinite(session[field]), `session ${String(session.id)}: ${field} is not a number`);
    }
    assert.ok(session.apps instanceof Map, `session ${String(session.id)}: apps is not a map`);
  }
  for (const session of sessions) {
    assert.ok(proxies.has(session.proxy), `${where(session)} belongs to no virtual proxy of the site`);
    assert.equal(session.id, session.id.toLowerCase(), `${where(session)}: ids are stored in lower case`);
    assert.equal(session.userKey, userKey(session.userDirectory, session.userId), `${where(session)}: stale userKey`);
    assert.equal(world.sessions.get(session.id), session, `${where(session)} is not findable by id`);
    assert.ok(
      world.sessions.ofProxy(session.proxy).includes(session),
      `${where(session)} is missing from its proxy list`,
    );
    const ofUser = world.sessions.ofUser(session.proxy, session.userDirectory, session.userId);
    assert.ok(ofUser.includes(session), `${where(session)} is not among its user's sessions`);
    const key = `${session.proxy}\n${session.userKey}`;
    perUser.set(key, (perUser.get(key) ?? 0) + 1);
  }
  for (const session of sessions) {
    const count = world.sessions.countOfUser(session.proxy, session.userKey);
    assert.ok(count >= 1, `${where(session)} belongs to a user with no session there (logged out)`);
    assert.equal(count, perUser.get(`${session.proxy}\n${session.userKey}`), `${where(session)}: countOfUser is stale`);
    assert.ok(
      count <= world.config.maxSessionsPerUser,
      `${session.userKey} holds ${count} sessions on ${JSON.stringify(session.proxy)}, over the limit of ${world.config.maxSessionsPerUser}`,
    );
    assert.ok(
      world.sessions
        .ofUser(session.proxy, session.userDirectory, session.userId)
        .every((s) => s.userKey === session.userKey),
      `${where(session)}: the user index holds another user's session`,
    );
  }
  for (const prefix of proxies.keys()) {
    for (const session of world.sessions.ofProxy(prefix)) {
      assert.equal(session.proxy, prefix, `${where(session)} is listed under proxy ${JSON.stringify(prefix)}`);
      assert.equal(world.sessions.get(session.id), session, `${where(session)} is listed but not stored`);
    }
  }
}

/** A session alive now was started after its user last logged out on its proxy, and has not ended since. */
function assertEventHistory(world: World, sessions: readonly Session[]) {
  const events = world.events.query();
  const started = new Map<string, number>();
  const lastEnded = new Map<string, number>();
  const lastLogout = new Map<string, number>();
  for (const event of events) {
    const id = typeof event.sessionId === 'string' ? event.sessionId.toLowerCase() : undefined;
    if (event.type === 'session.started' && id) started.set(id, event.seq);
    if (event.type === 'session.ended' && id) lastEnded.set(id, event.seq);
    if (event.type === 'user.loggedOut') {
      const key = `${String(event.proxy)}\n${userKey(String(event.userDirectory), String(event.userId))}`;
      lastLogout.set(key, event.seq);
    }
  }
  for (const session of sessions) {
    const since = started.get(session.id) ?? 0;
    const ended = lastEnded.get(session.id) ?? 0;
    assert.ok(ended <= since, `${where(session)} is alive after its session.ended event (seq ${ended})`);
    const logout = lastLogout.get(`${session.proxy}\n${session.userKey}`) ?? 0;
    assert.ok(
      logout <= since,
      `${where(session)} is alive, but its user logged out (user.loggedOut seq ${logout}) after it started (seq ${since})`,
    );
  }
}

/**
 * The simulator's invariants, read from the live world (read-only):
 * - the session store's indexes agree (by id, by proxy, by user; size = the sum of the proxy lists);
 * - every session's user holds at least one and at most the limit of sessions on its proxy, and no
 *   session outlives its inactivity timeout;
 * - each engine's sessions, users and open-app counts are exactly what the sessions' `apps` maps say;
 * - no session has an app open on a down engine, and a down engine holds nothing;
 * - no live session belongs to a user who logged out after it started, or has a later session.ended;
 * - no built-in prototype was polluted.
 */
export function assertInvariants(world: World): void {
  const sessions = [...world.sessions.all()];
  assertStore(world, sessions);
  const engines = new Map(world.cluster.engines.map((e) => [e.id, e]));
  for (const session of sessions) {
    const timeout = world.site.proxies.get(session.proxy)?.sessionInactivityTimeoutMs ?? Infinity;
    assert.ok(
      session.lastActive + timeout > world.now,
      `${where(session)} outlived its inactivity timeout (last active ${iso(session.lastActive)}, now ${iso(world.now)})`,
    );
    for (const [appId, engineId] of session.apps) {
      const engine = engines.get(engineId);
      assert.ok(engine, `${where(session)} has app ${appId} open on unknown engine ${engineId}`);
      assert.notEqual(
        engine.status,
        'down',
        `${where(session)} has app ${appId} open on down engine ${engine.hostName}`,
      );
    }
    if (session.apps.size === 0) {
      assert.equal(
        session.engineId,
        undefined,
        `${where(session)} has no app open but names engine ${session.engineId}`,
      );
    } else {
      assert.ok(
        [...session.apps.values()].includes(session.engineId as string),
        `${where(session)} names engine ${session.engineId}, where none of its apps is open`,
      );
    }
  }
  const views = expectedEngineViews(world, sessions);
  for (const engine of world.cluster.engines) assertEngine(engine, views.get(engine.id)!);
  assertEventHistory(world, sessions);
  assertNoPrototypePollution();
}
