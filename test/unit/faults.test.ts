import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Faults, NO_FAULT, type FaultSpec } from '../../src/domain/faults.js';

const error = (status: number, extra: Partial<FaultSpec> = {}): FaultSpec => ({
  operations: ['getSessions'],
  effect: { kind: 'error', status },
  ...extra,
});

describe('fault rules', () => {
  test('no rule, no fault; a rule applies only to its operations (or to all with *)', () => {
    const faults = new Faults(1);
    assert.equal(faults.judge('getSessions', 0), NO_FAULT);
    faults.add(error(500), 'scenario', { id: 'step-1', step: 1 });
    assert.equal(faults.judge('getSession', 0).status, undefined);
    assert.equal(faults.judge('getSessions', 0).status, 500);
    faults.add({ operations: ['*'], effect: { kind: 'latency', latency: { fixedMs: 7 } } }, 'runtime', {});
    assert.equal(faults.judge('getProxyAbout', 0).delayMs, 7);
  });

  test('run-time rules win over scenario rules', () => {
    const faults = new Faults(1);
    faults.add(error(500), 'scenario', { id: 'step-1', step: 1 });
    const runtime = faults.add(error(503), 'runtime', {});
    const verdict = faults.judge('getSessions', 0);
    assert.equal(verdict.status, 503);
    assert.deepEqual(verdict.shapedBy, [{ id: runtime.id, source: 'runtime', kind: 'error' }]);
  });

  test('firstCalls hits only the first N matching calls', () => {
    const faults = new Faults(1);
    faults.add(error(500, { firstCalls: 2 }), 'runtime', {});
    const statuses = Array.from({ length: 4 }, () => faults.judge('getSessions', 0).status);
    assert.deepEqual(statuses, [500, 500, undefined, undefined]);
  });

  test('probabilistic rules are deterministic per seed and call, and hit about their share', () => {
    const run = (seedHash: number) => {
      const faults = new Faults(seedHash);
      faults.add(error(500, { probability: 0.3 }), 'runtime', {});
      return Array.from({ length: 400 }, () => faults.judge('getSessions', 0).status === 500);
    };
    assert.deepEqual(run(42), run(42));
    assert.notDeepEqual(run(42), run(43));
    const hits = run(42).filter(Boolean).length;
    assert.ok(hits > 80 && hits < 160, `${hits} hits of 400 at 30 %`);
  });

  test('latency distributions stay within their bounds', () => {
    const faults = new Faults(9);
    faults.add({ operations: ['*'], effect: { kind: 'latency', latency: { uniformMs: [10, 20] } } }, 'runtime', {});
    for (let i = 0; i < 100; i++) {
      const { delayMs } = faults.judge('getSessions', 0);
      assert.ok(delayMs >= 10 && delayMs <= 20, String(delayMs));
    }
  });

  test('a rule with a time to live is gone once it expires', () => {
    const faults = new Faults(1);
    faults.add({ operations: ['*'], effect: { kind: 'dropConnection' } }, 'runtime', { expiresAt: 1_000 });
    assert.equal(faults.judge('getSessions', 999).drop, true);
    assert.equal(faults.judge('getSessions', 1_000).drop, false);
    assert.equal(faults.list(1_000).length, 0);
  });
});
