import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { smallSiteSimulator } from '../support/sim.js';

describe('proxy health', () => {
  test('PUT /__sim/health marks the proxy unhealthy: /qps/health answers 503, /__sim/health says why', async () => {
    const { app } = await smallSiteSimulator();
    const res = await request(app).put('/__sim/health').send({ healthy: false, reason: 'engines down' }).expect(200);
    assert.deepEqual(res.body, { healthy: false, reason: 'engines down' });
    assert.deepEqual((await request(app).get('/__sim/health').expect(200)).body, res.body);
    const qps = await request(app).get('/qps/health').expect(503);
    assert.equal(qps.text, '', 'the contract declares no body for 503');
    await request(app).get('/hdr/qps/health').expect(503);
  });

  test('healthy again: 200, and the state says so', async () => {
    const { app } = await smallSiteSimulator();
    await request(app).put('/__sim/health').send({ healthy: false }).expect(200);
    await request(app).put('/__sim/health').send({ healthy: true }).expect(200);
    await request(app).get('/qps/health').expect(200);
    const state = (await request(app).get('/__sim/state').expect(200)).body;
    assert.deepEqual(state.health, { healthy: true, reason: 'the proxy is running' });
    const changes = (await request(app).get('/__sim/events?type=proxy.healthChanged').expect(200)).body;
    assert.deepEqual(
      changes.map((e: { healthy: boolean }) => e.healthy),
      [false, true],
    );
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['no healthy', { reason: 'x' }, /healthy is required/],
    ['healthy as a string', { healthy: 'false' }, /healthy must be boolean/],
    ['an empty reason', { healthy: false, reason: '' }, /reason/],
    ['an extra field', { healthy: false, why: 'x' }, /why is not a known field/],
  ];
  for (const [name, body, message] of invalid) {
    test(`${name} is a 400 and changes nothing`, async () => {
      const { app } = await smallSiteSimulator();
      const res = await request(app)
        .put('/__sim/health')
        .send(body as object)
        .expect(400);
      assert.match(res.body.message, message);
      await request(app).get('/qps/health').expect(200);
    });
  }
});
