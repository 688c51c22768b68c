import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { smallSiteSimulator } from '../support/sim.js';

const START = Date.UTC(2026, 0, 5, 9);
const newApp = async () => (await smallSiteSimulator()).app;

describe('POST /__sim/clock/advance', () => {
  test('moves simulated time and answers with the clock', async () => {
    const sim = await smallSiteSimulator();
    const res = await request(sim.app).post('/__sim/clock/advance').send({ ms: 90_000 }).expect(200);
    assert.deepEqual(res.body, {
      now: '2026-01-05T09:01:30.000Z',
      nowMs: START + 90_000,
      mode: 'manual',
      speed: 1,
      paused: false,
    });
    assert.equal(sim.clock.now(), START + 90_000);
    assert.equal(sim.world.now, START + 90_000);
    await request(sim.app).post('/__sim/clock/advance').send({ ms: 0 }).expect(200);
    assert.equal(sim.clock.now(), START + 90_000);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['a missing ms', {}, /ms is required/],
    ['a negative ms', { ms: -1 }, /ms must be >= 0/],
    ['ms as a string', { ms: '5' }, /ms must be integer/],
    ['a fractional ms', { ms: 1.5 }, /ms must be integer/],
    ['more than a year', { ms: 31_536_000_001 }, /ms must be <=/],
    ['an extra field', { ms: 1, speed: 2 }, /speed is not a known field/],
    ['an array', [1], /body must be object/],
  ];
  for (const [name, body, message] of invalid) {
    test(`${name} is a 400 naming the field`, async () => {
      const app = await newApp();
      const res = await request(app)
        .post('/__sim/clock/advance')
        .send(body as object)
        .expect(400);
      assert.deepEqual(Object.keys(res.body), ['message']);
      assert.match(res.body.message, /^Invalid request body: /);
      assert.match(res.body.message, message);
    });
  }

  test('a rejected body leaves the clock alone', async () => {
    const sim = await smallSiteSimulator();
    await request(sim.app).post('/__sim/clock/advance').send({ ms: -5 }).expect(400);
    assert.equal(sim.clock.now(), START);
  });

  test('no body at all is a 400', async () => {
    const app = await newApp();
    const res = await request(app).post('/__sim/clock/advance').expect(400);
    assert.match(res.body.message, /body is required/);
  });

  test('malformed JSON is a 400 that says so', async () => {
    const app = await newApp();
    const res = await request(app)
      .post('/__sim/clock/advance')
      .set('Content-Type', 'application/json')
      .send('{"ms": 1,')
      .expect(400);
    assert.match(res.body.message, /not valid JSON/);
  });

  test('a body over 100 kB is a 413', async () => {
    const app = await newApp();
    const body = JSON.stringify({ ms: 1, padding: 'x'.repeat(101 * 1024) });
    const res = await request(app)
      .post('/__sim/clock/advance')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(413);
    assert.match(res.body.message, /100kb/);
  });

  test('a body under 100 kB is read (and refused for its extra field, not its size)', async () => {
    const app = await newApp();
    const body = JSON.stringify({ ms: 1, padding: 'x'.repeat(90 * 1024) });
    await request(app).post('/__sim/clock/advance').set('Content-Type', 'application/json').send(body).expect(400);
  });

  test('a text/plain body is a 415', async () => {
    const app = await newApp();
    const res = await request(app)
      .post('/__sim/clock/advance')
      .set('Content-Type', 'text/plain')
      .send('{"ms": 1}')
      .expect(415);
    assert.match(res.body.message, /text\/plain/);
  });

  test('application/json with a charset, or a +json type, is accepted', async () => {
    const app = await newApp();
    await request(app)
      .post('/__sim/clock/advance')
      .set('Content-Type', 'application/json; charset=utf-8')
      .send('{"ms": 1}')
      .expect(200);
    await request(app)
      .post('/__sim/clock/advance')
      .set('Content-Type', 'application/merge-patch+json')
      .send('{"ms": 1}')
      .expect(200);
  });

  test('a __proto__ key is refused and pollutes nothing', async () => {
    const sim = await smallSiteSimulator();
    const res = await request(sim.app)
      .post('/__sim/clock/advance')
      .set('Content-Type', 'application/json')
      .send('{"__proto__": {"polluted": true}, "ms": 1}')
      .expect(400);
    assert.match(res.body.message, /__proto__/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assert.equal(sim.clock.now(), START);
  });

  test('a constructor.prototype key is refused too', async () => {
    const app = await newApp();
    await request(app)
      .post('/__sim/clock/advance')
      .set('Content-Type', 'application/json')
      .send('{"constructor": {"prototype": {"polluted": true}}, "ms": 1}')
      .expect(400);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
