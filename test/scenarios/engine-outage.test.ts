import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MINUTE, SECOND, playBundled } from '../support/scenarios.js';

describe('scenarios/engine-outage.yaml', () => {
  test('resets the site with its seed and settings, and shows the outage as the next step', async () => {
    const { api, loaded } = await playBundled('engine-outage');
    assert.equal(loaded.name, 'Engine outage and failover');
    assert.equal(loaded.resetsSite, true);
    assert.deepEqual(
      loaded.steps.map((s) => [s.kind, s.state, s.runs]),
      [['engineDown', 'pending', 0]],
    );
    const state = await api.state();
    assert.equal(state.seed, 'outage-demo');
    assert.equal(state.counts.engines, 4);
    assert.equal(state.counts.sessions, 40);
    assert.equal(loaded.next?.at, new Date(Date.parse(loaded.startedAt) + MINUTE).toISOString());
  });

  test('engine 2 goes down at 60 s: its apps close, the proxy sessions survive, the balancer routes around it', async () => {
    const { api } = await playBundled('engine-outage');
    const app = (await api.apps())[0]!.id;

    await api.at(59 * SECOND);
    const before = await api.engines();
    const engine2 = before[1]!;
    assert.equal(engine2.status, 'up');
    assert.ok(engine2.sessions > 0, 'engine 2 serves sessions before the outage');
    const ranked = new Set(
      (await Promise.all([1, 2, 3, 4].map(() => api.prioritize(app)))).flat().map((e) => e.engineId),
    );
    assert.ok(ranked.has(engine2.id), 'engine 2 is ranked before the outage');
    const seq = await api.lastEventSeq();
    const decisionsBefore = (await api.decisions()).at(-1)?.seq ?? 0;

    await api.at(MINUTE);
    const during = await api.engines();
    assert.deepEqual(
      during.map((e) => e.status),
      ['up', 'down', 'up', 'up'],
    );
    assert.equal(during[1]!.sessions, 0);
    const changed = await api.events({ type: 'engine.statusChanged', since: seq });
    assert.deepEqual(
      changed.map((e) => [e.engineId, e.from, e.to]),
      [[engine2.id, 'up', 'down']],
    );
    const closed = await api.events({ type: 'session.appsClosed', since: seq });
    assert.equal(closed.length, engine2.sessions, 'one session.appsClosed per session that had an app there');
    assert.ok(closed.every((e) => e.engineId === engine2.id && e.reason === 'engineDown'));
    const ended = new Set((await api.events({ type: 'session.ended', since: seq })).map((e) => e.sessionId));
    assert.ok(
      closed.every((e) => !ended.has(e.sessionId)),
      'the proxy sessions survive the outage',
    );
    assert.equal(await api.health(), 200, 'three engines up: the proxy stays healthy');

    for (let i = 0; i < 4; i++) {
      const ranking = await api.prioritize(app);
      assert.equal(ranking.length, 3);
      assert.ok(!ranking.some((e) => e.engineId === engine2.id));
    }
    await api.at(2 * MINUTE);
    const meanwhile = (await api.decisions(decisionsBefore)).filter((d) => d.seq > decisionsBefore);
    assert.ok(meanwhile.length >= 4);
    for (const decision of meanwhile) {
      assert.ok(!decision.ranking.some((e) => e.engineId === engine2.id));
      assert.match(decision.reason, /not eligible: qlik-node-2\S* \(down\)/);
    }
    const progress = await api.progress();
    assert.deepEqual(progress.active, [1]);
    assert.equal(progress.steps[0]!.state, 'active');
  });

  test('engine 2 recovers at 3 min and is ranked again; the step is done', async () => {
    const { api } = await playBundled('engine-outage');
    const app = (await api.apps())[0]!.id;
    await api.at(3 * MINUTE - 1);
    assert.equal((await api.engines())[1]!.status, 'down');
    await api.at(3 * MINUTE);
    const engines = await api.engines();
    assert.deepEqual(
      engines.map((e) => e.status),
      ['up', 'up', 'up', 'up'],
    );
    const rankings = await Promise.all([1, 2, 3, 4].map(() => api.prioritize(app)));
    assert.ok(rankings.every((r) => r.length === 4));
    const undone = await api.events({ type: 'scenario.stepUndone' });
    assert.deepEqual(
      undone.map((e) => [e.step, e.kind, e.label]),
      [[1, 'engineDown', 'engine 2 fails']],
    );
    const progress = await api.progress();
    assert.deepEqual(
      progress.steps.map((s) => [s.state, s.runs]),
      [['done', 1]],
    );
    assert.equal(progress.next, null);
  });
});
