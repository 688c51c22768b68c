import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptions } from '../../src/options.js';
import { buildWorld } from '../../src/site/build-world.js';
import { MINUTE, SMALL_SITE_IDS as IDS, sessionEventsOf, smallSiteWorld, worldOf } from '../support/sim.js';

const HOUR = 60 * MINUTE;

describe('session expiry', () => {
  test('a session is present 1 ms before lastActive + timeout and gone exactly then', async () => {
    const world = await smallSiteWorld();
    const start = world.now;
    // Alice's hdr session was active at the start; hdr times out after 10 minutes.
    world.advanceTo(start + 10 * MINUTE - 1);
    assert.ok(world.sessions.get(IDS.aliceHdr));
    world.advanceTo(start + 10 * MINUTE);
    assert.equal(world.sessions.get(IDS.aliceHdr), undefined);
    const ended = world.events.query({ type: 'session.ended' }).find((e) => e.sessionId === IDS.aliceHdr);
    assert.deepEqual(ended, {
      seq: ended?.seq,
      at: start + 10 * MINUTE,
      type: 'session.ended',
      sessionId: IDS.aliceHdr,
      proxy: 'hdr',
      userDirectory: 'CORP',
      userId: 'alice',
      reason: 'timeout',
    });
  });

  test('each virtual proxy has its own timeout (hdr 10 min, default 30 min)', async () => {
    const world = await smallSiteWorld();
    const start = world.now;
    // Alice's default-proxy session was last active 5 minutes before the start: it ends at +25 min.
    world.advanceTo(start + 24 * MINUTE);
    assert.equal(world.sessions.get(IDS.aliceHdr), undefined);
    assert.ok(world.sessions.get(IDS.aliceDefault));
    world.advanceTo(start + 25 * MINUTE - 1);
    assert.ok(world.sessions.get(IDS.aliceDefault));
    world.advanceTo(start + 25 * MINUTE);
    assert.equal(world.sessions.get(IDS.aliceDefault), undefined);
  });

  test('activity postpones expiry to the new lastActive + timeout', async () => {
    const world = await smallSiteWorld();
    const start = world.now;
    const session = world.getSession('hdr', IDS.aliceHdr);
    world.advanceTo(start + 5 * MINUTE);
    world.sessions.markActive(session, world.now);
    world.advanceTo(start + 15 * MINUTE - 1);
    assert.ok(world.sessions.get(IDS.aliceHdr), 'expired at the timeout of its old activity');
    world.advanceTo(start + 15 * MINUTE);
    assert.equal(world.sessions.get(IDS.aliceHdr), undefined);
    assert.equal(world.events.query({ type: 'session.ended' }).at(-1)?.at, start + 15 * MINUTE);
  });

  test('a session that ended earlier does not expire again', async () => {
    const world = await smallSiteWorld();
    world.endSession('hdr', IDS.aliceHdr);
    const before = world.events.lastSeq;
    world.advanceTo(world.now + HOUR);
    const later = world.events.query({ since: before });
    assert.equal(
      later.some((e) => e.sessionId === IDS.aliceHdr),
      false,
    );
  });

  test('a session whose id was given in upper case times out like any other', () => {
    const id = 'AAAAAAAA-0000-4000-8000-000000000000';
    const world = worldOf({
      users: [{ userDirectory: 'D', userId: 'u' }],
      sessions: [{ userDirectory: 'D', userId: 'u', sessionId: id }],
    });
    world.advanceTo(world.now + 30 * MINUTE);
    assert.equal(world.sessions.size, 0, 'the session outlived its timeout');
    assert.equal(String(world.events.query({ type: 'session.ended' })[0]?.sessionId).toLowerCase(), id.toLowerCase());
  });

  test('the last session of a user on a proxy timing out logs the user out there', async () => {
    const world = await smallSiteWorld();
    world.advanceTo(world.now + MINUTE);
    assert.deepEqual(
      sessionEventsOf(world).map((e) => [e.type, e.userId, e.proxy, e.reason]),
      [
        ['session.ended', 'carol', '', 'timeout'],
        ['user.loggedOut', 'carol', '', 'timeout'],
      ],
    );
  });

  test('advancing 2 h in one step ends each session at its own time, as 120 steps of one minute do', () => {
    const options = resolveOptions({ seed: 'expiry-steps', sessions: 40, traffic: false });
    const once = buildWorld(options);
    const stepped = buildWorld(options);
    const start = once.now;
    const expiresAt = new Map(
      [...once.sessions.all()].map((s) => [
        s.id,
        s.lastActive + (once.proxy(s.proxy)?.sessionInactivityTimeoutMs ?? NaN),
      ]),
    );

    once.advanceTo(start + 2 * HOUR);
    for (let i = 1; i <= 120; i++) stepped.advanceTo(start + i * MINUTE);

    assert.deepEqual(stepped.events.query(), once.events.query());
    assert.equal(once.sessions.size, 0, 'every session should have timed out within 2 h');
    assert.equal(once.now, stepped.now);
    const ended = once.events.query({ type: 'session.ended' });
    assert.equal(ended.length, expiresAt.size);
    // In one big step each session still ends at its own time, not at the end of the step.
    for (const e of ended) assert.equal(e.at, expiresAt.get(e.sessionId as string), `session ${String(e.sessionId)}`);
    const times = once.events.query().map((e) => e.at);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  test('with simulated users, 2 h in one step gives the same events as 120 steps of one minute', () => {
    const options = resolveOptions({ seed: 'expiry-steps', sessions: 40, traffic: true });
    const once = buildWorld(options);
    const stepped = buildWorld(options);
    const start = once.now;
    once.advanceTo(start + 2 * HOUR);
    for (let i = 1; i <= 120; i++) stepped.advanceTo(start + i * MINUTE);
    const events = once.events.query();
    assert.ok(
      events.some((e) => e.type === 'session.started'),
      'simulated users should have logged in',
    );
    assert.ok(events.some((e) => e.type === 'session.ended'));
    assert.deepEqual(stepped.events.query(), events);
    assert.deepEqual([...stepped.sessions.all()], [...once.sessions.all()]);
  });

  test('advanceTo never moves time backwards', async () => {
    const world = await smallSiteWorld();
    const start = world.now;
    world.advanceTo(start + MINUTE);
    world.advanceTo(start);
    assert.equal(world.now, start + MINUTE);
  });
});
