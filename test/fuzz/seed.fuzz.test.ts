import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { createSimulator } from '../../src/index.js';
import { loadDocument } from '../../src/openapi/documents.js';
import { loadContract } from '../support/contract.js';
import { fuzzOnce } from '../support/fuzz-http.js';
import { fuzzContext } from '../support/fuzz-resolve.js';
import { assertInvariants } from '../support/fuzz-invariants.js';
import { runSteps, step } from '../support/fuzz-model.js';
import { anyRequest, requestFor } from '../support/fuzz-operations.js';

/**
 * Fuzzing the seed dialect (and the control actions it is driven with): every operation of seed.yaml
 * gets arbitrary paths, parameters, Xrfkeys, headers and bodies (fuzz-arbitraries.ts), with ids from the
 * live state mixed with junk. Each answer must be a declared status of the operation the request lands
 * on (fuzz-routes.ts says which, from the document and the README's layout), valid against seed.yaml,
 * or a 404/405 with a JSON `{ message }` where it lands on none; never a 5xx but health's 503 while
 * unhealthy; and the invariants (fuzz-invariants.ts) hold after every request.
 */
const CONTRACTS = {
  seed: await loadContract('src/openapi/seed.yaml'),
  control: await loadContract('src/openapi/control.yaml'),
};
const OPERATIONS = loadDocument('seed').operations;
const PER_OPERATION = { seed: 0x5eed, numRuns: 30, endOnFailure: true, includeErrorInReport: true };
const MODEL = { seed: 0x5eed + 1, numRuns: 40, endOnFailure: true, includeErrorInReport: true };

describe('fuzzing the seed dialect', () => {
  const sim = createSimulator({ seed: 'fuzz-seed' });

  for (const op of OPERATIONS) {
    test(`${op.method} ${op.path} (${op.operationId}): arbitrary paths, parameters, headers and bodies`, async () => {
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(requestFor('seed', op), { minLength: 1, maxLength: 4 }), async (requests) => {
          sim.reset();
          const ctx = fuzzContext(sim, 'seed', CONTRACTS, seen);
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
      fc.asyncProperty(fc.array(step(anyRequest('seed')), { minLength: 1, maxLength: 12 }), async (steps) => {
        sim.reset();
        await runSteps(fuzzContext(sim, 'seed', CONTRACTS, seen), steps);
      }),
      MODEL,
    );
  });
});
