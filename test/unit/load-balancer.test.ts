import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Cluster } from '../../src/domain/cluster.js';
import { createEngine, type Engine, type EngineStatus } from '../../src/domain/engine.js';
import { rankEngines, STRATEGIES, type Strategy } from '../../src/domain/load-balancer.js';
import { generateApps } from '../../src/domain/apps.js';
import { explain, rankedEngines } from '../../src/domain/decisions.js';
import { createSimulator } from '../../src/index.js';

const APPS = generateApps('lb-test', 3);
const APP = APPS[0]!.id;

interface EngineShape {
  status: EngineStatus;
  saturated: boolean;
  hasApp: boolean;
  usedMb: number;
  cpu: number;
}

const engineShape: fc.Arbitrary<EngineShape> = fc.record({
  status: fc.constantFrom<EngineStatus>('up', 'up', 'up', 'down', 'draining'),
  saturated: fc.boolean(),
  hasApp: fc.boolean(),
  usedMb: fc.integer({ min: 0, max: 32_000 }),
  cpu: fc.integer({ min: 0, max: 100 }),
});

function buildEngines(shapes: EngineShape[]): Engine[] {
  return shapes.map((shape, index) => {
    const engine = createEngine('lb-test', index, { memoryTotalMb: 32_768 }, 0);
    engine.status = shape.status;
    engine.saturated = shape.saturated;
    engine.memoryUsedMb = shape.usedMb;
    engine.cpu = shape.cpu;
    if (shape.hasApp) engine.apps.set(APP, { appId: APP, loadedAt: 0, openSessions: 1, lastUsed: 0 });
    return engine;
  });
}

function decide(cluster: Cluster, strategy: Strategy, skipSaturated = false) {
  const request = { source: 'api' as const, proxy: '', strategy, skipSaturated, userDirectory: 'D', userId: 'u' };
  const decision = cluster.decide({ ...request, app: APPS[0]! }, 0);
  return { ...decision, ranking: rankedEngines(decision, cluster), reason: explain(decision, cluster) };
}

describe('load-balancing rankings (properties)', () => {
  const cases = fc.record({
    shapes: fc.array(engineShape, { minLength: 1, maxLength: 12 }),
    strategy: fc.constantFrom(...STRATEGIES),
    cursor: fc.nat(20),
    skipSaturated: fc.boolean(),
  });

  test('never ranks a down or draining engine; ranks every other one once, saturated last or left out', () => {
    fc.assert(
      fc.property(cases, ({ shapes, strategy, cursor, skipSaturated }) => {
        const engines = buildEngines(shapes);
        const { engines: ranked } = rankEngines(engines, APP, strategy, cursor, skipSaturated);
        assert.ok(ranked.every((e) => e.status === 'up'));
        assert.equal(new Set(ranked).size, ranked.length);
        const expected = engines.filter((e) => e.status === 'up' && !(skipSaturated && e.saturated));
        assert.equal(ranked.length, expected.length);
        const firstSaturated = ranked.findIndex((e) => e.saturated);
        if (firstSaturated !== -1) assert.ok(ranked.slice(firstSaturated).every((e) => e.saturated));
      }),
    );
  });

  test('priorities are contiguous from 0 and isAppOpen tells where the app is loaded', () => {
    fc.assert(
      fc.property(cases, ({ shapes, strategy, skipSaturated }) => {
        const decision = decide(new Cluster(buildEngines(shapes), APPS, 10), strategy, skipSaturated);
        assert.deepEqual(
          decision.ranking.map((r) => r.priority),
          decision.ranking.map((_, i) => i),
        );
        for (const r of decision.ranking)
          assert.equal(r.isAppOpen, shapes[Number(r.hostName.match(/\d+/)![0]) - 1]!.hasApp);
        assert.equal(decision.chosen, decision.ranking[0]?.engineId ?? null);
      }),
    );
  });

  test('sticky puts every healthy engine with the app open before every one without', () => {
    fc.assert(
      fc.property(cases, ({ shapes, cursor }) => {
        const { engines: ranked } = rankEngines(buildEngines(shapes), APP, 'sticky', cursor, true);
        const firstWithout = ranked.findIndex((e) => !e.apps.has(APP));
        if (firstWithout !== -1) assert.ok(ranked.slice(firstWithout).every((e) => !e.apps.has(APP)));
      }),
    );
  });

  test('round robin ranks each group by position after the cursor, for the whole cluster or any list given', () => {
    fc.assert(
      fc.property(cases, fc.boolean(), ({ shapes, cursor, skipSaturated }, shuffled) => {
        const all = buildEngines(shapes);
        // The module API may name engines in any order, or only some of them.
        const given = shuffled ? [...all].reverse().filter((_, i) => i % 3 !== 1) : all;
        const { engines: ranked } = rankEngines(given, APP, 'round-robin', cursor, skipSaturated, all.length);
        const after = (e: Engine) => (e.index - cursor + all.length) % all.length;
        const byPosition = (group: Engine[]) => [...group].sort((a, b) => after(a) - after(b));
        const up = given.filter((e) => e.status === 'up');
        const saturated = skipSaturated ? [] : byPosition(up.filter((e) => e.saturated));
        assert.deepEqual(ranked, [...byPosition(up.filter((e) => !e.saturated)), ...saturated]);
      }),
    );
  });

  test('least-load ranks healthy engines by free memory', () => {
    fc.assert(
      fc.property(cases, ({ shapes, cursor }) => {
        const { engines: ranked } = rankEngines(buildEngines(shapes), APP, 'least-load', cursor, true);
        for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1]!.memoryUsedMb <= ranked[i]!.memoryUsedMb);
      }),
    );
  });
});

describe('round robin', () => {
  test('walks the up engines in order, skipping down ones, and its cursor is state', () => {
    const engines = buildEngines(
      ['up', 'down', 'up', 'up'].map((status) => ({
        status: status as EngineStatus,
        saturated: false,
        hasApp: false,
        usedMb: 0,
        cpu: 0,
      })),
    );
    const cluster = new Cluster(engines, APPS, 10);
    const chosen = Array.from({ length: 6 }, () => decide(cluster, 'round-robin').ranking[0]!.hostName);
    assert.deepEqual(
      chosen.map((h) => h.match(/\d+/)![0]),
      ['1', '3', '4', '1', '3', '4'],
    );
  });

  test('sticky sends a user to the engine that has the app open, whatever the cursor', () => {
    const shapes: EngineShape[] = [false, false, true, false].map((hasApp) => ({
      status: 'up',
      saturated: false,
      hasApp,
      usedMb: 0,
      cpu: 0,
    }));
    const cluster = new Cluster(buildEngines(shapes), APPS, 10);
    for (let i = 0; i < 3; i++) assert.match(decide(cluster, 'sticky').ranking[0]!.hostName, /node-3/);
    assert.match(decide(cluster, 'sticky').reason, /sticky: the app was open on/);
  });

  test('a prioritize call on an unknown app is a bad request naming appId', () => {
    const { world } = createSimulator({ seed: 'lb-test', traffic: false });
    assert.throws(
      () => world.prioritize('', { userDirectory: 'D', userId: 'u', appId: '00000000-0000-4000-8000-000000000000' }),
      (error: Error & { kind?: string }) => error.kind === 'badRequest' && /appId/.test(error.message),
    );
  });
});
