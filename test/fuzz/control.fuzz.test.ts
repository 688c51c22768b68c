import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import request from 'supertest';
import { createSimulator, type Simulator } from '../../src/index.js';
import { loadDocument } from '../../src/openapi/documents.js';
import { loadContract } from '../support/contract.js';
import { fuzzOnce } from '../support/fuzz-http.js';
import { fuzzContext, issueTickets, type FuzzContext } from '../support/fuzz-resolve.js';
import { assertInvariants } from '../support/fuzz-invariants.js';
import { anyRequest, requestFor } from '../support/fuzz-operations.js';
import type { Dialect } from '../support/fuzz-routes.js';

/**
 * Fuzzing the control API (/__sim) on both dialects: every operation of control.yaml gets arbitrary
 * requests, as the QPS operations do (see seed.fuzz.test.ts), and saved states with hand-made damage
 * for importState; then sequences of any control calls. The invariants hold after every request. The
 * regressions below are the bugs the properties found, minimised.
 */
const CONTRACTS = {
  seed: await loadContract('src/openapi/seed.yaml'),
  qlik: await loadContract('src/openapi/qlik.yaml'),
  control: await loadContract('src/openapi/control.yaml'),
};
const OPERATIONS = loadDocument('control').operations;
const PER_OPERATION = { seed: 0xc0de, numRuns: 20, endOnFailure: true, includeErrorInReport: true };
const SEQUENCES = { seed: 0xc0de + 1, numRuns: 40, endOnFailure: true, includeErrorInReport: true };

/**
 * One simulator per dialect, started over before each run: reset() when it still has its own options,
 * a new one when a scenario with site settings replaced them (reset would keep those).
 */
function simulators() {
  const options = (dialect: Dialect) => ({ seed: `fuzz-control-${dialect}`, dialect });
  const made = { seed: createSimulator(options('seed')), qlik: createSimulator(options('qlik')) };
  const original = { seed: made.seed.options, qlik: made.qlik.options };
  return (dialect: Dialect): Simulator => {
    let sim = made[dialect];
    if (sim.options !== original[dialect]) {
      made[dialect] = sim = createSimulator(options(dialect));
      original[dialect] = sim.options;
    } else {
      sim.clearScenario();
      sim.reset();
    }
    return sim;
  };
}

/** A run's context; on the qlik dialect with tickets issued and a client error logged, so that every kind of event is there. */
function started(sim: Simulator, dialect: Dialect, seen: Map<string, number>): FuzzContext {
  const ctx = fuzzContext(sim, dialect, CONTRACTS, seen);
  if (dialect === 'qlik') {
    issueTickets(ctx, 1);
    sim.world.logClientError({ message: 'fuzz' });
  }
  return ctx;
}

describe('fuzzing the control API', () => {
  const fresh = simulators();
  const dialect = fc.constantFrom<Dialect>('seed', 'qlik');

  for (const op of OPERATIONS) {
    test(`${op.method} /__sim${op.path} (${op.operationId}): arbitrary paths, parameters, headers and bodies`, async () => {
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(
          dialect,
          fc.array(requestFor('control', op), { minLength: 1, maxLength: 3 }),
          async (d, requests) => {
            const ctx = started(fresh(d), d, seen);
            for (const request of requests) {
              await fuzzOnce(ctx, request);
              assertInvariants(ctx.sim.world);
            }
          },
        ),
        PER_OPERATION,
      );
      const reached = [...seen.keys()].filter((key) => key.startsWith(`${op.operationId} `));
      assert.ok(reached.length > 0, `the fuzzer reached ${op.operationId} (it saw ${[...seen.keys()].join(', ')})`);
    });
  }

  test('sequences of arbitrary control calls keep the invariants', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        dialect,
        fc.array(anyRequest('control'), { minLength: 1, maxLength: 10 }),
        async (d, requests) => {
          const ctx = started(fresh(d), d, seen);
          for (const request of requests) {
            await fuzzOnce(ctx, request);
            assertInvariants(ctx.sim.world);
          }
        },
      ),
      SEQUENCES,
    );
  });
});

/** A saved state of a fresh simulator, as JSON carries it, to edit. */
type SavedJson = {
  options: Record<string, unknown>;
  world: Record<string, unknown> & {
    sessions: Array<Record<string, unknown>>;
    cluster: { engines: Array<Record<string, unknown>> };
  };
};
const savedState = (sim: Simulator) => JSON.parse(JSON.stringify(sim.exportState())) as SavedJson;

/**
 * Runs a case of test/support/fuzz-probe.ts in a worker thread (fresh modules; a hang there stops only
 * the worker, after `timeoutMs`) and answers what it posted, or 'no answer'.
 */
function inWorker(data: { probe: string; time?: number }, timeoutMs: number): Promise<unknown> {
  const probe = new URL('../support/fuzz-probe.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(probe)}); });`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    worker.on('error', reject);
    worker.on('message', (message: { ready?: boolean }) => {
      if (message.ready) {
        timer = setTimeout(() => void worker.terminate().then(() => resolve('no answer')), timeoutMs);
        return;
      }
      clearTimeout(timer);
      void worker.terminate().then(() => resolve(message));
    });
  });
}

describe('control API regressions found by fuzzing (each fails until its bug is fixed)', () => {
  test('loadScenario: a body the text parser cannot read is a 400 with the declared ScenarioError body', async () => {
    const sim = createSimulator({ seed: 'fuzz-regression' });
    const res = await request(sim.app)
      .put('/__sim/scenario')
      .set('Content-Type', 'application/yaml')
      .set('Content-Encoding', 'x-junk')
      .send('name: x');
    // control.yaml declares 400 for loadScenario as ScenarioError { message, problems }; the answer is
    // the generic { message } of textBody's failure ("unsupported content encoding").
    CONTRACTS.control.check('loadScenario', res, 400);
  });

  test("getEvents: the qlik dialect's events (ticket.issued, ticket.refused, client.error) are declared", async () => {
    const sim = createSimulator({ seed: 'fuzz-regression', dialect: 'qlik' });
    const key = 'abcdefgh12345678';
    await request(sim.app)
      .post(`/qps/ticket?Xrfkey=${key}`)
      .set('X-Qlik-Xrfkey', key)
      .send({ UserDirectory: 'D', UserId: 'u' })
      .expect(201);
    const res = await request(sim.app).get('/__sim/events?type=ticket.issued').expect(200);
    assert.equal(res.body.length, 1);
    CONTRACTS.control.check('getEvents', res, 200);
  });

  const refused = async (edit: (state: SavedJson, sim: Simulator) => void) => {
    const sim = createSimulator({ seed: 'fuzz-regression', traffic: false });
    const state = savedState(sim);
    edit(state, sim);
    const res = await request(sim.app).put('/__sim/state/import').send(state);
    assert.equal(res.status, 400, `the state is refused: ${res.status} ${res.text.slice(0, 200)}`);
    assertInvariants(sim.world);
  };

  test('importState: a session on a virtual proxy the site does not have is refused', async () => {
    // Taken over today: the session is on no proxy's list, and when its timeout comes the clock
    // advance answers 404 (not declared for advanceClock) and the session never ends.
    await refused((state) => (state.world.sessions[0]!.proxy = 'nosuch'));
  });

  test('importState: a session with an app open on a down engine is refused', async () => {
    await refused((state, sim) => {
      // A site's first sessions have an app open; the state says its engine is down, and nothing else.
      const [, engineId] = (state.world.sessions[0]!.apps as Array<[string, string]>)[0]!;
      const index = sim.world.cluster.engines.findIndex((engine) => engine.id === engineId);
      state.world.cluster.engines[index]!.status = 'down';
    });
  });

  test('importState: a session listed twice is refused', async () => {
    await refused((state) => state.world.sessions.push({ ...state.world.sessions[0]! }));
  });

  test('importState: a session whose start is not a time is refused, not taken over to break the session list', async () => {
    const sim = createSimulator({ seed: 'fuzz-regression', traffic: false });
    const state = savedState(sim);
    const session = state.world.sessions[0]!;
    session.start = 'noon';
    const res = await request(sim.app).put('/__sim/state/import').send(state);
    const key = 'abcdefgh12345678';
    const base = session.proxy === '' ? '/qps' : `/${String(session.proxy)}/qps`;
    const list = await request(sim.app).get(`${base}/session?Xrfkey=${key}`).set('X-Qlik-Xrfkey', key);
    // Taken over today: from then on every GET /session of that proxy is a 500 (an Invalid Date).
    assert.equal(list.status, 200, `the session list answers: ${list.status} ${list.text.slice(0, 120)}`);
    assert.equal(res.status, 400, `the state is refused: ${res.status}`);
  });

  test('importState: a time outside the range of dates is refused, not a 500 after taking the state over', async () => {
    const sim = createSimulator({ seed: 'fuzz-regression', traffic: false });
    const other = savedState(createSimulator({ seed: 'fuzz-regression-other', traffic: false }));
    other.world.time = 8.64e15 + 1;
    const res = await request(sim.app).put('/__sim/state/import').send(other);
    assert.equal(sim.options.seed, 'fuzz-regression', 'nothing changes when a state does not load');
    CONTRACTS.control.check('importState', res, 400);
  });

  test('importState: a time so far out that 5 s more is the same time does not hang the simulator', async () => {
    // World.advanceTo runs the engine sample due at 1e300, which reschedules itself at 1e300 + 5000,
    // which is 1e300: the loop never ends and the process stops answering. Run in a worker thread.
    const outcome = await inWorker({ probe: 'importFarTime', time: 1e300 }, 2_000);
    assert.notEqual(outcome, 'no answer', 'the simulator hung after the import (killed after 2 s)');
    assert.deepEqual(outcome, { imported: 400, clock: 200 });
  });

  test('addFault: a valid rule is a 201 in a process that has not read a scenario yet, not a 500', async () => {
    // The fault checkers $ref the scenario schema by its $id, which ajv knows only once the scenario
    // schema itself is compiled (on first use since 57dec66): before that, MissingRefError, a 500.
    const outcome = await inWorker({ probe: 'firstFault' }, 5_000);
    assert.deepEqual(outcome, { added: 201 });
  });
});
