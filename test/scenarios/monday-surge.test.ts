import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MINUTE, playBundled } from '../support/scenarios.js';

/** Enough room in the logs for every event and decision of the surge. */
const ROOMY = { eventLimit: 50_000, decisionLimit: 50_000 };

describe('scenarios/monday-surge.yaml', () => {
  test('starts a three-engine site at 08:30 on a Monday', async () => {
    const { api, loaded } = await playBundled('monday-surge', ROOMY);
    assert.equal(loaded.startedAt, '2026-01-05T08:30:00.000Z');
    assert.equal((await api.clock()).now, '2026-01-05T08:30:00.000Z');
    assert.equal(new Date((await api.clock()).nowMs).getUTCDay(), 1, 'a Monday');
    const state = await api.state();
    assert.equal(state.seed, 'monday-surge');
    assert.deepEqual([state.counts.engines, state.counts.users, state.counts.sessions], [3, 600, 30]);
  });

  test('600 logins from 08:35 saturate every engine; saturated engines are still ranked, last', async () => {
    const { api } = await playBundled('monday-surge', ROOMY);
    await api.at(5 * MINUTE - 1);
    const before = await api.state();
    const calm = await api.engines();
    assert.ok(
      calm.every((e) => !e.saturated && e.cpu < 50),
      'the cluster is calm before the surge',
    );
    const seq = await api.lastEventSeq();

    await api.at(25 * MINUTE);
    const after = await api.state();
    assert.ok(
      after.counts.sessions >= before.counts.sessions + 450,
      `${before.counts.sessions} sessions before, ${after.counts.sessions} after`,
    );
    assert.ok(after.counts.sessionsByProxy.hdr >= before.counts.sessionsByProxy.hdr + 80, 'the hdr wave arrived');
    const started = await api.events({ type: 'session.started', since: seq });
    assert.ok(started.length >= 600, `${started.length} logins`);
    assert.deepEqual(await api.events({ type: 'login.denied', since: seq }), []);

    const engines = await api.engines();
    for (const engine of engines) {
      assert.equal(engine.saturated, true, `${engine.hostName} is saturated`);
      assert.ok(engine.cpu > 90, `${engine.hostName} runs at ${engine.cpu} %`);
      assert.equal(engine.status, 'up');
    }
    const saturation = await api.events({ type: 'engine.saturationChanged', since: seq });
    assert.deepEqual(
      new Set(saturation.filter((e) => e.saturated === true && e.why === 'cpu').map((e) => e.engineId)),
      new Set(engines.map((e) => e.id)),
    );
    const app = (await api.apps())[0]!.id;
    const ranking = await api.prioritize(app);
    assert.equal(ranking.length, 3, 'saturated engines are ranked last, not left out');
    const [decision] = (await api.decisions()).slice(-1);
    assert.match(decision!.reason, /saturated last: qlik-node-/);
    const progress = await api.progress();
    assert.deepEqual(
      progress.steps.map((s) => [s.kind, s.state]),
      [
        ['loginSurge', 'done'],
        ['loginSurge', 'done'],
      ],
    );
  });

  test('the first wave logs in through the default proxy; the second adds 100 through hdr from 08:40', async () => {
    const { api } = await playBundled('monday-surge', ROOMY);
    const loginsBetween = async (from: number, to: number) => {
      await api.at(from);
      const seq = await api.lastEventSeq();
      await api.at(to);
      const counts: Record<string, number> = { '': 0, hdr: 0 };
      for (const e of await api.events({ type: 'session.started', since: seq })) {
        counts[String(e.proxy)] = (counts[String(e.proxy)] ?? 0) + 1;
      }
      return counts;
    };
    const first = await loginsBetween(5 * MINUTE - 1, 10 * MINUTE - 1);
    assert.ok(first['']! >= 160, `${first['']} default-proxy logins from 08:35 to 08:40`);
    assert.ok(first.hdr! < 20, `only ordinary traffic on hdr before 08:40 (${first.hdr})`);
    const second = await loginsBetween(10 * MINUTE - 1, 20 * MINUTE);
    assert.ok(second['']! >= 330, `${second['']} default-proxy logins from 08:40 to 08:50`);
    assert.ok(second.hdr! >= 100, `${second.hdr} hdr logins from 08:40 to 08:50`);
  });
});
