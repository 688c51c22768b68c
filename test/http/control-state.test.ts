import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { SMALL_SITE_IDS as IDS, qps, smallSiteSimulator } from '../support/sim.js';

describe('GET /__sim/state', () => {
  test('shows the seed, the clock, health, counts, proxies and directories', async () => {
    const sim = await smallSiteSimulator({ seed: 'state' });
    const res = await request(sim.app).get('/__sim/state').expect(200);
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    const { seed, clock, health, counts, virtualProxies, userDirectories } = res.body;
    assert.equal(seed, 'state');
    assert.deepEqual(clock, {
      now: '2026-01-05T09:00:00.000Z',
      nowMs: Date.UTC(2026, 0, 5, 9),
      mode: 'manual',
      speed: 1,
      paused: false,
    });
    assert.deepEqual(health, { healthy: true, reason: 'the proxy is running' });
    assert.deepEqual(
      { users: counts.users, sessions: counts.sessions, sessionsByProxy: counts.sessionsByProxy },
      { users: 4, sessions: 3, sessionsByProxy: { '': 2, hdr: 1 } },
    );
    assert.equal(counts.events, sim.world.events.size);
    assert.deepEqual(
      virtualProxies.map((p: Record<string, unknown>) => [
        p.prefix,
        p.description,
        p.sessionCookieHeaderName,
        p.sessionInactivityTimeoutMinutes,
      ]),
      [
        ['', 'Central Proxy (Default)', 'X-Qlik-Session', 30],
        ['hdr', 'Virtual proxy hdr', 'X-Qlik-Session-hdr', 10],
      ],
    );
    assert.deepEqual(userDirectories, ['CORP', 'PARTNERS']);
    assert.deepEqual(sim.state(), res.body);
  });

  test('counts follow what happens', async () => {
    const { app } = await smallSiteSimulator();
    const before = (await request(app).get('/__sim/state').expect(200)).body.counts;
    await qps(app).delete(`/hdr/qps/session/${IDS.aliceHdr}`).expect(200);
    const { counts } = (await request(app).get('/__sim/state').expect(200)).body;
    assert.deepEqual(
      { users: counts.users, sessions: counts.sessions, sessionsByProxy: counts.sessionsByProxy },
      { users: 4, sessions: 2, sessionsByProxy: { '': 2, hdr: 0 } },
    );
    assert.equal(counts.events, before.events + 2);
  });

  test('the clock is a copy of GET /__sim/clock', async () => {
    const { app } = await smallSiteSimulator();
    await request(app).post('/__sim/clock/advance').send({ ms: 1234 }).expect(200);
    const state = (await request(app).get('/__sim/state').expect(200)).body;
    const clock = (await request(app).get('/__sim/clock').expect(200)).body;
    assert.deepEqual(state.clock, clock);
    assert.equal(clock.nowMs, Date.UTC(2026, 0, 5, 9) + 1234);
    assert.equal(clock.now, new Date(clock.nowMs).toISOString());
  });

  test('a body sent to GET /__sim/state is ignored', async () => {
    const { app } = await smallSiteSimulator();
    await request(app).get('/__sim/state').set('Content-Type', 'application/json').send('{oops').expect(200);
  });
});

describe('GET /__sim/openapi/{document}', () => {
  test('serves the seed and control documents as YAML', async () => {
    const { app } = await smallSiteSimulator();
    const seed = await request(app).get('/__sim/openapi/seed.yaml').expect(200);
    assert.match(seed.headers['content-type'] ?? '', /yaml/);
    assert.match(seed.text, /operationId: getSessions/);
    const control = await request(app).get('/__sim/openapi/control.yaml').expect(200);
    assert.match(control.text, /operationId: advanceClock/);
  });

  test('any other document is a 404', async () => {
    const { app } = await smallSiteSimulator();
    for (const doc of ['qps.yaml', '..%2Fpackage.json', 'seed.yml']) {
      const res = await request(app).get(`/__sim/openapi/${doc}`).expect(404);
      assert.equal(typeof res.body.message, 'string');
    }
  });
});
