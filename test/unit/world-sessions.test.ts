import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SimError } from '../../src/domain/errors.js';
import type { World } from '../../src/domain/world.js';
import { SMALL_SITE_IDS as IDS, sessionEventsOf, smallSiteWorld, worldOf } from '../support/sim.js';

const ALICE_2 = '44444444-4444-4444-8444-444444444444';

const isSimError = (code: string) => (error: unknown) => {
  assert.ok(error instanceof SimError, String(error));
  assert.equal(error.code, code);
  assert.equal(error.kind, 'notFound');
  return true;
};

/** Gives alice a second session on the default proxy. */
function secondAliceSession(world: World): void {
  const alice = world.findUser('CORP', 'alice');
  assert.ok(alice);
  assert.ok(world.startSession({ id: ALICE_2, proxy: '', user: alice, start: world.now, lastActive: world.now }));
}

const summary = (world: World) => sessionEventsOf(world).map((e) => [e.type, e.sessionId ?? '-', e.proxy, e.reason]);

describe('World.getSession', () => {
  test('finds a session on its own proxy, whatever the case of the id', async () => {
    const world = await smallSiteWorld();
    assert.equal(world.getSession('hdr', IDS.aliceHdr.toUpperCase()).id, IDS.aliceHdr);
    assert.equal(world.getSession('', IDS.carolDefault).userId, 'carol');
  });

  test('a malformed id is malformedSessionId', async () => {
    const world = await smallSiteWorld();
    for (const id of ['', 'abc', `${IDS.aliceHdr}0`, IDS.aliceHdr.replace(/-/g, ''), ' ' + IDS.aliceHdr]) {
      assert.throws(() => world.getSession('', id), isSimError('malformedSessionId'), JSON.stringify(id));
    }
  });

  test('another proxy’s session, or an unknown id, is sessionNotFound', async () => {
    const world = await smallSiteWorld();
    assert.throws(() => world.getSession('', IDS.aliceHdr), isSimError('sessionNotFound'));
    assert.throws(() => world.getSession('hdr', IDS.aliceDefault), isSimError('sessionNotFound'));
    assert.throws(() => world.getSession('', '99999999-9999-4999-8999-999999999999'), isSimError('sessionNotFound'));
  });

  test('listSessions is per proxy', async () => {
    const world = await smallSiteWorld();
    assert.deepEqual(
      world.listSessions('').map((s) => s.id),
      [IDS.aliceDefault, IDS.carolDefault],
    );
    assert.deepEqual(
      world.listSessions('hdr').map((s) => s.id),
      [IDS.aliceHdr],
    );
  });
});

describe('World.endSession', () => {
  test('records session.ended only, while the user has another session on that proxy', async () => {
    const world = await smallSiteWorld();
    secondAliceSession(world);
    const ended = world.endSession('', IDS.aliceDefault);
    assert.equal(ended.id, IDS.aliceDefault);
    assert.equal(world.sessions.get(IDS.aliceDefault), undefined);
    assert.deepEqual(summary(world), [['session.ended', IDS.aliceDefault, '', 'deleted']]);
  });

  test('records session.ended then user.loggedOut for the user’s last session on that proxy', async () => {
    const world = await smallSiteWorld();
    // Alice keeps her hdr session: logging out is per proxy.
    world.endSession('', IDS.aliceDefault);
    const events = sessionEventsOf(world);
    assert.deepEqual(
      events.map((e) => e.type),
      ['session.ended', 'user.loggedOut'],
    );
    assert.deepEqual(events[1], {
      seq: world.events.lastSeq,
      at: world.now,
      type: 'user.loggedOut',
      proxy: '',
      userDirectory: 'CORP',
      userId: 'alice',
      reason: 'deleted',
    });
    assert.ok(world.sessions.get(IDS.aliceHdr));
  });

  test('leaves the session alone when asked through another proxy', async () => {
    const world = await smallSiteWorld();
    const before = world.events.lastSeq;
    assert.throws(() => world.endSession('hdr', IDS.aliceDefault), isSimError('sessionNotFound'));
    assert.ok(world.sessions.get(IDS.aliceDefault));
    assert.equal(world.events.lastSeq, before);
  });

  test('a second end of the same session is sessionNotFound', async () => {
    const world = await smallSiteWorld();
    world.endSession('', IDS.carolDefault);
    assert.throws(() => world.endSession('', IDS.carolDefault), isSimError('sessionNotFound'));
  });
});

describe('World user sessions', () => {
  test('userSessions lists a user’s sessions on one proxy, matching without case', async () => {
    const world = await smallSiteWorld();
    secondAliceSession(world);
    assert.deepEqual(
      world.userSessions('', 'corp', 'ALICE').map((s) => s.id),
      [IDS.aliceDefault, ALICE_2],
    );
    assert.deepEqual(
      world.userSessions('hdr', 'CORP', 'alice').map((s) => s.id),
      [IDS.aliceHdr],
    );
  });

  test('userSessions of an unknown user is userNotFound; of a known user without sessions, []', async () => {
    const world = await smallSiteWorld();
    assert.throws(() => world.userSessions('', 'CORP', 'mallory'), isSimError('userNotFound'));
    assert.throws(() => world.userSessions('', 'NOPE', 'alice'), isSimError('userNotFound'));
    assert.deepEqual(world.userSessions('', 'CORP', 'bob'), []);
    assert.deepEqual(world.userSessions('hdr', 'PARTNERS', 'carol'), []);
  });

  test('countUserSessions counts per proxy; an unknown user has 0', async () => {
    const world = await smallSiteWorld();
    secondAliceSession(world);
    assert.equal(world.countUserSessions('', 'CORP', 'alice'), 2);
    assert.equal(world.countUserSessions('hdr', 'corp', 'ALICE'), 1);
    assert.equal(world.countUserSessions('', 'CORP', 'bob'), 0);
    assert.equal(world.countUserSessions('', 'CORP', 'mallory'), 0);
  });

  test('endUserSessions ends the user’s sessions on that proxy only, then logs the user out once', async () => {
    const world = await smallSiteWorld();
    secondAliceSession(world);
    const ended = world.endUserSessions('', 'corp', 'alice');
    assert.deepEqual(
      ended.map((s) => s.id),
      [IDS.aliceDefault, ALICE_2],
    );
    assert.equal(world.countUserSessions('', 'CORP', 'alice'), 0);
    assert.equal(world.countUserSessions('hdr', 'CORP', 'alice'), 1);
    assert.ok(world.sessions.get(IDS.carolDefault));
    assert.deepEqual(summary(world), [
      ['session.ended', IDS.aliceDefault, '', 'userDeleted'],
      ['session.ended', ALICE_2, '', 'userDeleted'],
      ['user.loggedOut', '-', '', 'userDeleted'],
    ]);
  });

  test('endUserSessions of a known user without sessions does nothing; of an unknown user, userNotFound', async () => {
    const world = await smallSiteWorld();
    const before = world.events.lastSeq;
    assert.deepEqual(world.endUserSessions('', 'CORP', 'bob'), []);
    assert.equal(world.events.lastSeq, before);
    assert.throws(() => world.endUserSessions('', 'CORP', 'mallory'), isSimError('userNotFound'));
  });
});

describe('World.startSession', () => {
  const fixture = {
    users: [
      { userDirectory: 'D', userId: 'u' },
      { userDirectory: 'D', userId: 'v' },
    ],
    sessions: [],
  };
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  test('refuses a session beyond the per-user limit on a proxy', () => {
    const world = worldOf(fixture, { maxSessionsPerUser: 2 });
    const u = world.findUser('D', 'u');
    const v = world.findUser('D', 'v');
    assert.ok(u && v);
    const at = world.now;
    assert.ok(world.startSession({ id: id(1), proxy: '', user: u, start: at, lastActive: at }));
    assert.ok(world.startSession({ id: id(2), proxy: '', user: u, start: at, lastActive: at }));
    assert.equal(world.startSession({ id: id(3), proxy: '', user: u, start: at, lastActive: at }), undefined);
    assert.equal(world.sessions.get(id(3)), undefined);
    assert.equal(world.sessions.size, 2);
    assert.ok(world.startSession({ id: id(4), proxy: '', user: v, start: at, lastActive: at }), 'another user');
    world.endSession('', id(2));
    assert.ok(world.startSession({ id: id(5), proxy: '', user: u, start: at, lastActive: at }), 'room again');
  });

  test('login at the limit records login.denied; below it, session.started', () => {
    const world = worldOf(fixture, { maxSessionsPerUser: 1 });
    const u = world.findUser('D', 'u');
    assert.ok(u);
    assert.ok(world.login('hdr', u, id(1)));
    assert.equal(world.login('hdr', u, id(2)), undefined);
    assert.deepEqual(
      sessionEventsOf(world).map((e) => [e.type, e.proxy, e.userId, e.sessionId ?? e.reason]),
      [
        ['session.started', 'hdr', 'u', id(1)],
        ['login.denied', 'hdr', 'u', 'sessionLimit'],
      ],
    );
  });

  test('a new session takes the user’s attributes unless given its own', () => {
    const world = worldOf({ users: [{ userDirectory: 'D', userId: 'u', attributes: [{ group: 'A' }] }], sessions: [] });
    const u = world.findUser('d', 'U');
    assert.ok(u);
    const s1 = world.startSession({ id: id(1), proxy: '', user: u, start: 0, lastActive: world.now });
    const s2 = world.startSession({
      id: id(2),
      proxy: '',
      user: u,
      attributes: [['group', 'B']],
      start: 0,
      lastActive: world.now,
    });
    assert.deepEqual(s1?.attributes, [['group', 'A']]);
    assert.deepEqual(s2?.attributes, [['group', 'B']]);
  });
});
