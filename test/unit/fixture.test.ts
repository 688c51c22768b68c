import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attributesOf } from '../../src/http/dialects/seed/serializers.js';
import { FixtureError, parseFixture, type SiteFixture } from '../../src/site/fixture.js';
import { loadFixtureFile } from '../../src/site/load-fixture.js';
import { MINUTE, SMALL_SITE, SMALL_SITE_IDS as IDS, worldOf } from '../support/sim.js';

/** Expects a FixtureError whose message names `field`. */
function fixtureError(field: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof FixtureError, `expected a FixtureError, got ${String(error)}`);
    if (typeof field === 'string') assert.ok(error.message.includes(field), `${error.message} should name ${field}`);
    else assert.match(error.message, field);
    return true;
  };
}

const user = (userId: string, userDirectory = 'D') => ({ userDirectory, userId });

describe('parseFixture', () => {
  test('accepts a minimal fixture and returns it', () => {
    const fixture = { users: [user('u')] };
    assert.deepEqual(parseFixture(fixture), fixture);
  });

  const cases: Array<[string, unknown, string]> = [
    ['no users', {}, 'users is required'],
    ['an empty user list', { users: [] }, 'users'],
    ['a user without an id', { users: [{ userDirectory: 'D' }] }, 'users[0].userId is required'],
    ['an unknown field on a user', { users: [{ ...user('u'), mail: 'x' }] }, 'users[0].mail is not a known field'],
    ['an unknown top-level field', { users: [user('u')], groups: [] }, 'groups is not a known field'],
    ['a backslash in a user id', { users: [user('a\\b')] }, 'users[0].userId'],
    ['a control character in a directory', { users: [user('u', 'D\n')] }, 'users[0].userDirectory'],
    [
      'an attribute with two keys',
      { users: [{ ...user('u'), attributes: [{ a: '1', b: '2' }] }] },
      'users[0].attributes[0]',
    ],
    ['a bad prefix', { users: [user('u')], virtualProxies: [{ prefix: 'a/qps' }] }, 'virtualProxies[0].prefix'],
    [
      'a fractional timeout',
      { users: [user('u')], virtualProxies: [{ prefix: '', sessionInactivityTimeoutMinutes: 1.5 }] },
      'virtualProxies[0].sessionInactivityTimeoutMinutes',
    ],
    [
      'a session id that is no UUID',
      { users: [user('u')], sessions: [{ ...user('u'), sessionId: 'abc' }] },
      'sessions[0].sessionId',
    ],
    [
      'a negative idle time',
      { users: [user('u')], sessions: [{ ...user('u'), idleMinutes: -1 }] },
      'sessions[0].idleMinutes',
    ],
  ];
  for (const [name, value, field] of cases) {
    test(`${name} is a FixtureError naming ${field}`, () => {
      assert.throws(() => parseFixture(value), fixtureError(field));
    });
  }

  test('names every bad field at once', () => {
    assert.throws(
      () => parseFixture({ users: [{ userDirectory: 'D' }, { userId: 'x' }] }),
      fixtureError(/users\[0\]\.userId.*users\[1\]\.userDirectory/),
    );
  });
});

describe('loadFixtureFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qps-sim-fixture-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a missing file is a FixtureError naming the file', async () => {
    const file = join(dir, 'missing.yaml');
    await assert.rejects(loadFixtureFile(file), fixtureError(file));
  });

  test('a file that is not YAML is a FixtureError naming the file', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'users: [\n  - {');
    await assert.rejects(loadFixtureFile(file), fixtureError(/broken\.yaml: not valid YAML/));
  });

  test('a file with a bad field is a FixtureError naming the file and the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ users: [{ userDirectory: 'D', userId: 'u', age: 3 }] }));
    await assert.rejects(loadFixtureFile(file), fixtureError(/bad\.json: .*users\[0\]\.age/));
  });
});

describe('buildWorld from fixtures/small-site.yaml', () => {
  test('loads the users, with their attributes in order, and the directories', async () => {
    const world = worldOf(await loadFixtureFile(SMALL_SITE));
    assert.deepEqual(
      [...world.site.users.values()].map((u) => `${u.userDirectory}\\${u.userId}`),
      ['CORP\\alice', 'CORP\\bob', 'PARTNERS\\carol', 'PARTNERS\\dave'],
    );
    assert.deepEqual(world.site.directories, ['CORP', 'PARTNERS']);
    const alice = world.findUser('corp', 'ALICE');
    assert.equal(alice?.name, 'Alice Admin');
    assert.deepEqual(attributesOf(alice?.attributes ?? []), [
      { name: 'email', values: ['alice@corp.example'] },
      { name: 'group', values: ['IT', 'Sales'] },
      { name: 'role', values: ['ContentAdmin'] },
    ]);
    assert.equal(world.findUser('PARTNERS', 'carol')?.attributes.length, 0);
    assert.equal(world.findUser('PARTNERS', 'carol')?.name, 'Carol Consultant');
  });

  test('loads the virtual proxies with their own timeouts', async () => {
    const world = worldOf(await loadFixtureFile(SMALL_SITE));
    assert.deepEqual([...world.site.proxies.keys()], ['', 'hdr']);
    assert.equal(world.proxy('')?.sessionInactivityTimeoutMs, 30 * MINUTE);
    assert.equal(world.proxy('hdr')?.sessionInactivityTimeoutMs, 10 * MINUTE);
    assert.equal(world.proxy('hdr')?.sessionCookieHeaderName, 'X-Qlik-Session-hdr');
  });

  test('loads the sessions with their ids, proxies, start and last activity', async () => {
    const world = worldOf(await loadFixtureFile(SMALL_SITE));
    const now = world.now;
    const shape = (id: string) => {
      const s = world.sessions.get(id);
      return s && [s.proxy, `${s.userDirectory}\\${s.userId}`, now - s.start, now - s.lastActive];
    };
    assert.equal(world.sessions.size, 3);
    assert.deepEqual(shape(IDS.aliceDefault), ['', 'CORP\\alice', 45 * MINUTE, 5 * MINUTE]);
    assert.deepEqual(shape(IDS.aliceHdr), ['hdr', 'CORP\\alice', 20 * MINUTE, 0]);
    assert.deepEqual(shape(IDS.carolDefault), ['', 'PARTNERS\\carol', 90 * MINUTE, 29 * MINUTE]);
  });

  test('the sessions and users options are ignored with a fixture that has sessions', async () => {
    const world = worldOf(await loadFixtureFile(SMALL_SITE), { users: 500, sessions: 500 });
    assert.equal(world.site.users.size, 4);
    assert.equal(world.sessions.size, 3);
  });
});

describe('buildWorld fixture errors', () => {
  const base = (sessions: NonNullable<SiteFixture['sessions']>, extra: Partial<SiteFixture> = {}): SiteFixture => ({
    users: [user('u'), user('v')],
    sessions,
    ...extra,
  });

  test('a session of an unknown user is a FixtureError naming sessions[i]', () => {
    assert.throws(() => worldOf(base([user('u'), user('nobody')])), fixtureError(/^sessions\[1\]: .*nobody/));
  });

  test('a session on an unknown virtual proxy names sessions[i].virtualProxy', () => {
    assert.throws(
      () => worldOf(base([{ ...user('u'), virtualProxy: 'nope' }])),
      fixtureError('sessions[0].virtualProxy'),
    );
  });

  test('a session id used twice (in any case) names sessions[i].sessionId', () => {
    const id = 'aaaaaaaa-0000-4000-8000-000000000000';
    assert.throws(
      () =>
        worldOf(
          base([
            { ...user('u'), sessionId: id },
            { ...user('v'), sessionId: id.toUpperCase() },
          ]),
        ),
      fixtureError('sessions[1].sessionId'),
    );
  });

  test('more sessions than a user may hold names the session that exceeds the limit', () => {
    const sessions = [user('u'), user('u'), user('u')];
    assert.throws(() => worldOf(base(sessions), { maxSessionsPerUser: 2 }), fixtureError(/^sessions\[2\]: .*limit/));
  });

  test('sessions without ids get ids from the seed: the same seed, the same ids', () => {
    const ids = (seed: string) => [...worldOf(base([user('u'), user('v')]), { seed }).sessions.all()].map((s) => s.id);
    assert.deepEqual(ids('s1'), ids('s1'));
    assert.notDeepEqual(ids('s1'), ids('s2'));
  });

  test('a session id every route can find: a urn:uuid: id is refused', () => {
    // The schema's uuid format accepts 'urn:uuid:...', but the session routes only find plain UUIDs.
    const sessions = [{ ...user('u'), sessionId: 'urn:uuid:aaaaaaaa-0000-4000-8000-000000000000' }];
    assert.throws(() => worldOf(base(sessions)), fixtureError('sessions[0].sessionId'));
  });

  test('a start further back than any date is refused, naming sessions[i].startedMinutesAgo', () => {
    // Accepted, it makes every serialization of the session throw (a 500 on GET /qps/session).
    assert.throws(
      () => worldOf(base([{ ...user('u'), startedMinutesAgo: 1e12 }])),
      fixtureError('sessions[0].startedMinutesAgo'),
    );
  });

  test('a user listed twice (directory and id match without case) names the second', () => {
    const fixture = { users: [user('u', 'CORP'), user('U', 'corp')], sessions: [] };
    assert.throws(() => worldOf(fixture), fixtureError('users[1]'));
  });

  test('a virtual proxy listed twice names the second', () => {
    const fixture = { users: [user('u')], virtualProxies: [{ prefix: '' }, { prefix: 'hdr' }, { prefix: 'hdr' }] };
    assert.throws(() => worldOf(fixture), fixtureError('virtualProxies[2]'));
  });
});
