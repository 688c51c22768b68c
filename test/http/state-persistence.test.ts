import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import request from 'supertest';
import { createSimulator, type Simulator } from '../../src/index.js';

const HOUR = 3_600_000;
const future = (sim: Simulator) => JSON.stringify({ world: sim.world.dump(), scenario: sim.scenarioProgress() });

describe('saving and restoring the whole state', () => {
  test('an imported state plays on exactly as the original, event for event', async () => {
    const original = createSimulator({ seed: 'persist' });
    original.advance(2 * HOUR);
    const saved = (await request(original.app).get('/__sim/state/export').expect(200)).body;
    const copy = createSimulator({ seed: 'something else', users: 3 });
    const imported = await request(copy.app).put('/__sim/state/import').send(saved).expect(200);
    assert.equal(imported.body.seed, 'persist');
    assert.equal(imported.body.clock.now, '2026-01-05T11:00:00.000Z');
    original.advance(6 * HOUR);
    copy.advance(6 * HOUR);
    assert.equal(future(copy), future(original));
  });

  test('a restart in the middle of a scenario continues where it left off', async () => {
    const text = readFileSync('scenarios/engine-outage.yaml', 'utf8');
    const original = createSimulator();
    await request(original.app).put('/__sim/scenario').set('Content-Type', 'application/yaml').send(text).expect(200);
    original.advance(90_000);
    const saved = JSON.parse(JSON.stringify(original.exportState())) as unknown;
    const restarted = createSimulator();
    restarted.importState(saved);
    const progress = restarted.scenarioProgress();
    assert.equal(progress?.steps[0]?.state, 'active', 'engine 2 is still down');
    restarted.advance(2 * 60_000);
    original.advance(2 * 60_000);
    assert.equal(restarted.scenarioProgress()?.steps[0]?.state, 'done');
    assert.equal(future(restarted), future(original));
  });

  test('a state that does not load changes nothing and says why', async () => {
    const sim = createSimulator({ seed: 'keep' });
    const before = JSON.stringify(sim.exportState());
    for (const bad of [{}, { format: 'qps-sim/state@0' }, { ...sim.exportState(), world: { time: 'noon' } }]) {
      const res = await request(sim.app).put('/__sim/state/import').send(bad).expect(400);
      assert.match(res.body.message, /^Invalid request body: (format|options|world|not a saved|the saved state)/);
    }
    const qlik = createSimulator({ dialect: 'qlik' });
    const res = await request(sim.app).put('/__sim/state/import').send(qlik.exportState()).expect(400);
    assert.match(res.body.message, /options.dialect is qlik, but this simulator speaks seed/);
    assert.equal(JSON.stringify(sim.exportState()), before);
  });
});
