import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import request from 'supertest';
import { createSimulator } from '../../src/index.js';

const TOKEN = 's3cret-token-for-tests';

describe('who may use the control API', () => {
  test('without a token: clients on loopback only (supertest connects from 127.0.0.1)', async () => {
    const sim = createSimulator();
    await request(sim.app).get('/__sim/state').expect(200);
    const { server, url } = await sim.listen(0, '127.0.0.1');
    try {
      assert.equal((await fetch(`${url}/__sim/state`)).status, 200);
      assert.ok(server.listening);
    } finally {
      await sim.close();
    }
  });

  test('with a token: 401 without it or with another, 200 with it as a bearer or ?token=', async () => {
    const sim = createSimulator({ controlToken: TOKEN });
    const missing = await request(sim.app).get('/__sim/state').expect(401);
    assert.match(missing.body.message, /needs its token/);
    assert.match(missing.headers['www-authenticate'] ?? '', /^Bearer/);
    await request(sim.app).get('/__sim/state').set('Authorization', 'Bearer wrong-token-xx').expect(401);
    await request(sim.app).get('/__sim/state').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    await request(sim.app).post('/__sim/reset').query({ token: TOKEN }).expect(200);
    await request(sim.app).get('/__sim/ui').expect(200);
  });

  test('the QPS API itself never needs the control token', async () => {
    const sim = createSimulator({ controlToken: TOKEN });
    const key = 'abcdefghij012345';
    await request(sim.app).get(`/qps/session?xrfkey=${key}`).set('X-Qlik-Xrfkey', key).expect(200);
  });

  test('a token shorter than 8 characters is refused as an option', () => {
    assert.throws(() => createSimulator({ controlToken: 'short' }), /controlToken/);
  });
});
