import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { createSimulator } from '../../src/index.js';
import { GOLDEN_FILE, loadCurve } from '../../scripts/load-curve.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Everything observable about a simulator, for comparing two runs. */
function snapshot(sim: ReturnType<typeof createSimulator>) {
  const { world } = sim;
  return JSON.stringify({
    now: world.now,
    events: world.events.query(),
    lastEvent: world.events.lastSeq,
    decisions: world.cluster.decisions.list(),
    sessions: [...world.sessions.all()].map((s) => ({ ...s, apps: [...s.apps] })),
    engines: world.cluster.engines.map((e) => ({
      ...e,
      apps: [...e.apps],
      sessions: [...e.sessions],
      users: [...e.users],
    })),
  });
}

describe('the simulated site over time', () => {
  test('24 simulated hours in one step equal 1440 steps of a minute, event for event', () => {
    const oneStep = createSimulator({ seed: 'equivalence' });
    oneStep.advance(24 * HOUR);
    const manySteps = createSimulator({ seed: 'equivalence' });
    for (let i = 0; i < 24 * 60; i++) manySteps.advance(MINUTE);
    assert.ok(oneStep.world.events.lastSeq > 100, 'a day of traffic makes many events');
    assert.equal(snapshot(oneStep), snapshot(manySteps));
  });

  test('the same seed and clock moves give the same site; another seed another', () => {
    const run = (seed: string) => {
      const sim = createSimulator({ seed });
      sim.advance(3 * HOUR);
      return snapshot(sim);
    };
    assert.equal(run('a'), run('a'));
    assert.notEqual(run('a'), run('b'));
  });

  test('a saved and restored site carries on as the original, also when an ended session’s id is taken again', () => {
    const sim = createSimulator({ seed: 'carry-on', users: 60, sessions: 40 });
    sim.advance(2 * HOUR);
    // A simulated user's session ends and a new one takes its id: the old user's next step, still
    // scheduled, now finds the new session (which has its own life, not the old user's).
    const [ended] = [...sim.world.sessions.all()];
    sim.world.endSession(ended!.proxy, ended!.id);
    const { userDirectory, userId, attributes } = ended!;
    sim.world.addSession(ended!.proxy, { userDirectory, userId, attributes, id: ended!.id });
    const restored = createSimulator({ seed: 'carry-on', users: 60, sessions: 40 });
    restored.importState(JSON.parse(JSON.stringify(sim.exportState())));
    sim.advance(6 * HOUR);
    restored.advance(6 * HOUR);
    assert.equal(snapshot(restored), snapshot(sim));
  });

  test('the 24-hour load curve matches the golden file (npm run golden regenerates it)', () => {
    const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as unknown;
    assert.deepEqual(loadCurve(), golden);
  });

  test('load follows the daily rhythm: working hours are busier than the night', () => {
    const { samples } = loadCurve('rhythm', 24, 60);
    const at = (hour: number) => samples.find((s) => s.at.slice(11, 13) === String(hour).padStart(2, '0'))!;
    const cpu = (hour: number) => at(hour).engines.reduce((sum, e) => sum + e.cpu, 0);
    assert.ok(at(11).sessions > at(3).sessions * 3, `sessions at 11:00 ${at(11).sessions}, at 03:00 ${at(3).sessions}`);
    assert.ok(cpu(11) > cpu(3) * 2, `cpu at 11:00 ${cpu(11)}, at 03:00 ${cpu(3)}`);
  });

  test('apps unload after idling for the app cache time, and memory falls with them', () => {
    const sim = createSimulator({ seed: 'cache', appCacheMinutes: 60, traffic: false, sessions: 4 });
    const engine = () => sim.world.cluster.engines.find((e) => e.apps.size > 0)!;
    const busy = engine();
    const memoryBefore = busy.memoryUsedMb;
    for (const s of [...sim.world.sessions.all()]) sim.world.endSession(s.proxy, s.id);
    sim.advance(59 * MINUTE);
    assert.ok(busy.apps.size > 0, 'still cached before an hour');
    sim.advance(2 * MINUTE);
    assert.equal(busy.apps.size, 0);
    assert.ok(busy.memoryUsedMb < memoryBefore);
    assert.ok(sim.world.events.query({ type: 'app.unloaded' }).length > 0);
  });
});

describe('sessions and users', () => {
  test('a session ends at exactly 30 minutes of inactivity, not a millisecond before', () => {
    const sim = createSimulator({ seed: 'timeout', traffic: false, sessions: 1 });
    const [session] = [...sim.world.sessions.all()];
    assert.ok(session);
    sim.advance(session.lastActive + 30 * MINUTE - 1 - sim.world.now);
    assert.ok(sim.world.sessions.get(session.id), 'present at 29:59.999');
    sim.advance(1);
    assert.equal(sim.world.sessions.get(session.id), undefined, 'gone at 30:00.000');
    const ended = sim.world.events.query({ type: 'session.ended' });
    assert.equal(ended.at(-1)?.reason, 'timeout');
    assert.equal(ended.at(-1)?.at, session.lastActive + 30 * MINUTE);
  });

  test('a user holds at most the configured number of sessions per virtual proxy; more logins are denied', () => {
    const sim = createSimulator({
      seed: 'limit',
      users: 1,
      sessions: 0,
      maxSessionsPerUser: 2,
      peakLoginsPerHour: 600,
    });
    sim.advance(2 * HOUR);
    for (const proxy of ['', 'hdr']) assert.ok(sim.world.listSessions(proxy).length <= 2);
    const denied = sim.world.events.query({ type: 'login.denied' });
    assert.ok(denied.length > 0);
    assert.equal(denied[0]?.reason, 'sessionLimit');
  });

  test('simulated users keep their sessions active while they work', () => {
    const sim = createSimulator({ seed: 'active', sessions: 0 });
    sim.advance(20 * MINUTE);
    const sessions = [...sim.world.sessions.all()];
    assert.ok(sessions.length > 0);
    assert.ok(
      sessions.some((s) => s.lastActive > s.start),
      'lastActive moves after the login',
    );
    assert.ok(
      sessions.some((s) => s.apps.size > 0),
      'users open apps',
    );
  });
});

describe('engines', () => {
  test('an engine saturates when its CPU stays above 90 % for 30 s, and recovers', () => {
    const sim = createSimulator({ seed: 'saturate', traffic: false });
    const engine = sim.world.cluster.engines[0]!;
    sim.world.setEngineSpike(engine.id, 100);
    for (let i = 0; i < 20 && engine.cpuHighSince === undefined; i++) sim.advance(5_000);
    const highSince = engine.cpuHighSince;
    assert.ok(highSince !== undefined, `CPU above 90 % (${engine.cpu})`);
    assert.equal(highSince, sim.world.now);
    sim.advance(highSince + 30_000 - 5_000 - sim.world.now);
    assert.equal(engine.saturated, false, 'not yet at 25 s');
    sim.advance(5_000);
    assert.equal(engine.saturated, true, 'saturated at 30 s');
    sim.world.setEngineSpike(engine.id, 0);
    sim.advance(60_000);
    assert.equal(engine.saturated, false);
    const changes = sim.world.events.query({ type: 'engine.saturationChanged' });
    assert.deepEqual(
      changes.map((e) => e.saturated),
      [true, false],
    );
  });

  test('an engine saturates at once when its memory use passes 90 %', () => {
    const sim = createSimulator({
      seed: 'memory',
      traffic: false,
      sessions: 0,
      fixture: {
        users: [{ userDirectory: 'D', userId: 'u' }],
        engines: [{ memoryTotalMb: 4096 }, { memoryTotalMb: 65_536 }],
        apps: [{ name: 'Huge', sizeMb: 1800 }],
        sessions: [{ userDirectory: 'D', userId: 'u' }],
      },
    });
    sim.advance(5_000);
    const small = sim.world.cluster.engines[0]!;
    assert.ok(small.memoryUsedMb > 4096 * 0.9, `memory ${small.memoryUsedMb}`);
    assert.equal(small.saturated, true);
  });

  test('an engine outage closes its apps but keeps the proxy sessions; their next app goes elsewhere', () => {
    const sim = createSimulator({ seed: 'outage', traffic: false, sessions: 12 });
    const { world } = sim;
    const engine = world.cluster.engines.find((e) => e.sessions.size > 0)!;
    const affected = [...engine.sessions.keys()];
    world.setEngineStatus(engine.id, 'down');
    for (const id of affected) {
      const session = world.sessions.get(id);
      assert.ok(session, 'the proxy session survives');
      assert.ok([...session.apps.values()].every((e) => e !== engine.id));
    }
    assert.equal(engine.apps.size, 0);
    assert.equal(world.events.query({ type: 'session.appsClosed' }).length, affected.length);
    const session = world.sessions.get(affected[0]!)!;
    world.openApp(session, world.cluster.apps[5]!);
    assert.notEqual(session.apps.get(world.cluster.apps[5]!.id), engine.id);
  });

  test('the proxy is unhealthy while no engine is up', () => {
    const sim = createSimulator({ seed: 'health', traffic: false });
    const { world } = sim;
    for (const e of world.cluster.engines) world.setEngineStatus(e.id, 'down');
    assert.deepEqual(world.health(), { healthy: false, reason: 'no engine is up' });
    world.setEngineStatus(world.cluster.engines[2]!.id, 'up');
    assert.equal(world.health().healthy, true);
    assert.deepEqual(
      world.events.query({ type: 'proxy.healthChanged' }).map((e) => e.healthy),
      [false, true],
    );
  });
});
