import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSimulator } from '../../src/index.js';
import { MINUTE, bundledText, client, playBundled, type Api } from '../support/scenarios.js';

const ROOMY = { eventLimit: 50_000, decisionLimit: 50_000 };

/** Copies of apps loaded over the cluster, and app loads so far. */
async function appCopies(api: Api) {
  const engines = await api.engines();
  return {
    copies: engines.reduce((sum, e) => sum + e.apps.length, 0),
    loads: (await api.events({ type: 'app.loaded' })).length,
  };
}

describe('scenarios/sticky-afternoon.yaml', () => {
  test('sets up a Wednesday afternoon, 4 engines, 40 apps, sticky on every virtual proxy', async () => {
    const { api, loaded } = await playBundled('sticky-afternoon', ROOMY);
    assert.equal(loaded.startedAt, '2026-01-07T13:30:00.000Z');
    const state = await api.state();
    assert.deepEqual([state.counts.engines, state.counts.apps], [4, 40]);
    assert.deepEqual(
      state.virtualProxies.map((p: { prefix: string; loadBalancing: string }) => [p.prefix, p.loadBalancing]),
      [
        ['', 'sticky'],
        ['hdr', 'sticky'],
      ],
    );
    assert.deepEqual((await api.decisions()).map((d) => d.strategy).slice(0, 3), ['sticky', 'sticky', 'sticky']);
  });

  test('during the wave, users are sent to engines that already have their app open', async () => {
    const { api } = await playBundled('sticky-afternoon', ROOMY);
    await api.at(5 * MINUTE - 1);
    const since = (await api.decisions()).at(-1)?.seq ?? 0;
    await api.at(30 * MINUTE);
    const wave = (await api.decisions(since)).filter((d) => d.source === 'simulation');
    assert.ok(wave.length >= 200, `${wave.length} placements`);
    assert.ok(wave.every((d) => d.strategy === 'sticky'));
    const reused = wave.filter((d) => d.reason.startsWith('sticky: the app was open on'));
    assert.ok(reused.length >= wave.length * 0.7, `${reused.length} of ${wave.length} placed where the app was open`);
    for (const decision of reused) {
      // Among the engines that are not saturated, those with the app open come first.
      const healthy = decision.ranking.filter((r) => !r.saturated).map((r) => r.isAppOpen);
      assert.ok(healthy[0], decision.reason);
      assert.deepEqual(
        healthy,
        [...healthy].sort((a, b) => Number(b) - Number(a)),
      );
    }

    // An app open on some engine: prioritize keeps pointing there instead of rotating.
    const engines = await api.engines();
    const holder = engines.find((e) => !e.saturated && e.apps.some((a) => a.openSessions > 0));
    assert.ok(holder, 'an unsaturated engine has an app open');
    const appId = holder.apps.find((a) => a.openSessions > 0)!.appId;
    const firsts = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const ranking = await api.prioritize(appId, `user${i}`);
      assert.equal(ranking[0]!.isAppOpen, true);
      firsts.add(ranking[0]!.engineId);
    }
    assert.equal(firsts.size, 1, 'the same engine comes first every time');
  });

  test('sticky keeps far fewer copies of each app in memory than the same afternoon under round robin', async () => {
    const sticky = await playBundled('sticky-afternoon', ROOMY);
    const roundRobinText = bundledText('sticky-afternoon').replace('lbStrategy: sticky', 'lbStrategy: round-robin');
    assert.notEqual(roundRobinText, bundledText('sticky-afternoon'));
    const roundRobin = client(createSimulator(ROOMY).app);
    await roundRobin.load(roundRobinText);
    await sticky.api.at(30 * MINUTE);
    await roundRobin.at(30 * MINUTE);
    const [s, r] = [await appCopies(sticky.api), await appCopies(roundRobin)];
    assert.equal((await sticky.api.state()).counts.sessions, (await roundRobin.state()).counts.sessions);
    assert.ok(s.copies <= r.copies * 0.7, `sticky: ${s.copies} copies loaded, round robin: ${r.copies}`);
    assert.ok(s.loads <= r.loads * 0.7, `sticky: ${s.loads} app loads, round robin: ${r.loads}`);
  });
});
