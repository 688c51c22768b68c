import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError, resolveOptions, type SimulatorOptions } from '../../src/options.js';
import { FixtureError } from '../../src/site/fixture.js';

/** Expects an OptionsError whose message names `field`. */
function rejects(options: unknown, field: string | RegExp) {
  assert.throws(
    () => resolveOptions(options as SimulatorOptions),
    (error: unknown) => {
      assert.ok(error instanceof OptionsError, `expected an OptionsError, got ${String(error)}`);
      if (typeof field === 'string') assert.ok(error.message.includes(field), `${error.message} should name ${field}`);
      else assert.match(error.message, field);
      return true;
    },
  );
}

describe('resolveOptions defaults', () => {
  test('fills in the defaults', () => {
    const options = resolveOptions();
    const { seed, users, sessions, fixture, virtualProxies, sessionTimeoutMinutes, maxSessionsPerUser } = options;
    assert.deepEqual(
      { seed, users, sessions, fixture, virtualProxies, sessionTimeoutMinutes, maxSessionsPerUser },
      {
        seed: 'qps-sim',
        users: 50,
        sessions: 20,
        fixture: undefined,
        virtualProxies: undefined,
        sessionTimeoutMinutes: 30,
        maxSessionsPerUser: 5,
      },
    );
    const { clock, speed, startTime, control, eventLimit } = options;
    assert.deepEqual(
      { clock, speed, startTime, control, eventLimit },
      { clock: 'manual', speed: 1, startTime: Date.UTC(2026, 0, 5, 9, 0, 0), control: true, eventLimit: 1000 },
    );
    assert.equal(typeof options.wallNow, 'function');
  });

  test('the default login rate is 0.8 per user and hour', () => {
    assert.equal(resolveOptions({ users: 100 }).peakLoginsPerHour, 80);
    assert.equal(resolveOptions({ users: 0 }).peakLoginsPerHour, 1);
  });

  test('with a fixture, the default login rate follows the fixture’s users', () => {
    // Four users must not log in as often as the 50 of a generated site.
    const fixture = { users: ['a', 'b', 'c', 'd'].map((userId) => ({ userDirectory: 'D', userId })) };
    assert.equal(resolveOptions({ fixture }).peakLoginsPerHour, 3.2);
  });

  test('keeps what is given, turning a numeric seed into a string and an ISO start into ms', () => {
    const wallNow = () => 7;
    const options = resolveOptions({
      seed: 12,
      users: 0,
      sessions: 0,
      virtualProxies: ['a', 'b/c'],
      clock: 'realtime',
      speed: 2.5,
      startTime: '2030-06-01T12:00:00+02:00',
      control: false,
      wallNow,
    });
    assert.equal(options.seed, '12');
    assert.equal(options.users, 0);
    assert.deepEqual(options.virtualProxies, ['a', 'b/c']);
    assert.equal(options.startTime, Date.UTC(2030, 5, 1, 10));
    assert.equal(options.control, false);
    assert.equal(options.wallNow, wallNow);
  });

  test('a start time in ms is taken as is', () => {
    assert.equal(resolveOptions({ startTime: 0 }).startTime, 0);
  });

  test('does not change the object it is given', () => {
    const input = { users: 3 };
    resolveOptions(input);
    assert.deepEqual(input, { users: 3 });
  });
});

describe('resolveOptions validation', () => {
  const cases: Array<[string, unknown, string]> = [
    ['negative users', { users: -1 }, 'users'],
    ['fractional users', { users: 1.5 }, 'users'],
    ['users as a string', { users: '10' }, 'users'],
    ['too many users', { users: 1e9 }, 'users'],
    ['negative sessions', { sessions: -3 }, 'sessions'],
    ['empty seed', { seed: '' }, 'seed'],
    ['a leading and trailing slash in a prefix', { virtualProxies: ['/x/'] }, 'virtualProxies[0]'],
    ['a qps segment in a prefix', { virtualProxies: ['a/qps'] }, 'virtualProxies[0]'],
    ['qps as a prefix', { virtualProxies: ['ok', 'qps'] }, 'virtualProxies[1]'],
    ['an empty prefix', { virtualProxies: [''] }, 'virtualProxies[0]'],
    ['a space in a prefix', { virtualProxies: ['a b'] }, 'virtualProxies[0]'],
    ['a repeated prefix', { virtualProxies: ['a', 'a'] }, 'virtualProxies'],
    ['an unknown clock', { clock: 'sundial' }, 'clock'],
    ['zero speed', { speed: 0 }, 'speed'],
    ['zero timeout', { sessionTimeoutMinutes: 0 }, 'sessionTimeoutMinutes'],
    ['zero sessions per user', { maxSessionsPerUser: 0 }, 'maxSessionsPerUser'],
    ['control as a string', { control: 'yes' }, 'control'],
    ['zero events', { eventLimit: 0 }, 'eventLimit'],
    ['a start time that is no date', { startTime: 'yesterday' }, 'startTime'],
  ];
  for (const [name, options, field] of cases) {
    test(`${name} is an OptionsError naming ${field}`, () => rejects(options, field));
  }

  test('every bad option is named, not only the first', () => {
    rejects({ users: -1, clock: 'sundial' }, /users.*clock|clock.*users/);
  });

  test('the message says why, for a prefix in words', () => {
    rejects({ virtualProxies: ['a/qps'] }, /virtual proxy prefix/);
  });

  test('a start time outside the range of dates is an OptionsError naming startTime', () => {
    // Accepting it makes every later serialization of a time throw (a 500 on every request).
    rejects({ startTime: 1e16 }, 'startTime');
    rejects({ startTime: -1e16 }, 'startTime');
  });

  test('__sim, the control API’s path, is refused as a virtual proxy prefix', () => {
    // /__sim/qps/... would be routed to the control API and the virtual proxy never reached.
    rejects({ virtualProxies: ['__sim'] }, 'virtualProxies[0]');
  });

  test('an invalid fixture is a FixtureError naming the field', () => {
    assert.throws(
      () => resolveOptions({ fixture: { users: [{ userDirectory: 'D' }] } as never }),
      (error: unknown) => error instanceof FixtureError && error.message.includes('users[0].userId'),
    );
  });
});
