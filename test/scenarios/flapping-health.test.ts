import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import request from 'supertest';
import { MINUTE, SECOND, playBundled } from '../support/scenarios.js';

const REASON = 'health probe timed out (the proxy is overloaded)';

describe('scenarios/flapping-health.yaml', () => {
  test('/health answers 503 for 20 s at the start of minutes 1 to 4, 200 otherwise, and settles after', async () => {
    const { api } = await playBundled('flapping-health');
    const expected: Array<[number, number]> = [
      [0, 200],
      [59 * SECOND, 200],
    ];
    for (let k = 1; k <= 4; k++) {
      const start = k * MINUTE;
      expected.push([start, 503], [start + 10 * SECOND, 503], [start + 20 * SECOND - 1, 503]);
      expected.push([start + 20 * SECOND, 200], [start + 59 * SECOND, 200]);
    }
    expected.push([6 * MINUTE, 200], [30 * MINUTE, 200]);
    const seen: Array<[number, number]> = [];
    for (const [at] of expected) {
      await api.at(at);
      seen.push([at, await api.health()]);
    }
    assert.deepEqual(seen, expected);
  });

  test('each failure is a scenario.step and each recovery a scenario.stepUndone, with proxy.healthChanged events', async () => {
    const { api } = await playBundled('flapping-health');
    await api.at(10 * MINUTE);
    const events = await api.events();
    const start = Date.parse(events.find((e) => e.type === 'scenario.loaded')!.at);
    const timeline = events
      .filter((e) => ['scenario.step', 'scenario.stepUndone', 'proxy.healthChanged'].includes(e.type))
      .map((e) => [(Date.parse(e.at) - start) / SECOND, e.type, e.type === 'proxy.healthChanged' ? e.healthy : e.step]);
    const expected = [60, 120, 180, 240].flatMap((s) => [
      [s, 'scenario.step', 1],
      [s, 'proxy.healthChanged', false],
      [s + 20, 'scenario.stepUndone', 1],
      [s + 20, 'proxy.healthChanged', true],
    ]);
    assert.deepEqual(timeline, expected);
    const failures = events.filter((e) => e.type === 'proxy.healthChanged' && e.healthy === false);
    assert.ok(failures.every((e) => e.reason === REASON && e.step === 1));
    const progress = await api.progress();
    assert.deepEqual(
      progress.steps.map((s) => [s.state, s.runs, s.nextRunAt]),
      [['done', 4, null]],
    );
  });

  test('the control API and the journal name the step that failed the health check', async () => {
    const { sim, api } = await playBundled('flapping-health');
    await api.at(2 * MINUTE + 5 * SECOND);
    const simHealth = (await request(sim.app).get('/__sim/health').expect(200)).body;
    assert.deepEqual(simHealth, { healthy: false, reason: REASON, step: 1 });
    const progress = await api.progress();
    assert.deepEqual(progress.active, [1]);
    assert.equal(progress.steps[0]!.runs, 2);
    assert.equal(await api.health(), 503);
    await api.at(2 * MINUTE + 30 * SECOND);
    assert.equal((await api.progress()).steps[0]!.state, 'repeating');
    assert.equal(await api.health(), 200);
    const journal = await api.requests('getProxyHealth');
    assert.deepEqual(
      journal.map((e) => [e.status, e.shapedBy]),
      [
        [503, [{ id: 'step-1', source: 'scenario', kind: 'healthFailure', step: 1 }]],
        [200, []],
      ],
    );
  });
});
