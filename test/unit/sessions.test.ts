import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionStore, type Session } from '../../src/domain/sessions.js';
import { userKey } from '../../src/domain/users.js';

let n = 0;
function session(proxy: string, userDirectory: string, userId: string, id?: string): Session {
  n += 1;
  return {
    id: id ?? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    proxy,
    userDirectory,
    userId,
    userKey: userKey(userDirectory, userId),
    userName: userId,
    attributes: [],
    start: 0,
    lastActive: 0,
    serial: n,
    apps: new Map(),
    engineId: undefined,
  };
}

describe('SessionStore', () => {
  test('keys sessions by their id in lower case', () => {
    // World.getSession lower-cases ids from outside; the store itself looks up exactly.
    const store = new SessionStore();
    const s = session('', 'CORP', 'alice', 'ABCDEF00-0000-4000-8000-00000000000A');
    store.add(s);
    assert.equal(store.get('abcdef00-0000-4000-8000-00000000000a'), s);
    assert.equal(store.get('abcdef00-0000-4000-8000-00000000000b'), undefined);
    assert.equal(store.size, 1);
    store.remove(s);
    assert.equal(store.get('abcdef00-0000-4000-8000-00000000000a'), undefined);
    assert.equal(store.size, 0);
  });

  test('lists a proxy’s sessions in the order they were added, and only that proxy’s', () => {
    const store = new SessionStore();
    const a = session('', 'D', 'u1');
    const b = session('hdr', 'D', 'u1');
    const c = session('', 'D', 'u2');
    const d = session('', 'D', 'u1');
    for (const s of [a, b, c, d]) store.add(s);
    assert.deepEqual(store.ofProxy(''), [a, c, d]);
    assert.deepEqual(store.ofProxy('hdr'), [b]);
    assert.deepEqual(store.ofProxy('nope'), []);
    store.remove(c);
    store.add(c);
    assert.deepEqual(store.ofProxy(''), [a, d, c]);
  });

  test('ofUser is per proxy and matches directory and id without regard to case', () => {
    const store = new SessionStore();
    const a = session('', 'Corp', 'Alice');
    const b = session('hdr', 'CORP', 'alice');
    const c = session('', 'CORP', 'bob');
    for (const s of [a, b, c]) store.add(s);
    assert.deepEqual(store.ofUser('', 'corp', 'ALICE'), [a]);
    assert.deepEqual(store.ofUser('hdr', 'cOrP', 'aLiCe'), [b]);
    assert.deepEqual(store.ofUser('', 'OTHER', 'alice'), []);
    assert.deepEqual(store.ofUser('', 'corp', 'BOB'), [c]);
    assert.deepEqual(store.ofUser('hdr', 'corp', 'bob'), []);
  });

  test('remove drops the session from every index', () => {
    const store = new SessionStore();
    const a = session('', 'D', 'u');
    const b = session('', 'D', 'u');
    store.add(a);
    store.add(b);
    store.remove(a);
    assert.equal(store.get(a.id), undefined);
    assert.deepEqual(store.ofProxy(''), [b]);
    assert.deepEqual(store.ofUser('', 'D', 'u'), [b]);
    assert.deepEqual([...store.all()], [b]);
    store.remove(b);
    assert.equal(store.size, 0);
    assert.deepEqual(store.ofUser('', 'D', 'u'), []);
    assert.deepEqual(store.ofProxy(''), []);
  });

  test('version changes for the proxy on add, remove and markActive, and only for that proxy', () => {
    const store = new SessionStore();
    const seen = new Set<number>([store.version('')]);
    const expectChange = (action: () => void) => {
      const other = store.version('hdr');
      action();
      const v = store.version('');
      assert.ok(!seen.has(v), `version ${v} was seen before`);
      seen.add(v);
      assert.equal(store.version('hdr'), other, 'another proxy’s version moved');
    };
    const s = session('', 'D', 'u');
    expectChange(() => store.add(s));
    expectChange(() => store.markActive(s, 1_000));
    assert.equal(s.lastActive, 1_000);
    expectChange(() => store.remove(s));
  });

  test('version does not change on reads', () => {
    const store = new SessionStore();
    const s = session('', 'D', 'u');
    store.add(s);
    const v = store.version('');
    store.get(s.id);
    store.ofProxy('');
    store.ofUser('', 'D', 'u');
    assert.equal([...store.all()].length, 1);
    assert.equal(store.version(''), v);
  });

  test('the lists returned are copies: changing them does not change the store', () => {
    const store = new SessionStore();
    store.add(session('', 'D', 'u'));
    store.ofProxy('').pop();
    store.ofUser('', 'D', 'u').pop();
    assert.equal(store.ofProxy('').length, 1);
    assert.equal(store.ofUser('', 'D', 'u').length, 1);
  });
});
