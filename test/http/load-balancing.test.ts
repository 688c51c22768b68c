import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import request from 'supertest';
import { createSimulator } from '../../src/index.js';

const KEY = 'abcdefghij012345';
const prioritize = (sim: ReturnType<typeof createSimulator>, body: unknown, prefix = '') =>
  request(sim.app)
    .post(`${prefix}/qps/loadbalancing/prioritize?Xrfkey=${KEY}`)
    .set('X-Qlik-Xrfkey', KEY)
    .set('Content-Type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));

function site() {
  const sim = createSimulator({ seed: 'lb-http', traffic: false });
  const app = sim.world.cluster.apps[0]!;
  return { sim, app, body: { userDirectory: 'CORP', userId: 'jane', appId: app.id } };
}

describe('POST /qps/loadbalancing/prioritize', () => {
  test('ranks the up engines best first with contiguous priorities and isAppOpen', async () => {
    const { sim, app, body } = site();
    const res = await prioritize(sim, body).expect(200);
    const services = res.body.engineServices as Array<Record<string, unknown>>;
    assert.equal(services.length, 4);
    assert.deepEqual(
      services.map((s) => s.priority),
      [0, 1, 2, 3],
    );
    for (const s of services) {
      const engine = sim.world.cluster.engine(String(s.engineId));
      assert.equal(s.hostName, engine.hostName);
      assert.equal(s.port, 4747);
      assert.equal(s.isAppOpen, engine.apps.has(app.id));
    }
  });

  test('round robin moves on with each call; down engines never appear', async () => {
    const { sim, body } = site();
    const first = (await prioritize(sim, body)).body.engineServices[0].engineId;
    const second = (await prioritize(sim, body)).body.engineServices[0].engineId;
    assert.notEqual(first, second);
    await request(sim.app).put(`/__sim/cluster/engines/${second}`).send({ status: 'down' }).expect(200);
    for (let i = 0; i < 6; i++) {
      const ids = (await prioritize(sim, body)).body.engineServices.map((s: { engineId: string }) => s.engineId);
      assert.equal(ids.length, 3);
      assert.ok(!ids.includes(second));
    }
  });

  test('switching the strategy changes the decisions, per virtual proxy', async () => {
    const { sim, app, body } = site();
    await request(sim.app).put('/__sim/load-balancing').send({ strategy: 'sticky', virtualProxy: 'hdr' }).expect(200);
    const open = sim.world.cluster.engines.filter((e) => e.apps.has(app.id)).map((e) => e.id);
    assert.ok(open.length > 0, 'the most popular app is open somewhere');
    for (let i = 0; i < 4; i++) {
      const top = (await prioritize(sim, body, '/hdr')).body.engineServices[0];
      assert.ok(open.includes(top.engineId) && top.isAppOpen);
    }
    const lb = await request(sim.app).get('/__sim/load-balancing').expect(200);
    assert.deepEqual(lb.body.virtualProxies, [
      { prefix: '', strategy: 'round-robin' },
      { prefix: 'hdr', strategy: 'sticky' },
    ]);
  });

  test('every decision is recorded with who, which app, the ranking, the strategy and why', async () => {
    const { sim, app, body } = site();
    const before = sim.world.cluster.decisions.lastSeq;
    await prioritize(sim, body, '/hdr').expect(200);
    const res = await request(sim.app).get(`/__sim/decisions?since=${before}`).expect(200);
    assert.equal(res.body.length, 1);
    const [decision] = res.body;
    assert.equal(decision.source, 'api');
    assert.equal(decision.proxy, 'hdr');
    assert.equal(decision.userId, 'jane');
    assert.equal(decision.appId, app.id);
    assert.equal(decision.appName, app.name);
    assert.equal(decision.strategy, 'round-robin');
    assert.equal(decision.ranking.length, 4);
    assert.equal(decision.chosen, decision.ranking[0].engineId);
    assert.match(decision.reason, /round robin/);
  });

  test('no engine up: an empty ranking, and /health answers 503 until one returns', async () => {
    const { sim, body } = site();
    for (const e of sim.world.cluster.engines) {
      await request(sim.app).put(`/__sim/cluster/engines/${e.id}`).send({ status: 'down' }).expect(200);
    }
    assert.deepEqual((await prioritize(sim, body).expect(200)).body, { engineServices: [] });
    await request(sim.app).get('/qps/health').expect(503);
    assert.match((await request(sim.app).get('/__sim/health')).body.reason, /no engine is up/);
    const engine = sim.world.cluster.engines[1]!;
    await request(sim.app).put(`/__sim/cluster/engines/${engine.id}`).send({ status: 'up' }).expect(200);
    await request(sim.app).get('/qps/health').expect(200);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['a missing appId', { userDirectory: 'D', userId: 'u' }, /appId is required/],
    ['a missing userId', { userDirectory: 'D', appId: '3f2b1c4e-8d7a-4b6e-9f10-2a3b4c5d6e7f' }, /userId is required/],
    ['a non-uuid appId', { userDirectory: 'D', userId: 'u', appId: 'sales' }, /appId must be/],
    [
      'a number for userId',
      { userDirectory: 'D', userId: 7, appId: '3f2b1c4e-8d7a-4b6e-9f10-2a3b4c5d6e7f' },
      /userId must be string/,
    ],
    ['an array body', '[1,2]', /body must be object/],
    ['malformed JSON', '{"userId": ', /not valid JSON/],
    [
      'an unknown app',
      { userDirectory: 'D', userId: 'u', appId: '3f2b1c4e-8d7a-4b6e-9f10-2a3b4c5d6e7f' },
      /appId is not an app/,
    ],
    ['an empty body', '', /body is required/],
  ];
  for (const [what, body, message] of invalid) {
    test(`400 with the Error body for ${what}`, async () => {
      const { sim } = site();
      const res = await prioritize(sim, body).expect(400);
      assert.match(res.body.message, message);
    });
  }

  test('400 for a body that is not JSON, and for one over the size limit', async () => {
    const { sim } = site();
    const text = await request(sim.app)
      .post(`/qps/loadbalancing/prioritize?Xrfkey=${KEY}`)
      .set('X-Qlik-Xrfkey', KEY)
      .set('Content-Type', 'text/plain')
      .send('userId=u')
      .expect(400);
    assert.match(text.body.message, /Content-Type "text\/plain" is not accepted/);
    const huge = await prioritize(sim, { userDirectory: 'D', userId: 'x'.repeat(200_000), appId: 'a' }).expect(400);
    assert.match(huge.body.message, /larger than the 100kb limit/);
  });

  test('a __proto__ key neither pollutes prototypes nor fails the request', async () => {
    const { sim, body } = site();
    await prioritize(sim, `{"__proto__": {"polluted": true}, ${JSON.stringify(body).slice(1)}`).expect(200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
