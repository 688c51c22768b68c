import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RequestListener as App } from 'node:http';
import { createSimulator } from '../../src/simulator.js';
import { qps } from '../support/sim.js';

const text = async (app: App, path: string) => (await qps(app).get(path).expect(200)).text;
const stateText = async (app: App) => (await request(app).get('/__sim/state').expect(200)).text;

/** The same requests, in the same order, on any simulator; every response as status + body. */
async function script(app: App): Promise<string[]> {
  const out: string[] = [];
  const record = (res: request.Response) => out.push(`${res.status} ${res.text}`);
  const list = await qps(app).get('/qps/session');
  record(list);
  const [first, second] = list.body as Array<{ sessionId: string; userDirectory: string; userId: string }>;
  assert.ok(first && second);
  record(await qps(app).delete(`/qps/session/${first.sessionId}`));
  record(await qps(app).get(`/qps/user/${second.userDirectory}/${second.userId}`));
  record(
    await request(app)
      .post('/__sim/clock/advance')
      .send({ ms: 17 * 60_000 }),
  );
  record(await qps(app).get('/hdr/qps/session'));
  record(await qps(app).delete(`/qps/user/${second.userDirectory}/${second.userId}`));
  record(
    await request(app)
      .post('/__sim/clock/advance')
      .send({ ms: 90 * 60_000 }),
  );
  record(await request(app).get('/__sim/events'));
  record(await request(app).get('/__sim/state'));
  return out;
}

describe('determinism', () => {
  test('the same seed gives byte-identical sessions and state', async () => {
    const a = createSimulator({ seed: 'byte-identical' });
    const b = createSimulator({ seed: 'byte-identical' });
    assert.equal(await text(a.app, '/qps/session'), await text(b.app, '/qps/session'));
    assert.equal(await text(a.app, '/hdr/qps/session'), await text(b.app, '/hdr/qps/session'));
    assert.equal(await stateText(a.app), await stateText(b.app));
  });

  test('another seed gives other sessions and state', async () => {
    const a = createSimulator({ seed: 'one' });
    const b = createSimulator({ seed: 'two' });
    assert.notEqual(await text(a.app, '/qps/session'), await text(b.app, '/qps/session'));
    assert.notEqual(await stateText(a.app), await stateText(b.app));
  });

  test('the same seed and the same requests give the same responses', async () => {
    const a = await script(createSimulator({ seed: 'replay' }).app);
    const b = await script(createSimulator({ seed: 'replay' }).app);
    assert.deepEqual(b, a);
  });

  test('two simulators never share state', async () => {
    const a = createSimulator({ seed: 'shared?' });
    const b = createSimulator({ seed: 'shared?' });
    const before = await text(b.app, '/qps/session');
    const [victim] = (await qps(a.app).get('/qps/session').expect(200)).body as Array<{ sessionId: string }>;
    assert.ok(victim);
    await qps(a.app).delete(`/qps/session/${victim.sessionId}`).expect(200);
    await qps(a.app).get(`/qps/session/${victim.sessionId}`).expect(404);
    await qps(b.app).get(`/qps/session/${victim.sessionId}`).expect(200);
    await request(a.app).post('/__sim/clock/advance').send({ ms: 3_600_000 }).expect(200);
    await request(a.app).put('/__sim/health').send({ healthy: false }).expect(200);
    assert.equal(await text(b.app, '/qps/session'), before);
    assert.equal(await stateText(b.app), await stateText(createSimulator({ seed: 'shared?' }).app));
    await request(b.app).get('/qps/health').expect(200);
  });

  test('POST /__sim/reset restores the seeded start, as a fresh simulator has it', async () => {
    const sim = createSimulator({ seed: 'reset' });
    const fresh = createSimulator({ seed: 'reset' });
    const freshSessions = await text(fresh.app, '/qps/session');
    await text(sim.app, '/qps/session'); // cached before the changes
    await script(sim.app);
    await request(sim.app).put('/__sim/health').send({ healthy: false, reason: 'test' }).expect(200);

    const reset = await request(sim.app).post('/__sim/reset').expect(200);
    assert.equal(await text(sim.app, '/qps/session'), freshSessions);
    assert.equal(await text(sim.app, '/hdr/qps/session'), await text(fresh.app, '/hdr/qps/session'));
    // The state is the fresh one but for the event the reset itself records.
    const expected = JSON.parse(await stateText(fresh.app));
    expected.counts.events += 1;
    assert.deepEqual(reset.body, expected);
    assert.deepEqual(JSON.parse(await stateText(sim.app)), expected);
    const events = (await request(sim.app).get('/__sim/events').expect(200)).body;
    const freshEvents = (await request(fresh.app).get('/__sim/events').expect(200)).body;
    assert.deepEqual(events.slice(0, -1), freshEvents);
    assert.equal(events.at(-1).type, 'simulator.reset');
    await request(sim.app).get('/qps/health').expect(200);
    // And it behaves like the fresh one from there on.
    assert.deepEqual((await script(sim.app)).slice(0, -2), (await script(fresh.app)).slice(0, -2));
  });
});
