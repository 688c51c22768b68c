import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { World } from '../../src/domain/world.js';
import { generateIdentity } from '../../src/domain/site.js';
import { generateDirectories, generateUsers } from '../../src/domain/users.js';
import { resolveOptions, type SimulatorOptions } from '../../src/options.js';
import { buildWorld } from '../../src/site/build-world.js';

const worldOf = (options: SimulatorOptions = {}) => buildWorld(resolveOptions(options));
const usersOf = (world: World) => [...world.site.users.values()];
const sessionsOf = (world: World) => [...world.sessions.all()];

describe('generated site', () => {
  test('the same seed gives identical users and sessions', () => {
    const a = worldOf({ seed: 'same' });
    const b = worldOf({ seed: 'same' });
    assert.deepEqual(usersOf(a), usersOf(b));
    assert.deepEqual(sessionsOf(a), sessionsOf(b));
    assert.deepEqual(a.site.directories, b.site.directories);
  });

  test('a numeric seed is the same as its string', () => {
    assert.deepEqual(sessionsOf(worldOf({ seed: 42 })), sessionsOf(worldOf({ seed: '42' })));
  });

  test('another seed gives other users and sessions', () => {
    const a = worldOf({ seed: 'one' });
    const b = worldOf({ seed: 'two' });
    assert.notDeepEqual(
      usersOf(a).map((u) => u.userId),
      usersOf(b).map((u) => u.userId),
    );
    assert.notDeepEqual(
      sessionsOf(a).map((s) => s.id),
      sessionsOf(b).map((s) => s.id),
    );
  });

  test('users are generated per index: 10 users are the first 10 of 50', () => {
    const directories = generateDirectories('per-index', 3);
    assert.deepEqual(
      generateUsers('per-index', 10, directories),
      generateUsers('per-index', 50, directories).slice(0, 10),
    );
    assert.deepEqual(
      [...generateIdentity('per-index', 10).users.values()],
      [...generateIdentity('per-index', 50).users.values()].slice(0, 10),
    );
  });

  test('users are generated per index also on sites of fewer than three users', () => {
    // generateUser promises that adding users never changes earlier ones.
    for (const seed of ['qps-sim', 'a', 'b', 'd', 'e']) {
      const first = (count: number) => [...generateIdentity(seed, count).users.values()][0];
      assert.deepEqual(first(1), first(50), `seed ${seed}: user 0 of a 1-user site`);
      assert.deepEqual(first(2), first(50), `seed ${seed}: user 0 of a 2-user site`);
    }
  });

  test('generated users are unique (directory and id, without case) and well formed', () => {
    const users = usersOf(worldOf({ seed: 'unique', users: 2_000, sessions: 0 }));
    assert.equal(users.length, 2_000);
    const keys = new Set(users.map((u) => `${u.userDirectory.toLowerCase()}\\${u.userId.toLowerCase()}`));
    assert.equal(keys.size, 2_000);
    for (const user of users) {
      assert.match(user.userId, /^[a-z0-9.]+$/);
      assert.ok(['email', 'group', 'role'].every((name) => user.attributes.some(([n]) => n === name)));
    }
  });

  test('directories: up to three, distinct, every user in one of them', () => {
    const world = worldOf({ seed: 'dirs', users: 30 });
    assert.equal(world.site.directories.length, 3);
    assert.equal(new Set(world.site.directories).size, 3);
    for (const user of usersOf(world)) assert.ok(world.site.directories.includes(user.userDirectory));
    assert.equal(worldOf({ users: 0, sessions: 0 }).site.users.size, 0);
  });

  test('the per-user session limit is respected, however many sessions are asked for', () => {
    const world = worldOf({ seed: 'limit', users: 3, sessions: 40, maxSessionsPerUser: 4 });
    const perUser = new Map<string, number>();
    for (const s of sessionsOf(world)) {
      const key = `${s.proxy}|${s.userDirectory}\\${s.userId}`;
      perUser.set(key, (perUser.get(key) ?? 0) + 1);
    }
    for (const [user, count] of perUser) assert.ok(count <= 4, `${user} has ${count} sessions`);
    assert.ok(world.sessions.size >= 4, 'the users should still get sessions up to the limit');
  });

  test('sessions spread over both default proxies, most on the default one', () => {
    const world = worldOf({ seed: 'spread', sessions: 200, users: 200 });
    const onDefault = world.listSessions('').length;
    const onHdr = world.listSessions('hdr').length;
    assert.equal(onDefault + onHdr, 200);
    assert.ok(onHdr > 20, `hdr has ${onHdr}`);
    assert.ok(onDefault > onHdr, `default ${onDefault}, hdr ${onHdr}`);
  });

  test('the default seed puts sessions on both proxies', () => {
    const world = worldOf();
    assert.equal(world.sessions.size, 20);
    assert.ok(world.listSessions('').length > 0);
    assert.ok(world.listSessions('hdr').length > 0);
  });

  test('without virtual proxies every session is on the default proxy', () => {
    const world = worldOf({ virtualProxies: [] });
    assert.equal(world.listSessions('').length, world.sessions.size);
    assert.deepEqual([...world.site.proxies.keys()], ['']);
  });

  test('sessions started in the past and are active within their proxy’s timeout', () => {
    const world = worldOf({ seed: 'times', sessions: 100, users: 100, sessionTimeoutMinutes: 15 });
    for (const s of sessionsOf(world)) {
      const timeout = world.proxy(s.proxy)?.sessionInactivityTimeoutMs ?? 0;
      assert.ok(s.start < world.now, 'started before now');
      assert.ok(s.start <= s.lastActive && s.lastActive <= world.now, 'active between start and now');
      assert.ok(s.lastActive + timeout > world.now, 'not already timed out');
    }
  });

  test('session attributes are their user’s', () => {
    const world = worldOf({ seed: 'attrs' });
    for (const s of sessionsOf(world)) {
      const user = world.findUser(s.userDirectory, s.userId);
      assert.ok(user);
      assert.deepEqual(s.attributes, user.attributes);
      assert.equal(s.userName, user.name);
    }
  });
});
