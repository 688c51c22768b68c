import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import request from 'supertest';
import { createSimulator, type Simulator } from '../../src/index.js';
import { loadContract, type ResponseLike } from '../support/contract.js';

const DOCUMENT = 'src/openapi/control.yaml';
const SEED = 'contract-suite';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const YEAR = 31_536_000_000;
const UNKNOWN_ID = '0b6f6a52-5d3e-4c71-9a8e-2f4d1c0e7b93';
const contract = await loadContract(DOCUMENT);

const fresh = () => createSimulator({ seed: SEED });

interface Clock {
  now: string;
  nowMs: number;
  mode: string;
  speed: number;
  paused: boolean;
}

interface State {
  seed: string;
  clock: Clock;
  health: { healthy: boolean; reason: string };
  counts: { sessions: number; sessionsByProxy: Record<string, number>; events: number };
}

interface Sequenced {
  seq: number;
  at: string;
}

interface Event extends Sequenced {
  type: string;
}

interface Engine {
  id: string;
  status: string;
  cpuSpike: number;
}

interface LoadBalancing {
  skipSaturated: boolean;
  virtualProxies: Array<{ prefix: string; strategy: string }>;
}

function assertMessage(response: ResponseLike & { body?: unknown }): void {
  const { message } = (response.body ?? {}) as { message?: unknown };
  assert.equal(typeof message, 'string', `an error body has a message: ${JSON.stringify(response.body)}`);
  assert.ok((message as string).length > 0, 'the message is not empty');
}

/** Sends a body as is (so that malformed JSON and odd types reach the server unchanged). */
const sendRaw = (test: request.Test, body: string, type = 'application/json') =>
  test.set('Content-Type', type).send(body);

const get = async (sim: Simulator, operationId: string, path: string, status = 200) =>
  contract.check(operationId, await request(sim.app).get(`/__sim${path}`), status);

const engines = async (sim: Simulator) => (await get(sim, 'getCluster', '/cluster')).body.engines as Engine[];

/** The seeded state, as JSON would show it: a rejected request must leave it as it was. */
const snapshot = (sim: Simulator) => JSON.parse(JSON.stringify(sim.state())) as unknown;

/** Every operation taking a body, with bodies that are JSON but invalid for it. */
interface BodyOperation {
  operationId: string;
  method: 'post' | 'put';
  path(sim: Simulator): Promise<string>;
  invalid: unknown[];
}

const BODY_OPERATIONS: BodyOperation[] = [
  {
    operationId: 'setClock',
    method: 'put',
    path: async () => '/__sim/clock',
    invalid: [{}, { speed: 0 }, { speed: -1 }, { speed: 100_001 }, { speed: '2' }, { paused: 'yes' }, { tick: 1 }],
  },
  {
    operationId: 'advanceClock',
    method: 'post',
    path: async () => '/__sim/clock/advance',
    invalid: [{}, { ms: -1 }, { ms: 1.5 }, { ms: '1000' }, { ms: YEAR + 1 }, { ms: 1, extra: true }],
  },
  {
    operationId: 'setSimHealth',
    method: 'put',
    path: async () => '/__sim/health',
    invalid: [
      {},
      { healthy: 'no' },
      { healthy: null },
      { healthy: false, reason: '' },
      { healthy: false, reason: 'x'.repeat(501) },
      { healthy: false, reason: 42 },
      { healthy: true, extra: 1 },
    ],
  },
  {
    operationId: 'setEngine',
    method: 'put',
    path: async (sim) => `/__sim/cluster/engines/${(await engines(sim))[0]?.id}`,
    invalid: [{}, { status: 'sideways' }, { status: null }, { cpuSpike: -1 }, { cpuSpike: 101 }, { up: true }],
  },
  {
    operationId: 'setLoadBalancing',
    method: 'put',
    path: async () => '/__sim/load-balancing',
    invalid: [
      {},
      { strategy: 'random' },
      { strategy: 'sticky', virtualProxy: 1 },
      { virtualProxy: 'hdr' },
      { strategy: 'sticky', skipSaturated: true },
    ],
  },
];

/** Bodies of a JSON type that are not a JSON object. */
const MALFORMED = ['{', '{"ms":}', 'null', '[]', '"text"', '42'];

/** Bodies that are not JSON, or not of a JSON type. */
const NOT_JSON: Array<[string, string]> = [
  ['text/plain', '{"ms":1}'],
  ['application/x-www-form-urlencoded', 'ms=1'],
  ['application/xml', '<ms>1</ms>'],
  ['application/jsonx', '{"ms":1}'],
];

describe(`control document (${DOCUMENT})`, () => {
  test('getState 200: the seed, the clock, health and counts', async () => {
    const sim = fresh();
    const state = (await get(sim, 'getState', '/state')).body as State;
    assert.equal(state.seed, SEED);
    assert.deepEqual(state, snapshot(sim));
    assert.ok(state.counts.sessions > 0);
  });

  test('resetState 200: back to the seeded start', async () => {
    const sim = fresh();
    const start = (await get(sim, 'getState', '/state')).body as State;
    await request(sim.app)
      .post('/__sim/clock/advance')
      .send({ ms: 45 * MINUTE });
    await request(sim.app).put('/__sim/health').send({ healthy: false, reason: 'before the reset' });
    assert.notDeepEqual((await get(sim, 'getState', '/state')).body, start);
    const reset = contract.check('resetState', await request(sim.app).post('/__sim/reset'), 200).body as State;
    assert.deepEqual(reset.clock, start.clock);
    assert.deepEqual(reset.health, start.health);
    assert.deepEqual(reset.counts.sessionsByProxy, start.counts.sessionsByProxy);
    // A body, even one that is not JSON, is ignored: the operation takes none.
    const again = await request(sim.app).post('/__sim/reset').set('Content-Type', 'text/plain').send('please');
    contract.check('resetState', again, 200);
  });

  test('getClock 200: the manual clock at the default start', async () => {
    const sim = fresh();
    const clock = (await get(sim, 'getClock', '/clock')).body as Clock;
    assert.equal(clock.mode, 'manual');
    assert.equal(clock.nowMs, Date.parse(clock.now));
    assert.equal(clock.nowMs, sim.clock.now());
  });

  test('setClock 200: pause, resume, change the speed', async () => {
    const sim = fresh();
    const put = async (body: object) =>
      contract.check('setClock', await request(sim.app).put('/__sim/clock').send(body), 200).body as Clock;
    assert.equal((await put({ paused: true })).paused, true);
    assert.equal((await put({ paused: false })).paused, false);
    assert.equal((await put({ speed: 60 })).speed, 60);
    const both = await put({ speed: 100_000, paused: true });
    assert.deepEqual([both.speed, both.paused], [100_000, true]);
    assert.deepEqual((await get(sim, 'getClock', '/clock')).body, both);
  });

  test('advanceClock 200: time moves by ms', async () => {
    const sim = fresh();
    const before = ((await get(sim, 'getClock', '/clock')).body as Clock).nowMs;
    let expected = before;
    for (const ms of [0, 1, MINUTE, HOUR]) {
      const response = await request(sim.app).post('/__sim/clock/advance').send({ ms });
      expected += ms;
      assert.equal((contract.check('advanceClock', response, 200).body as Clock).nowMs, expected);
    }
    const typed = sendRaw(request(sim.app).post('/__sim/clock/advance'), '{"ms":1}', 'application/json; charset=utf-8');
    contract.check('advanceClock', await typed, 200);
    assert.equal(((await get(sim, 'getClock', '/clock')).body as Clock).nowMs, expected + 1);
  });

  test('getEvents 200: all, since a sequence number, of a type, the newest few', async () => {
    const sim = fresh();
    const events = async (query = '') => (await get(sim, 'getEvents', `/events${query}`)).body as Event[];
    await request(sim.app).put('/__sim/health').send({ healthy: false, reason: 'for an event' });
    await request(sim.app)
      .post('/__sim/clock/advance')
      .send({ ms: 31 * MINUTE });
    await request(sim.app).put('/__sim/health').send({ healthy: true });
    const all = await events();
    assert.ok(all.length > 3, 'health changes and the passing time make events');
    const seqs = all.map((e) => e.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'newest last',
    );
    assert.deepEqual(await events(`?since=${seqs[1]}`), all.slice(2));
    assert.deepEqual(await events('?since=0'), all);
    assert.deepEqual(
      (await events('?type=proxy.healthChanged')).map((e) => e.seq),
      all.filter((e) => e.type === 'proxy.healthChanged').map((e) => e.seq),
    );
    assert.deepEqual(await events('?limit=2'), all.slice(-2));
    assert.deepEqual(await events('?limit=10000'), all);
    assert.deepEqual(await events('?type=no.such.type'), []);
  });

  test('getSimHealth 200: healthy at the start', async () => {
    const sim = fresh();
    assert.equal((await get(sim, 'getSimHealth', '/health')).body.healthy, true);
  });

  test('setSimHealth 200: unhealthy with or without a reason, healthy again', async () => {
    const sim = fresh();
    const put = async (body: object) =>
      contract.check('setSimHealth', await request(sim.app).put('/__sim/health').send(body), 200).body as {
        healthy: boolean;
        reason: string;
      };
    assert.deepEqual(await put({ healthy: false, reason: 'contract test' }), {
      healthy: false,
      reason: 'contract test',
    });
    assert.equal((await put({ healthy: false })).healthy, false);
    assert.equal((await put({ healthy: true })).healthy, true);
    assert.equal((await put({ healthy: true, reason: 'x'.repeat(500) })).healthy, true);
    assert.equal((await get(sim, 'getSimHealth', '/health')).body.healthy, true);
  });

  test('getCluster 200: the engines and the app catalogue', async () => {
    const sim = fresh();
    const cluster = (await get(sim, 'getCluster', '/cluster')).body as { engines: Engine[]; apps: unknown[] };
    assert.ok(cluster.engines.length > 0 && cluster.apps.length > 0);
    await request(sim.app)
      .post('/__sim/clock/advance')
      .send({ ms: 10 * MINUTE });
    await get(sim, 'getCluster', '/cluster');
  });

  test('setEngine 200: drain, take down, spike and bring up an engine, its id matched without case', async () => {
    const sim = fresh();
    const [engine] = await engines(sim);
    assert.ok(engine);
    const put = async (id: string, body: object) =>
      contract.check('setEngine', await request(sim.app).put(`/__sim/cluster/engines/${id}`).send(body), 200)
        .body as Engine;
    assert.equal((await put(engine.id, { status: 'draining' })).status, 'draining');
    assert.equal((await put(engine.id, { status: 'down' })).status, 'down');
    assert.equal((await put(engine.id.toUpperCase(), { cpuSpike: 50 })).cpuSpike, 50);
    const up = await put(engine.id, { status: 'up', cpuSpike: 0 });
    assert.deepEqual([up.status, up.cpuSpike], ['up', 0]);
  });

  test('setEngine 404: an unknown engine', async () => {
    const sim = fresh();
    for (const id of [UNKNOWN_ID, 'not-an-engine']) {
      const response = await request(sim.app).put(`/__sim/cluster/engines/${id}`).send({ status: 'down' });
      assertMessage(contract.check('setEngine', response, 404));
    }
  });

  test('getDecisions 200: all, since a sequence number, the newest few', async () => {
    const sim = fresh();
    await request(sim.app)
      .post('/__sim/clock/advance')
      .send({ ms: 30 * MINUTE });
    const decisions = async (query = '') => (await get(sim, 'getDecisions', `/decisions${query}`)).body as Sequenced[];
    const all = await decisions();
    assert.ok(all.length > 2, 'simulated users open apps, and each open is a decision');
    assert.deepEqual(await decisions(`?since=${all[0]?.seq}`), all.slice(1));
    assert.deepEqual(await decisions('?limit=1'), all.slice(-1));
  });

  test('getLoadBalancing 200: the strategy of each virtual proxy', async () => {
    const sim = fresh();
    const lb = (await get(sim, 'getLoadBalancing', '/load-balancing')).body as LoadBalancing;
    assert.deepEqual(lb.virtualProxies.map((p) => p.prefix).sort(), ['', 'hdr']);
  });

  test('setLoadBalancing 200: one virtual proxy, or all of them', async () => {
    const sim = fresh();
    const put = async (body: object) =>
      contract.check('setLoadBalancing', await request(sim.app).put('/__sim/load-balancing').send(body), 200)
        .body as LoadBalancing;
    const strategies = (lb: LoadBalancing) => Object.fromEntries(lb.virtualProxies.map((p) => [p.prefix, p.strategy]));
    assert.deepEqual(strategies(await put({ strategy: 'least-load' })), { '': 'least-load', hdr: 'least-load' });
    assert.deepEqual(strategies(await put({ strategy: 'sticky', virtualProxy: 'hdr' })), {
      '': 'least-load',
      hdr: 'sticky',
    });
    assert.deepEqual(strategies(await put({ strategy: 'round-robin', virtualProxy: '' })), {
      '': 'round-robin',
      hdr: 'sticky',
    });
    assert.deepEqual((await get(sim, 'getLoadBalancing', '/load-balancing')).body.virtualProxies.length, 2);
  });

  test('setLoadBalancing 404: an unknown virtual proxy', async () => {
    const sim = fresh();
    const before = snapshot(sim);
    const response = await request(sim.app)
      .put('/__sim/load-balancing')
      .send({ strategy: 'sticky', virtualProxy: 'nope' });
    assertMessage(contract.check('setLoadBalancing', response, 404));
    assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
  });

  for (const [operationId, path] of [
    ['getEvents', '/events'],
    ['getDecisions', '/decisions'],
  ]) {
    test(`${operationId} 400: since and limit out of range or not integers`, async () => {
      const sim = fresh();
      for (const query of ['since=-1', 'since=abc', 'since=1.5', 'limit=0', 'limit=10001', 'limit=1.5', 'limit=']) {
        assertMessage(await get(sim, operationId as string, `${path}?${query}`, 400));
      }
    });
  }

  test('getOpenApiDocument 200: each document, as shipped', async () => {
    const sim = fresh();
    for (const name of ['seed.yaml', 'control.yaml']) {
      const response = await get(sim, 'getOpenApiDocument', `/openapi/${name}`);
      assert.equal(response.text, readFileSync(new URL(`../../src/openapi/${name}`, import.meta.url), 'utf8'));
    }
  });

  test('getOpenApiDocument 404: an unknown document', async () => {
    const sim = fresh();
    for (const name of ['qlik.yaml', 'SEED.yaml', 'seed.json', 'documents.ts', '..%2F..%2Fpackage.json']) {
      assertMessage(await get(sim, 'getOpenApiDocument', `/openapi/${name}`, 404));
    }
  });
});

describe(`control document (${DOCUMENT}): bodies`, () => {
  test('the table below lists every operation that takes a body', () => {
    const taking = contract.operations.filter((op) => op.request?.body).map((op) => op.iid);
    assert.deepEqual(BODY_OPERATIONS.map((op) => op.operationId).sort(), taking.sort());
  });

  for (const op of BODY_OPERATIONS) {
    const send = async (sim: Simulator, body: string | undefined, type = 'application/json') => {
      const test = request(sim.app)[op.method](await op.path(sim));
      return body === undefined ? test.set('Content-Type', type) : sendRaw(test, body, type);
    };

    test(`${op.operationId} 400: a missing, malformed or invalid body, with no effect`, async () => {
      const sim = fresh();
      const before = snapshot(sim);
      for (const body of [...op.invalid.map((b) => JSON.stringify(b)), ...MALFORMED, undefined]) {
        assertMessage(contract.check(op.operationId, await send(sim, body), 400));
      }
      assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
    });

    test(`${op.operationId} 413: a body over 100 kB, with no effect`, async () => {
      const sim = fresh();
      const before = snapshot(sim);
      const huge = JSON.stringify({ padding: 'x'.repeat(150_000) });
      assertMessage(contract.check(op.operationId, await send(sim, huge), 413));
      assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
    });

    test(`${op.operationId} 415: a body that is not JSON, with no effect`, async () => {
      const sim = fresh();
      const before = snapshot(sim);
      for (const [type, body] of NOT_JSON) {
        assertMessage(contract.check(op.operationId, await send(sim, body, type), 415));
      }
      assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
    });
  }
});

test(`every operation of ${DOCUMENT} through every status it declares`, () => {
  contract.assertCovered();
});
