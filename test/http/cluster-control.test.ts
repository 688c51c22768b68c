import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import request from 'supertest';
import { createSimulator } from '../../src/index.js';

describe('the control API for time and the cluster', () => {
  test('PUT /__sim/clock pauses, resumes and changes the speed of the realtime clock', async () => {
    let wall = 1_000_000;
    const sim = createSimulator({ clock: 'realtime', speed: 60, traffic: false, wallNow: () => wall });
    const start = sim.clock.now();
    wall += 1_000;
    assert.equal(sim.clock.now(), start + 60_000, 'one real second is a simulated minute');
    const paused = await request(sim.app).put('/__sim/clock').send({ paused: true }).expect(200);
    assert.equal(paused.body.paused, true);
    wall += 5_000;
    assert.equal(sim.clock.now(), start + 60_000, 'paused time stands still');
    const resumed = await request(sim.app).put('/__sim/clock').send({ paused: false, speed: 1 }).expect(200);
    assert.deepEqual([resumed.body.paused, resumed.body.speed], [false, 1]);
    wall += 2_000;
    assert.equal(sim.clock.now(), start + 62_000);
    await request(sim.app).put('/__sim/clock').send({ speed: 0 }).expect(400);
    await request(sim.app).put('/__sim/clock').send({}).expect(400);
  });

  test('GET /__sim/cluster shows each engine with its figures, apps and recent history', async () => {
    const sim = createSimulator({ seed: 'cluster', traffic: false });
    sim.advance(60_000);
    const { body } = await request(sim.app).get('/__sim/cluster').expect(200);
    assert.equal(body.engines.length, 4);
    assert.equal(body.apps.length, 12);
    const [engine] = body.engines;
    assert.equal(engine.port, 4747);
    assert.equal(engine.status, 'up');
    assert.equal(engine.history.length, 13, 'a sample every 5 simulated seconds');
    assert.equal(engine.memory.freeMb, engine.memory.totalMb - engine.memory.usedMb);
    const sessions = body.engines.reduce((sum: number, e: { sessions: number }) => sum + e.sessions, 0);
    assert.equal(sessions, sim.world.sessions.size, 'every starting session has an app open on some engine');
  });

  test('a draining engine keeps its sessions but is ranked no more; an unknown engine is a 404', async () => {
    const sim = createSimulator({ seed: 'drain', traffic: false, sessions: 30 });
    const engine = sim.world.cluster.engines.find((e) => e.sessions.size > 0)!;
    const held = engine.sessions.size;
    const res = await request(sim.app).put(`/__sim/cluster/engines/${engine.id}`).send({ status: 'draining' });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'draining');
    assert.equal(engine.sessions.size, held);
    const app = sim.world.cluster.apps[0]!;
    const decision = sim.world.prioritize('', { userDirectory: 'D', userId: 'u', appId: app.id });
    assert.ok(!decision.engineIds.includes(engine.id));
    const missing = await request(sim.app).put('/__sim/cluster/engines/nope').send({ status: 'up' }).expect(404);
    assert.match(missing.body.message, /No engine with id "nope"/);
    await request(sim.app).put(`/__sim/cluster/engines/${engine.id}`).send({ status: 'sideways' }).expect(400);
  });

  test('a CPU spike saturates an engine after 30 s above 90 %, and the load balancer ranks it last', async () => {
    const sim = createSimulator({ seed: 'spike', traffic: false });
    const engine = sim.world.cluster.engines[0]!;
    await request(sim.app).put(`/__sim/cluster/engines/${engine.id}`).send({ cpuSpike: 100 }).expect(200);
    await request(sim.app).post('/__sim/clock/advance').send({ ms: 120_000 }).expect(200);
    assert.equal(engine.saturated, true);
    const app = sim.world.cluster.apps[0]!;
    for (let i = 0; i < 4; i++) {
      const decision = sim.world.prioritize('', { userDirectory: 'D', userId: 'u', appId: app.id });
      assert.equal(decision.engineIds.at(-1), engine.id);
    }
  });
});
