import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { createSimulator } from '../../src/index.js';
import { loadDocument } from '../../src/openapi/documents.js';
import { loadContract } from '../support/contract.js';
import { fuzzOnce } from '../support/fuzz-http.js';
import { fuzzContext, issueTickets } from '../support/fuzz-resolve.js';
import { assertInvariants } from '../support/fuzz-invariants.js';
import { runSteps, step } from '../support/fuzz-model.js';
import { anyRequest, requestFor } from '../support/fuzz-operations.js';

/**
 * Fuzzing the qlik dialect as the seed one is fuzzed (see seed.fuzz.test.ts): every operation of
 * qlik.yaml through each layout (/qps/..., /qps/{prefix}/..., /{prefix}/qps/..., the front end, the
 * module and the engines), plain-text errors where a request lands on no operation, 503 only from
 * health while unhealthy and from a down engine's health check, and redemptions that name no other
 * host and set the proxy's cookie for a live session. Each run starts with tickets issued, so that
 * redemptions draw good tickets as well as junk ones.
 */
const CONTRACTS = {
  qlik: await loadContract('src/openapi/qlik.yaml'),
  control: await loadContract('src/openapi/control.yaml'),
};
const OPERATIONS = loadDocument('qlik').operations;
const PER_OPERATION = { seed: 0x9111c, numRuns: 25, endOnFailure: true, includeErrorInReport: true };
const MODEL = { seed: 0x9111c + 1, numRuns: 40, endOnFailure: true, includeErrorInReport: true };

describe('fuzzing the qlik dialect', () => {
  const sim = createSimulator({ seed: 'fuzz-qlik', dialect: 'qlik' });

  for (const op of OPERATIONS) {
    test(`${op.method} ${op.path} (${op.operationId}): arbitrary paths, parameters, headers and bodies`, async () => {
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(requestFor('qlik', op), { minLength: 1, maxLength: 4 }), async (requests) => {
          sim.reset();
          const ctx = fuzzContext(sim, 'qlik', CONTRACTS, seen);
          issueTickets(ctx);
          for (const request of requests) {
            await fuzzOnce(ctx, request);
            assertInvariants(sim.world);
          }
        }),
        PER_OPERATION,
      );
      const reached = [...seen.keys()].filter((key) => key.startsWith(`${op.operationId} `));
      assert.ok(reached.length > 0, `the fuzzer reached ${op.operationId} (it saw ${[...seen.keys()].join(', ')})`);
    });
  }

  test('QPS calls interleaved with clock moves, engine outages, surges and resets keep the invariants', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(step(anyRequest('qlik')), { minLength: 1, maxLength: 12 }), async (steps) => {
        sim.reset();
        const ctx = fuzzContext(sim, 'qlik', CONTRACTS, seen);
        issueTickets(ctx);
        await runSteps(ctx, steps);
      }),
      MODEL,
    );
  });
});
