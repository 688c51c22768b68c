import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedStream, keyed, randomFrom, stream, withFaker, type Random } from '../../src/domain/rng.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const draws = (random: Random, n = 20) => Array.from({ length: n }, () => random.next());

describe('seeded streams', () => {
  test('the same seed and key give the same sequence', () => {
    assert.deepEqual(draws(stream('seed', 'user/1')), draws(stream('seed', 'user/1')));
  });

  test('another key or another seed gives another sequence', () => {
    const base = draws(stream('seed', 'user/1'));
    assert.notDeepEqual(draws(stream('seed', 'user/2')), base);
    assert.notDeepEqual(draws(stream('other', 'user/1')), base);
  });

  test('seed and key are not simply concatenated', () => {
    assert.notDeepEqual(draws(stream('ab', 'c')), draws(stream('a', 'bc')));
  });

  test('streams are independent: drawing from one does not move another', () => {
    const a = stream('seed', 'a');
    const b1 = stream('seed', 'b');
    draws(a, 100);
    assert.deepEqual(draws(b1), draws(stream('seed', 'b')));
  });

  test('a keyed stream re-keyed in place draws as a new one with the same keys, whatever it drew before', () => {
    const kept = new KeyedStream();
    for (const [a, b, c] of [
      [1, 2, 3],
      [4, 0, 0],
      [1, 2, 3],
      [7, 2 ** 31, 5],
    ] as const) {
      kept.next();
      const fresh = keyed(0xdeadbeef, a, b, c);
      kept.rekey(0xdeadbeef, a, b, c);
      assert.deepEqual([kept.next(), kept.int(0, 99), kept.uuid()], [fresh.next(), fresh.int(0, 99), fresh.uuid()]);
    }
  });

  test('next() is in [0, 1)', () => {
    for (const x of draws(stream('seed', 'range'), 1_000)) assert.ok(x >= 0 && x < 1, String(x));
  });
});

describe('Random helpers', () => {
  test('uuid() gives distinct version 4 UUIDs, reproducible from the seed', () => {
    const ids = (random: Random) => Array.from({ length: 200 }, () => random.uuid());
    const first = ids(stream('seed', 'ids'));
    assert.ok(
      first.every((id) => UUID_V4.test(id)),
      first.find((id) => !UUID_V4.test(id)),
    );
    assert.equal(new Set(first).size, 200);
    assert.deepEqual(ids(stream('seed', 'ids')), first);
    assert.notDeepEqual(ids(stream('seed', 'other ids')), first);
  });

  test('int(min, max) stays within both bounds, inclusive, and reaches both', () => {
    const random = stream('seed', 'int');
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const n = random.int(3, 7);
      assert.ok(Number.isInteger(n) && n >= 3 && n <= 7, String(n));
      seen.add(n);
    }
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
  });

  test('int() maps the extremes of next() to the bounds', () => {
    assert.equal(randomFrom(() => 0).int(-2, 2), -2);
    assert.equal(randomFrom(() => 0.999_999_999).int(-2, 2), 2);
  });

  test('pick() returns an element and reaches every one; an empty list is a RangeError', () => {
    const random = stream('seed', 'pick');
    const items = ['a', 'b', 'c'] as const;
    const seen = new Set(Array.from({ length: 300 }, () => random.pick(items)));
    assert.deepEqual([...seen].sort(), ['a', 'b', 'c']);
    assert.throws(() => random.pick([]), RangeError);
  });

  test('chance() follows the probability', () => {
    const random = stream('seed', 'chance');
    assert.equal(Array.from({ length: 100 }, () => random.chance(0)).some(Boolean), false);
    assert.equal(Array.from({ length: 100 }, () => random.chance(1)).every(Boolean), true);
    const hits = Array.from({ length: 4_000 }, () => random.chance(0.3)).filter(Boolean).length;
    assert.ok(hits > 1_000 && hits < 1_400, String(hits));
  });

  test('withFaker() draws only from the stream it is lent', () => {
    const name = (key: string) => withFaker(stream('seed', key), (faker) => faker.person.fullName());
    assert.equal(name('x'), name('x'));
    assert.notEqual(
      Array.from({ length: 5 }, (_, i) => name(`k${i}`)).join(),
      Array.from({ length: 5 }, (_, i) => name(`j${i}`)).join(),
    );
  });
});
