import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MINUTE, SECOND, playBundled } from '../support/scenarios.js';

describe('scenarios/hot-engine.yaml', () => {
  test('engine 1 saturates under the runaway reload and is left out of rankings until it cools down', async () => {
    const { api } = await playBundled('hot-engine');
    const app = (await api.apps())[0]!.id;
    const rankedIds = async () => {
      const rankings = await Promise.all([1, 2, 3, 4].map((i) => api.prioritize(app, `u${i}`)));
      return new Set(rankings.flat().map((e) => e.engineId));
    };

    await api.at(MINUTE - 1);
    const calm = (await api.engines())[0]!;
    assert.deepEqual([calm.saturated, calm.cpuSpike], [false, 0]);
    assert.ok(calm.cpu < 50);
    assert.ok((await rankedIds()).has(calm.id), 'engine 1 is ranked before the reload');
    const seq = await api.lastEventSeq();

    await api.at(2 * MINUTE + 30 * SECOND);
    const hot = (await api.engines())[0]!;
    assert.deepEqual([hot.saturated, hot.cpuSpike, hot.status], [true, 100, 'up']);
    assert.ok(hot.cpu > 90, `engine 1 at ${hot.cpu} %`);
    const saturation = await api.events({ type: 'engine.saturationChanged', since: seq });
    assert.deepEqual(
      saturation.map((e) => [e.engineId, e.saturated, e.why]),
      [[hot.id, true, 'cpu']],
    );
    const lag = Date.parse(saturation[0]!.at) - Date.parse((await api.progress()).startedAt) - MINUTE;
    assert.ok(lag >= 30 * SECOND, `saturated ${lag / SECOND} s after the reload started: 30 s above 90 % first`);
    const ranked = await rankedIds();
    assert.ok(!ranked.has(hot.id), 'skipSaturated: engine 1 is left out');
    assert.equal(ranked.size, 3);
    const [decision] = (await api.decisions()).slice(-1);
    assert.match(decision!.reason, /not eligible: qlik-node-1\S* \(saturated\)/);

    await api.at(11 * MINUTE + 30 * SECOND);
    const cooled = (await api.engines())[0]!;
    assert.deepEqual([cooled.saturated, cooled.cpuSpike], [false, 0]);
    assert.ok((await rankedIds()).has(cooled.id), 'engine 1 is ranked again');
    const recovered = await api.events({ type: 'engine.saturationChanged', since: seq });
    assert.deepEqual(
      recovered.map((e) => [e.saturated, e.why]),
      [
        [true, 'cpu'],
        [false, 'recovered'],
      ],
    );
  });

  test('engine 3 carries 40 % more CPU from 2 to 7 min, busy but never left out', async () => {
    const { api } = await playBundled('hot-engine');
    const app = (await api.apps())[0]!.id;
    await api.at(2 * MINUTE - 1);
    const before = (await api.engines())[2]!;
    assert.equal(before.cpuSpike, 0);
    await api.at(4 * MINUTE);
    const busy = (await api.engines())[2]!;
    assert.equal(busy.cpuSpike, 40);
    assert.ok(busy.cpu >= before.cpu + 30, `engine 3 from ${before.cpu} % to ${busy.cpu} %`);
    assert.equal(busy.saturated, false);
    const rankings = await Promise.all([1, 2, 3].map((i) => api.prioritize(app, `u${i}`)));
    assert.ok(rankings.every((r) => r.some((e) => e.engineId === busy.id)));
    await api.at(7 * MINUTE);
    assert.equal((await api.engines())[2]!.cpuSpike, 0);
    const progress = await api.progress();
    assert.deepEqual(
      progress.steps.map((s) => [s.kind, s.state]),
      [
        ['saturate', 'active'],
        ['loadSpike', 'done'],
      ],
    );
  });
});
