import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import request from 'supertest';
import { createSimulator, type Simulator } from '../../src/index.js';
import { loadContract, type ResponseLike } from '../support/contract.js';
import { qps } from '../support/xrfkey.js';

const DOCUMENT = 'src/openapi/control.yaml';
const SEED = 'contract-suite';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const YEAR = 31_536_000_000;
const UNKNOWN_ID = '0b6f6a52-5d3e-4c71-9a8e-2f4d1c0e7b93';
const KB = 1024;
const MB = 1024 * KB;
/** The body limits: JSON bodies, and scenarios (text). */
const JSON_LIMIT = 100 * KB;
const SCENARIO_LIMIT = MB;
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
  counts: { sessions: number; sessionsByProxy: Record<string, number>; events: number; engines: number };
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

interface ScenarioStep {
  step: number;
  kind: string;
  label: string | null;
  atMs: number;
  forMs: number | null;
  runs: number;
  state: string;
  lastRunAt: string | null;
  nextRunAt: string | null;
}

interface Progress {
  name: string;
  source: string;
  startedAt: string;
  elapsedMs: number;
  resetsSite: boolean;
  done: number;
  active: number[];
  next: { step: number; at: string } | null;
  steps: ScenarioStep[];
}

interface Problem {
  source: string;
  line: number;
  field: string;
  reason: string;
}

interface Fault {
  id: string;
  source: string;
  step?: number;
  kind: string;
  operations: string[];
  status?: number;
  latency?: object;
  probability?: number;
  firstCalls?: number;
  expiresAt?: string;
  calls: number;
}

interface JournalEntry extends Sequenced {
  method: string;
  path: string;
  operationId: string | null;
  status: number;
  shapedBy: Array<{ id: string; source: string; kind: string; step?: number }>;
}

/** scenarios/engine-outage.yaml: a seed and site (loading it resets the simulator), engine 2 down from 1 to 3 min. */
const OUTAGE = readFileSync(new URL('../../scenarios/engine-outage.yaml', import.meta.url), 'utf8');

/** A scenario without a seed or site, as JSON: it plays on the running site, from now. */
const FLAKY = JSON.stringify(
  {
    name: 'Flaky sessions',
    description: 'getSessions fails from the start, the health check fails at 10 s, every call is slowed at 30 s.',
    steps: [
      { at: 0, errors: { operations: ['getSessions'], status: 503 } },
      { at: '10s', healthFailure: { reason: 'failing for the scenario' } },
      { at: '30s', for: '1m', latency: { operations: ['*'], ms: 0 } },
    ],
  },
  null,
  2,
);

/** The documents getOpenApiDocument serves: the enum of its path parameter. */
const SERVED_DOCUMENTS =
  (contract.operation('getOpenApiDocument').request?.path?.[0] as { schema?: { enum?: string[] } })?.schema?.enum ?? [];

const iso = (ms: number) => new Date(ms).toISOString();

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

const advance = (sim: Simulator, ms: number) => request(sim.app).post('/__sim/clock/advance').send({ ms });

const putScenario = (sim: Simulator, text: string, type = 'application/yaml') =>
  sendRaw(request(sim.app).put('/__sim/scenario'), text, type);

const loadScenario = async (sim: Simulator, text: string, type?: string) =>
  contract.check('loadScenario', await putScenario(sim, text, type), 200).body as Progress;

const scenario = async (sim: Simulator) => (await get(sim, 'getScenario', '/scenario')).body as Progress;

const restart = async (sim: Simulator, status = 200) =>
  contract.check('restartScenario', await request(sim.app).post('/__sim/scenario/restart'), status);

const clear = async (sim: Simulator, status = 204) =>
  contract.check('clearScenario', await request(sim.app).delete('/__sim/scenario'), status);

const faults = async (sim: Simulator) => (await get(sim, 'getFaults', '/faults')).body as Fault[];

const addFault = async (sim: Simulator, body: object) =>
  contract.check('addFault', await request(sim.app).post('/__sim/faults').send(body), 201).body as Fault;

const deleteFault = async (sim: Simulator, id: string, status = 204) =>
  contract.check('deleteFault', await request(sim.app).delete(`/__sim/faults/${id}`), status);

const journal = async (sim: Simulator, query = '') =>
  (await get(sim, 'getRequests', `/requests${query}`)).body as JournalEntry[];

const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/**
 * What the control API changes, as JSON would show it (the seeded state, the loaded scenario and the fault
 * rules): a rejected request must leave it as it was.
 */
const snapshot = (sim: Simulator) =>
  asJson({
    state: sim.state(),
    scenario: sim.scenarioProgress() ?? null,
    faults: sim.world.faults.list(sim.world.now),
  });

/** Every operation taking a body, with bodies that are JSON but invalid for it. */
interface BodyOperation {
  operationId: string;
  method: 'post' | 'put';
  path(sim: Simulator): Promise<string>;
  invalid: unknown[];
  /** The largest body it takes, in bytes (JSON_LIMIT unless said). */
  limit?: number;
  /** Bodies of a type it does not take (NOT_JSON unless said). */
  unsupported?: Array<[string, string]>;
}

/** A scenario of these steps, with a name and a description. */
const scenarioOf = (...steps: object[]) => ({ name: 'invalid', description: 'a scenario with a problem', steps });

/** Bodies a scenario may not come as: loadScenario takes YAML, JSON and plain text. */
const NOT_TEXT: Array<[string, string]> = [
  ['application/x-www-form-urlencoded', 'name=x'],
  ['application/xml', '<name>x</name>'],
  ['application/jsonx', '{"name":"x"}'],
  ['text/html', '<p>name: x</p>'],
  ['application/octet-stream', 'name: x'],
];

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
  {
    operationId: 'loadScenario',
    method: 'put',
    path: async () => '/__sim/scenario',
    invalid: [
      {},
      { name: 'no steps', description: 'none' },
      scenarioOf(),
      scenarioOf({ at: '1s' }),
      scenarioOf({ at: 'soon', engineUp: { engine: 1 } }),
      scenarioOf({ at: '1s', engineUp: { engine: 1 }, engineDown: { engine: 1 } }),
      scenarioOf({ at: '1s', engineDown: { engine: 99 } }),
      scenarioOf({ at: '1s', engineDown: { engine: 'no-such-host' } }),
      scenarioOf({ at: '1s', errors: { operations: ['nope'], status: 503 } }),
      scenarioOf({ at: '1s', latency: { operations: ['*'] } }),
      scenarioOf({ at: '1s', times: 2, engineUp: { engine: 1 } }),
      scenarioOf({ at: '1s', every: '1m', for: '2m', engineDown: { engine: 1 } }),
      scenarioOf({ at: '1s', dropSessions: { fraction: 0.5, count: 2 } }),
      scenarioOf({ at: '1s', dropSessions: { user: 'NOPE\\nobody' } }),
      scenarioOf({ at: '1s', loginSurge: { users: 3, over: '1m', virtualProxy: 'nope' } }),
      { ...scenarioOf({ at: '1s', engineUp: { engine: 1 } }), seed: 'other', site: { engines: 0 } },
      { ...scenarioOf({ at: '1s', engineUp: { engine: 1 } }), site: { startTime: 'yesterday' } },
      { ...scenarioOf({ at: '1s', engineUp: { engine: 1 } }), extra: true },
    ],
    limit: SCENARIO_LIMIT,
    unsupported: NOT_TEXT,
  },
  {
    operationId: 'addFault',
    method: 'post',
    path: async () => '/__sim/faults',
    invalid: [
      {},
      { ttl: '30s' },
      { errors: { operations: ['getSessions'], status: 503 }, dropConnection: { operations: ['*'] } },
      { errors: { operations: ['getSessions'] } },
      { errors: { operations: ['getSessions'], status: 200 } },
      { errors: { operations: ['getSessions'], status: 600 } },
      { errors: { operations: ['nope'], status: 503 } },
      { errors: { operations: [], status: 503 } },
      { errors: { operations: ['*'], status: 503, probability: 2 } },
      { errors: { operations: ['*'], status: 503, firstCalls: 0 } },
      { latency: { operations: ['*'] } },
      { latency: { operations: ['*'], ms: 10, uniform: [1, 2] } },
      { latency: { operations: ['*'], uniform: [5, 1] } },
      { latency: { operations: ['*'], ms: -1 } },
      { dropConnection: {} },
      { dropConnection: { operations: ['*'], status: 503 } },
      { dropConnection: { operations: ['*'] }, ttl: 'soon' },
      { dropConnection: { operations: ['*'] }, ttl: -1 },
      { dropConnection: { operations: ['*'] }, extra: 1 },
      { healthFailure: {} },
    ],
  },
  {
    operationId: 'importState',
    method: 'put',
    path: async () => '/__sim/state/import',
    invalid: [
      {},
      { format: 'qps-sim/state@0', options: {}, clock: {}, world: {}, scenario: null },
      { ...fresh().exportState(), world: { time: 'noon' } },
      { ...fresh().exportState(), options: { users: -1 } },
      { ...fresh().exportState(), options: { dialect: 'qlik' } },
      { ...fresh().exportState(), scenario: { text: 'name: [', source: 'saved' } },
    ],
    limit: 64 * MB,
  },
  {
    operationId: 'startSurge',
    method: 'post',
    path: async () => '/__sim/traffic/surge',
    invalid: [
      {},
      { users: 10 },
      { over: '1m' },
      { users: 0, over: '1m' },
      { users: 100_001, over: '1m' },
      { users: 10, over: 'soon' },
      { users: '10', over: '1m' },
      { users: 10, over: '1m', extra: true },
    ],
  },
];

/** `bytes` as the limits are written. */
const size = (bytes: number) => (bytes >= MB ? `${bytes / MB} MB` : `${bytes / KB} kB`);

/** A JSON object of exactly `bytes` bytes, invalid for every operation. */
const padded = (bytes: number) => JSON.stringify({ padding: 'x'.repeat(bytes - '{"padding":""}'.length) });

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
    assert.deepEqual(state, asJson(sim.state()));
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

  test('getScenario 404: no scenario loaded', async () => {
    const sim = fresh();
    assertMessage(await get(sim, 'getScenario', '/scenario', 404));
  });

  test('getScenario 200: each step pending, active, then done as the clock moves', async () => {
    const sim = fresh();
    const loaded = await loadScenario(sim, OUTAGE);
    assert.deepEqual(await scenario(sim), loaded);
    const start = Date.parse(loaded.startedAt);
    await advance(sim, 90_000);
    const during = await scenario(sim);
    assert.deepEqual([during.elapsedMs, during.done, during.active, during.next], [90_000, 0, [1], null]);
    const [step] = during.steps;
    assert.deepEqual([step?.state, step?.runs, step?.lastRunAt], ['active', 1, iso(start + MINUTE)]);
    await advance(sim, 3 * MINUTE);
    const after = await scenario(sim);
    assert.deepEqual([after.elapsedMs, after.done, after.active, after.next], [270_000, 1, [], null]);
    assert.deepEqual([after.steps[0]?.state, after.steps[0]?.nextRunAt], ['done', null]);
  });

  test('loadScenario 200: YAML with a seed and site resets the simulator, in each accepted type, up to 1 MB', async () => {
    const sim = fresh();
    const progress = await loadScenario(sim, OUTAGE);
    assert.equal(progress.name, 'Engine outage and failover');
    assert.deepEqual(
      [progress.source, progress.resetsSite, progress.elapsedMs, progress.done, progress.active],
      ['request body', true, 0, 0, []],
    );
    assert.deepEqual(progress.next, { step: 1, at: iso(Date.parse(progress.startedAt) + MINUTE) });
    assert.deepEqual(
      progress.steps.map((s) => [s.step, s.kind, s.label, s.atMs, s.forMs, s.runs, s.state]),
      [[1, 'engineDown', 'engine 2 fails', MINUTE, 2 * MINUTE, 0, 'pending']],
    );
    const state = (await get(sim, 'getState', '/state')).body as State;
    assert.deepEqual([state.seed, state.counts.engines, state.counts.sessions], ['outage-demo', 4, 40]);
    assert.equal(state.clock.now, progress.startedAt);
    for (const type of ['application/yaml; charset=utf-8', 'application/x-yaml', 'text/yaml', 'text/plain']) {
      assert.deepEqual(await loadScenario(sim, OUTAGE, type), progress, type);
    }
    // 1 MB exactly: the scenario after a long comment.
    const large = `#${'x'.repeat(SCENARIO_LIMIT - Buffer.byteLength(OUTAGE) - 2)}\n${OUTAGE}`;
    assert.equal(Buffer.byteLength(large), SCENARIO_LIMIT);
    assert.deepEqual(await loadScenario(sim, large), progress);
  });

  test('loadScenario 200: JSON without a seed or site plays on the running site, from now, until another replaces it', async () => {
    const sim = fresh();
    await advance(sim, 10 * MINUTE);
    const before = (await get(sim, 'getState', '/state')).body as State;
    const progress = await loadScenario(sim, FLAKY, 'application/json');
    assert.deepEqual(
      [progress.name, progress.resetsSite, progress.startedAt, progress.elapsedMs],
      ['Flaky sessions', false, before.clock.now, 0],
    );
    assert.deepEqual(
      progress.steps.map((s) => [s.kind, s.atMs, s.forMs]),
      [
        ['errors', 0, null],
        ['healthFailure', 10_000, null],
        ['latency', 30_000, MINUTE],
      ],
    );
    const after = (await get(sim, 'getState', '/state')).body as State;
    assert.deepEqual([after.seed, after.clock, after.counts.sessions], [SEED, before.clock, before.counts.sessions]);
    assert.deepEqual(
      (await faults(sim)).map((f) => [f.id, f.source, f.step, f.kind]),
      [['step-1', 'scenario', 1, 'error']],
    );
    // Another scenario takes its place; this one resets the site, and with it the rules.
    await loadScenario(sim, OUTAGE, 'application/yaml');
    assert.equal((await scenario(sim)).name, 'Engine outage and failover');
    assert.deepEqual(await faults(sim), []);
  });

  test('loadScenario 400: every problem with its line, field and reason; the loaded scenario stays', async () => {
    const sim = fresh();
    await loadScenario(sim, FLAKY, 'application/json');
    await scenario(sim); // Runs the step due now, so that only a rejected request could change anything.
    const before = snapshot(sim);
    const yaml = (...lines: string[]) => ['name: bad', 'description: has problems', ...lines].join('\n');
    const cases: Array<{ text: string; type?: string; problems: Array<[number, string]> }> = [
      { text: yaml(), problems: [[1, 'steps']] },
      {
        text: yaml('steps:', '  - at: 1s', '    engineDown: { engine: 9 }'),
        problems: [[5, 'steps[0].engineDown.engine']],
      },
      {
        text: yaml('steps:', '  - at: 1s', '    engineUp: { engine: 1 }', '    engineDown: { engine: 1 }'),
        problems: [[4, 'steps[0]']],
      },
      {
        text: yaml('steps:', '  - at: 1s', '    every: 0s', '    engineUp: { engine: 1 }'),
        problems: [[5, 'steps[0].every']],
      },
      {
        text: yaml(
          'steps:',
          '  - at: 1s',
          '    errors: { operations: [getSessions, nope], status: 503 }',
          '  - at: 2s',
          '    times: 3',
          '    engineUp: { engine: 1 }',
        ),
        problems: [
          [5, 'steps[0].errors.operations[1]'],
          [7, 'steps[1].times'],
        ],
      },
      {
        text: yaml('site:', '  startTime: yesterday', 'steps:', '  - at: 1s', '    engineUp: { engine: 1 }'),
        problems: [[4, 'site']],
      },
      {
        text: '{\n  "name": "bad",\n  "description": "an engine the site lacks",\n  "steps": [\n    { "at": "1s", "engineDown": { "engine": 7 } }\n  ]\n}',
        type: 'application/json',
        problems: [[5, 'steps[0].engineDown.engine']],
      },
    ];
    for (const { text, type, problems } of cases) {
      const response = contract.check('loadScenario', await putScenario(sim, text, type), 400);
      const body = response.body as { message: string; problems: Problem[] };
      const where = `${text}\n${JSON.stringify(body)}`;
      const byField = (a: [number, string], b: [number, string]) => a[1].localeCompare(b[1]);
      const found = body.problems.map((p): [number, string] => [p.line, p.field]);
      assert.deepEqual(found.sort(byField), problems.sort(byField), where);
      for (const p of body.problems) {
        assert.equal(p.source, 'request body', where);
        assert.ok(p.reason.length > 0 && body.message.includes(p.reason), `the message says each reason: ${where}`);
      }
    }
    assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
    assert.equal((await scenario(sim)).name, 'Flaky sessions');
  });

  test('loadScenario 400: a YAML or JSON syntax error, with the line it is on', async () => {
    const sim = fresh();
    const cases: Array<[string, string, number]> = [
      ['application/yaml', 'name: bad\nname: twice\ndescription: a key given twice\nsteps: []\n', 2],
      ['application/json', '{\n  "name": "bad",\n  "description": "a stray comma",,\n  "steps": []\n}', 3],
    ];
    for (const [type, text, line] of cases) {
      const response = contract.check('loadScenario', await putScenario(sim, text, type), 400);
      const { problems } = response.body as { problems: Problem[] };
      assert.deepEqual(
        problems.map((p) => [p.line, p.field]),
        [[line, '']],
        `the document says each problem comes with its line: ${JSON.stringify(problems)}`,
      );
    }
  });

  test('clearScenario 404: no scenario loaded, with no effect', async () => {
    const sim = fresh();
    const before = snapshot(sim);
    assertMessage(await clear(sim, 404));
    assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
  });

  test('clearScenario 204: the scenario stops and its effects are undone; run-time rules stay', async () => {
    const sim = fresh();
    await loadScenario(sim, OUTAGE);
    await advance(sim, 90_000);
    assert.equal((await engines(sim))[1]?.status, 'down', 'engine 2 is down at 90 s');
    await clear(sim);
    assert.equal((await engines(sim))[1]?.status, 'up');
    assertMessage(await get(sim, 'getScenario', '/scenario', 404));

    await loadScenario(sim, FLAKY, 'application/json');
    const runtime = await addFault(sim, { dropConnection: { operations: ['getProxyAbout'] } });
    await advance(sim, 40_000);
    assert.equal((await get(sim, 'getSimHealth', '/health')).body.healthy, false);
    assert.deepEqual(
      (await faults(sim)).map((f) => f.id),
      [runtime.id, 'step-1', 'step-3'],
    );
    await clear(sim);
    assert.equal((await get(sim, 'getSimHealth', '/health')).body.healthy, true);
    assert.deepEqual(await faults(sim), [runtime]);
    assertMessage(await clear(sim, 404));
  });

  test('restartScenario 404: no scenario loaded, or cleared, with no effect', async () => {
    const sim = fresh();
    const before = snapshot(sim);
    assertMessage(await restart(sim, 404));
    assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
    await loadScenario(sim, FLAKY, 'application/json');
    await clear(sim);
    const cleared = snapshot(sim);
    assertMessage(await restart(sim, 404));
    assert.deepEqual(snapshot(sim), cleared, 'a rejected request changes nothing');
  });

  test('restartScenario 200: from its start again, resetting the site when the scenario sets one', async () => {
    const sim = fresh();
    const loaded = await loadScenario(sim, OUTAGE);
    const start = ((await get(sim, 'getClock', '/clock')).body as Clock).now;
    await advance(sim, 4 * MINUTE);
    assert.equal((await scenario(sim)).done, 1);
    assert.deepEqual((await restart(sim)).body, loaded);
    assert.equal(((await get(sim, 'getClock', '/clock')).body as Clock).now, start, 'the site starts over');

    await loadScenario(sim, FLAKY, 'application/json');
    await advance(sim, 40_000);
    const now = ((await get(sim, 'getClock', '/clock')).body as Clock).now;
    const again = (await restart(sim)).body as Progress;
    assert.deepEqual([again.startedAt, again.elapsedMs, again.done, again.active], [now, 0, 1, []]);
    assert.deepEqual(
      again.steps.map((s) => [s.runs, s.lastRunAt]),
      [
        [1, now],
        [0, null],
        [0, null],
      ],
      'the step at 0 has run again as the scenario restarted; the others not yet',
    );
    assert.equal((await get(sim, 'getSimHealth', '/health')).body.healthy, true, 'the health failure is undone');
    assert.deepEqual(
      (await faults(sim)).map((f) => f.id),
      ['step-1'],
      'the latency rule is gone; the first step has run again',
    );
  });

  test("getFaults 200: none at first, run-time rules before the scenario's, gone when they expire", async () => {
    const sim = fresh();
    assert.deepEqual(await faults(sim), []);
    await loadScenario(sim, FLAKY, 'application/json');
    const runtime = await addFault(sim, { errors: { operations: ['getSession'], status: 500 }, ttl: '30s' });
    assert.deepEqual(
      (await faults(sim)).map((f) => [f.id, f.source]),
      [
        [runtime.id, 'runtime'],
        ['step-1', 'scenario'],
      ],
    );
    await advance(sim, 30_000 - 1);
    assert.deepEqual(
      (await faults(sim)).map((f) => f.id),
      [runtime.id, 'step-1'],
    );
    await advance(sim, 1);
    assert.deepEqual(
      (await faults(sim)).map((f) => f.id),
      ['step-1', 'step-3'],
      'at 30 s the run-time rule expires and the latency step runs',
    );
  });

  test('addFault 201: latency, errors or a dropped connection, with or without a time to live', async () => {
    const sim = fresh();
    const now = sim.clock.now();
    const cases: Array<[object, Omit<Fault, 'id'>]> = [
      [
        { errors: { operations: ['getSessions'], status: 503, probability: 0.5, message: 'maintenance' }, ttl: '30s' },
        {
          source: 'runtime',
          kind: 'error',
          operations: ['getSessions'],
          status: 503,
          probability: 0.5,
          expiresAt: iso(now + 30_000),
          calls: 0,
        },
      ],
      [
        { latency: { operations: ['*'], ms: 250 } },
        { source: 'runtime', kind: 'latency', operations: ['*'], latency: { fixedMs: 250 }, calls: 0 },
      ],
      [
        { latency: { operations: ['getSession', 'deleteSession'], uniform: [10, 20], firstCalls: 3 }, ttl: 1500 },
        {
          source: 'runtime',
          kind: 'latency',
          operations: ['getSession', 'deleteSession'],
          latency: { uniformMs: [10, 20] },
          firstCalls: 3,
          expiresAt: iso(now + 1500),
          calls: 0,
        },
      ],
      [
        { latency: { operations: ['getProxyHealth'], normal: { mean: 250, stddev: 50 } }, ttl: '1h30m' },
        {
          source: 'runtime',
          kind: 'latency',
          operations: ['getProxyHealth'],
          latency: { normalMs: { mean: 250, stddev: 50 } },
          expiresAt: iso(now + 90 * MINUTE),
          calls: 0,
        },
      ],
      [
        { dropConnection: { operations: ['prioritizeLoadBalancing'], firstCalls: 2 } },
        { source: 'runtime', kind: 'dropConnection', operations: ['prioritizeLoadBalancing'], firstCalls: 2, calls: 0 },
      ],
    ];
    const added: Fault[] = [];
    for (const [body, expected] of cases) {
      const fault = await addFault(sim, body);
      assert.deepEqual(fault, { ...expected, id: fault.id }, JSON.stringify(body));
      added.push(fault);
    }
    assert.equal(new Set(added.map((f) => f.id)).size, added.length, 'each rule has its own id');
    assert.deepEqual(await faults(sim), added);
  });

  test("deleteFault 204: a run-time rule, or a scenario's until its step runs again", async () => {
    const sim = fresh();
    const kept = await addFault(sim, { errors: { operations: ['getSession'], status: 500 } });
    const removed = await addFault(sim, { dropConnection: { operations: ['*'] } });
    await deleteFault(sim, removed.id);
    assert.deepEqual(await faults(sim), [kept]);
    await loadScenario(sim, FLAKY, 'application/json');
    assert.deepEqual(
      (await faults(sim)).map((f) => f.id),
      [kept.id, 'step-1'],
    );
    await deleteFault(sim, 'step-1');
    assert.deepEqual(await faults(sim), [kept]);
    await restart(sim);
    assert.deepEqual(
      (await faults(sim)).map((f) => f.id),
      [kept.id, 'step-1'],
    );
  });

  test('deleteFault 404: an unknown rule, or one already removed, with no effect', async () => {
    const sim = fresh();
    await addFault(sim, { errors: { operations: ['getSession'], status: 500 } });
    const removed = await addFault(sim, { dropConnection: { operations: ['*'] } });
    await deleteFault(sim, removed.id);
    const before = snapshot(sim);
    for (const id of [removed.id, 'fault-99', 'step-1', UNKNOWN_ID]) {
      assertMessage(await deleteFault(sim, id, 404));
    }
    assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
  });

  test('getRequests 200: each call to the simulated QPS, newest last, with the rules that shaped it', async () => {
    const sim = fresh();
    const start = sim.clock.now();
    assert.deepEqual(await journal(sim), [], 'neither simulated users nor control calls are journalled');
    assert.equal((await qps(sim.app, 'get', '/qps/session')).status, 200);
    assert.equal((await qps(sim.app, 'get', '/hdr/qps/session', { header: null })).status, 401);
    await advance(sim, MINUTE);
    const failing = await addFault(sim, { errors: { operations: ['getSessions'], status: 503, firstCalls: 1 } });
    assert.equal((await qps(sim.app, 'get', '/qps/session')).status, 503);
    const dropping = await addFault(sim, { dropConnection: { operations: ['getProxyAbout'], firstCalls: 1 } });
    await assert.rejects(qps(sim.app, 'get', '/qps/about'), 'the connection is dropped without an answer');
    assert.equal((await qps(sim.app, 'get', '/qps/about')).status, 200);
    const all = await journal(sim);
    assert.deepEqual(
      all.map((e) => [e.method, e.path, e.operationId, e.status, e.at, e.shapedBy]),
      [
        ['GET', '/qps/session', 'getSessions', 200, iso(start), []],
        ['GET', '/hdr/qps/session', 'getSessions', 401, iso(start), []],
        [
          'GET',
          '/qps/session',
          'getSessions',
          503,
          iso(start + MINUTE),
          [{ id: failing.id, source: 'runtime', kind: 'error' }],
        ],
        [
          'GET',
          '/qps/about',
          'getProxyAbout',
          0,
          iso(start + MINUTE),
          [{ id: dropping.id, source: 'runtime', kind: 'dropConnection' }],
        ],
        ['GET', '/qps/about', 'getProxyAbout', 200, iso(start + MINUTE), []],
      ],
    );
    const seqs = all.map((e) => e.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'newest last',
    );
    assert.deepEqual(await journal(sim, '?operation=getProxyAbout'), all.slice(3));
    assert.deepEqual(await journal(sim, `?since=${seqs[1]}`), all.slice(2));
    assert.deepEqual(await journal(sim, '?since=0'), all);
    assert.deepEqual(await journal(sim, '?limit=2'), all.slice(-2));
    assert.deepEqual(await journal(sim, '?operation=getSessions&limit=1'), all.slice(2, 3));
    assert.deepEqual(await journal(sim, '?operation=no-such-operation'), []);
  });

  test('getRequests 200: a call no operation answers, journalled with operationId null', async () => {
    const sim = fresh();
    assert.equal((await qps(sim.app, 'put', '/qps/session')).status, 405);
    assert.equal((await qps(sim.app, 'get', '/qps/no-such-path')).status, 404);
    assert.equal((await qps(sim.app, 'get', '/no-such-proxy/qps/session')).status, 404);
    assert.deepEqual(
      (await journal(sim)).map((e) => [e.method, e.path, e.operationId, e.status]),
      [
        ['PUT', '/qps/session', null, 405],
        ['GET', '/qps/no-such-path', null, 404],
        ['GET', '/no-such-proxy/qps/session', null, 404],
      ],
    );
  });

  for (const [operationId, path, more] of [
    ['getEvents', '/events', ['type=a&type=b']],
    ['getDecisions', '/decisions', []],
    ['getRequests', '/requests', ['operation=getSessions&operation=getSession']],
  ] as const) {
    test(`${operationId} 400: since and limit out of range or not integers${more.length ? ', a filter given twice' : ''}`, async () => {
      const sim = fresh();
      const queries = [
        'since=-1',
        'since=abc',
        'since=1.5',
        'limit=0',
        'limit=10001',
        'limit=1.5',
        'limit=abc',
        'limit=',
      ];
      for (const query of [...queries, ...more]) {
        assertMessage(await get(sim, operationId, `${path}?${query}`, 400));
      }
    });
  }

  test('getOpenApiDocument 200: each document, as shipped', async () => {
    const sim = fresh();
    assert.ok(SERVED_DOCUMENTS.includes('control.yaml') && SERVED_DOCUMENTS.includes('seed.yaml'));
    for (const name of SERVED_DOCUMENTS) {
      const response = await get(sim, 'getOpenApiDocument', `/openapi/${name}`);
      assert.equal(response.text, readFileSync(new URL(`../../src/openapi/${name}`, import.meta.url), 'utf8'));
    }
  });

  test('getDashboard 200: the page, at /__sim/ui with or without the slash', async () => {
    const sim = fresh();
    for (const path of ['/ui', '/ui/']) {
      const page = await get(sim, 'getDashboard', path);
      assert.match(String(page.headers['content-type']), /^text\/html; charset=utf-8$/);
      assert.equal(page.text, readFileSync(new URL('../../src/dashboard/index.html', import.meta.url), 'utf8'));
    }
  });

  test('getOpenApiDocument 404: an unknown document', async () => {
    const sim = fresh();
    for (const name of ['qps.yaml', 'SEED.yaml', 'seed.json', 'documents.ts', '..%2F..%2Fpackage.json']) {
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

    const limit = op.limit ?? JSON_LIMIT;
    test(`${op.operationId} 413: a body over ${size(limit)}, with no effect`, async () => {
      const sim = fresh();
      const before = snapshot(sim);
      assertMessage(contract.check(op.operationId, await send(sim, padded(limit + 1)), 413));
      // A body of the limit exactly is read, and refused for what it says.
      assertMessage(contract.check(op.operationId, await send(sim, padded(limit)), 400));
      assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
    });

    test(`${op.operationId} 415: a body of a type it does not take, with no effect`, async () => {
      const sim = fresh();
      const before = snapshot(sim);
      for (const [type, body] of op.unsupported ?? NOT_JSON) {
        assertMessage(contract.check(op.operationId, await send(sim, body, type), 415));
      }
      assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
    });
  }
});

describe('saved states', () => {
  test('exportState 200 and importState 200: a copy that plays on as the original', async () => {
    const original = fresh();
    await advance(original, 3_600_000);
    const saved = contract.check('exportState', await request(original.app).get('/__sim/state/export'), 200).body;
    const copy = createSimulator({ seed: 'another' });
    const state = contract.check('importState', await request(copy.app).put('/__sim/state/import').send(saved), 200);
    assert.equal(state.body.seed, SEED);
    await advance(original, 3_600_000);
    await advance(copy, 3_600_000);
    assert.deepEqual(copy.exportState(), original.exportState());
  });
});

describe('live views and bundled scenarios', () => {
  test('startSurge 202: the logins arrive over the duration; an unknown virtual proxy is a 404', async () => {
    const sim = createSimulator({ seed: SEED, traffic: false, sessions: 0 });
    const surge = (body: object, status: number) =>
      request(sim.app)
        .post('/__sim/traffic/surge')
        .send(body)
        .then((res) => contract.check('startSurge', res, status));
    await surge({ users: 12, over: '1m', virtualProxy: 'hdr' }, 202);
    assert.equal(sim.state().counts.sessions, 1, 'the first login is at once');
    await advance(sim, 60_000);
    assert.equal(sim.state().counts.sessionsByProxy.hdr, 12);
    const before = snapshot(sim);
    assertMessage(await surge({ users: 3, over: '1m', virtualProxy: 'nope' }, 404));
    assert.deepEqual(snapshot(sim), before, 'a rejected request changes nothing');
  });

  test('getBundledScenarios 200 and getBundledScenario 200 or 404', async () => {
    const sim = fresh();
    const list = (await get(sim, 'getBundledScenarios', '/scenarios')).body as Array<{ file: string; summary: string }>;
    assert.ok(list.some((s) => s.file === 'engine-outage.yaml' && s.summary.startsWith('Engine outage')));
    const text = (await get(sim, 'getBundledScenario', '/scenarios/engine-outage.yaml')).text;
    assert.match(text, /^# Engine outage/);
    for (const name of ['nope.yaml', '..%2Fpackage.json', 'scenario.schema.json']) {
      assertMessage(await get(sim, 'getBundledScenario', `/scenarios/${name}`, 404));
    }
  });

  test('streamSnapshots 200: a snapshot at once, as server-sent events; a bad interval is a 400', async () => {
    const sim = fresh();
    for (const interval of ['99', '10001', 'soon']) {
      assertMessage(await get(sim, 'streamSnapshots', `/stream?interval=${interval}`, 400));
    }
    const { url } = await sim.listen(0);
    try {
      const abort = new AbortController();
      const res = await fetch(`${url}/__sim/stream?interval=100`, { signal: abort.signal });
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
      abort.abort();
      const first = text.slice(0, text.indexOf('\n\n') + 2);
      contract.check(
        'streamSnapshots',
        { status: res.status, headers: Object.fromEntries(res.headers), text: first },
        200,
      );
      assert.match(first, /^event: snapshot\ndata: /);
      const snapshot = JSON.parse(first.split('data: ')[1] ?? '{}') as { first: boolean; engines: unknown[] };
      assert.equal(snapshot.first, true);
      assert.equal(snapshot.engines.length, 4);
    } finally {
      await sim.close();
    }
  });
});

test(`every operation of ${DOCUMENT} through every status it declares`, () => {
  contract.assertCovered();
});
