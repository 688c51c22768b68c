import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RequestListener as App } from 'node:http';
import { MINUTE, SMALL_SITE_IDS as IDS, qps, smallSiteSimulator } from '../support/sim.js';

type Event = { seq: number; at: string; type: string; [k: string]: unknown };

/**
 * A simulator with five events after those of its start (the cluster's app.loaded): carol times out
 * (2 events), alice's hdr session is deleted (2), health fails (1). `base` is the last seq before them.
 */
async function withEvents(): Promise<{ app: App; base: number }> {
  const sim = await smallSiteSimulator();
  const base = sim.world.events.lastSeq;
  await request(sim.app).post('/__sim/clock/advance').send({ ms: MINUTE }).expect(200);
  await qps(sim.app).delete(`/hdr/qps/session/${IDS.aliceHdr}`).expect(200);
  await request(sim.app).put('/__sim/health').send({ healthy: false, reason: 'maintenance' }).expect(200);
  assert.equal(sim.world.events.lastSeq, base + 5);
  return { app: sim.app, base };
}

const get = async (app: App, query: string) =>
  (await request(app).get(`/__sim/events${query}`).expect(200)).body as Event[];

describe('GET /__sim/events', () => {
  test('lists the events, oldest first, with ISO times', async () => {
    const { app, base } = await withEvents();
    const events = await get(app, `?since=${base}`);
    assert.deepEqual(
      events.map((e) => [e.seq - base, e.type]),
      [
        [1, 'session.ended'],
        [2, 'user.loggedOut'],
        [3, 'session.ended'],
        [4, 'user.loggedOut'],
        [5, 'proxy.healthChanged'],
      ],
    );
    assert.equal(events[0]?.at, '2026-01-05T09:01:00.000Z');
    assert.deepEqual(events[4], {
      seq: base + 5,
      at: '2026-01-05T09:01:00.000Z',
      type: 'proxy.healthChanged',
      healthy: false,
      reason: 'maintenance',
    });
    const all = await get(app, '');
    assert.deepEqual(all.slice(-5), events);
    assert.deepEqual(
      all.map((e) => e.seq),
      all.map((_, i) => i + 1),
    );
  });

  test('since is exclusive', async () => {
    const { app, base } = await withEvents();
    assert.deepEqual(
      (await get(app, `?since=${base + 3}`)).map((e) => e.seq - base),
      [4, 5],
    );
    assert.deepEqual(await get(app, `?since=${base + 5}`), []);
  });

  test('type filters', async () => {
    const { app, base } = await withEvents();
    assert.deepEqual(
      (await get(app, '?type=user.loggedOut')).map((e) => e.seq - base),
      [2, 4],
    );
    assert.deepEqual(await get(app, '?type=no.such'), []);
  });

  test('limit keeps the newest', async () => {
    const { app, base } = await withEvents();
    assert.deepEqual(
      (await get(app, '?limit=2')).map((e) => e.seq - base),
      [4, 5],
    );
    assert.deepEqual(
      (await get(app, '?type=session.ended&limit=1&since=0')).map((e) => e.seq - base),
      [3],
    );
  });

  const bad: Array<[string, string]> = [
    ['?limit=abc', 'limit'],
    ['?limit=0', 'limit'],
    ['?limit=10001', 'limit'],
    ['?limit=1.5', 'limit'],
    ['?limit=', 'limit'],
    ['?since=-1', 'since'],
    ['?since=1e3', 'since'],
    ['?since=1&since=2', 'since'],
    ['?since=99999999999999999', 'since'],
  ];
  for (const [query, parameter] of bad) {
    test(`${query} is a 400 naming ${parameter}`, async () => {
      const { app } = await smallSiteSimulator();
      const res = await request(app).get(`/__sim/events${query}`).expect(400);
      assert.match(res.body.message, new RegExp(`Invalid query parameter ${parameter}: `));
    });
  }

  test('a repeated type is a 400 naming type, not a silently dropped filter', async () => {
    const { app } = await withEvents();
    const res = await request(app).get('/__sim/events?type=session.ended&type=user.loggedOut');
    assert.equal(res.status, 400, `got ${res.status}: ${res.text.slice(0, 200)}`);
    assert.match(res.body.message, /type/);
  });

  test('the log keeps at most eventLimit events', async () => {
    const sim = await smallSiteSimulator({ eventLimit: 2 });
    const base = sim.world.events.lastSeq;
    await request(sim.app)
      .post('/__sim/clock/advance')
      .send({ ms: 60 * MINUTE })
      .expect(200);
    const events = await get(sim.app, '');
    assert.equal(events.length, 2);
    assert.deepEqual(
      events.map((e) => e.seq),
      [sim.world.events.lastSeq - 1, sim.world.events.lastSeq],
    );
    assert.ok(sim.world.events.lastSeq >= base + 6, 'three sessions ended, three users logged out');
    assert.equal((await request(sim.app).get('/__sim/state').expect(200)).body.counts.events, 2);
  });
});
