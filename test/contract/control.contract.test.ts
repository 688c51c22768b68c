import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import request from 'supertest';
import { createSimulator, type Simulator } from '../../src/index.js';
import { loadContract, type ResponseLike } from '../support/contract.js';

const DOCUMENT = 'src/openapi/control.yaml';
const SEED = 'contract-suite';
const MINUTE = 60_000;
const YEAR = 31_536_000_000;
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
  counts: { users: number; sessions: number; sessionsByProxy: Record<string, number>; events: number };
}

interface Event {
  seq: number;
  at: string;
  type: string;
}

function assertMessage(response: ResponseLike & { body?: unknown }): void {
  const { message } = (response.body ?? {}) as { message?: unknown };
  assert.equal(typeof message, 'string', `an error body has a message: ${JSON.stringify(response.body)}`);
  assert.ok((message as string).length > 0, 'the message is not empty');
}

/** A JSON body sent as is (so that malformed JSON and odd types reach the server unchanged). */
const sendRaw = (test: request.Test, body: string, type = 'application/json') => test.set('Content-Type', type).send(body);

/** Over the 100 kB body limit, and otherwise well formed. */
const HUGE = JSON.stringify({ ms: 1, padding: 'x'.repeat(150_000) });

/** Bodies that are not JSON, or not of a JSON type, for the operations that take a body. */
const NOT_JSON: Array<[string, string]> = [
  ['text/plain', '{"ms":1}'],
  ['application/x-www-form-urlencoded', 'ms=1'],
  ['application/xml', '<ms>1</ms>'],
  ['application/jsonx', '{"ms":1}'],
];

/** Invalid bodies of a JSON type; `json` is sent as is. */
const MALFORMED: string[] = ['{', '{"ms":}', 'null', '[]', '"ms"', '42'];

async function clockOf(sim: Simulator): Promise<Clock> {
  return contract.check('getClock', await request(sim.app).get('/__sim/clock'), 200).body as Clock;
}

describe(`control document (${DOCUMENT})`, () => {
  test('getState 200: the seed, the clock, health and counts', async () => {
    const sim = fresh();
    const state = contract.check('getState', await request(sim.app).get('/__sim/state'), 200).body as State;
    assert.equal(state.seed, SEED);
    assert.deepEqual(state, JSON.parse(JSON.stringify(sim.state())));
    assert.ok(state.counts.sessions > 0);
  });

  test('resetState 200: back to the seeded start', async () => {
    const sim = fresh();
    const start = contract.check('getState', await request(sim.app).get('/__sim/state'), 200).body as State;
    await request(sim.app).post('/__sim/clock/advance').send({ ms: 45 * MINUTE });
    await request(sim.app).put('/__sim/health').send({ healthy: false, reason: 'before the reset' });
    const changed = contract.check('getState', await request(sim.app).get('/__sim/state'), 200).body as State;
    assert.notDeepEqual(changed.counts, start.counts);
    const reset = contract.check('resetState', await request(sim.app).post('/__sim/reset'), 200).body as State;
    assert.deepEqual(reset.clock, start.clock);
    assert.deepEqual(reset.health, start.health);
    assert.equal(reset.counts.sessions, start.counts.sessions);
    assert.deepEqual(reset.counts.sessionsByProxy, start.counts.sessionsByProxy);
    // A body, even one that is not JSON, is ignored: the operation takes none.
    const again = await request(sim.app).post('/__sim/reset').set('Content-Type', 'text/plain').send('please');
    contract.check('resetState', again, 200);
  });

  test('getClock 200: the manual clock at the default start', async () => {
    const sim = fresh();
    const clock = await clockOf(sim);
    assert.equal(clock.mode, 'manual');
    assert.equal(clock.nowMs, Date.parse(clock.now));
    assert.equal(clock.nowMs, sim.clock.now());
  });

  test('advanceClock 200: time moves by ms, 0 and up to a year', async () => {
    const sim = fresh();
    const before = await clockOf(sim);
    for (const ms of [0, MINUTE, YEAR]) {
      const from = (await clockOf(sim)).nowMs;
      const moved = contract.check('advanceClock', await request(sim.app).post('/__sim/clock/advance').send({ ms }), 200)
        .body as Clock;
      assert.equal(moved.nowMs, from + ms);
    }
    assert.equal((await clockOf(sim)).nowMs, before.nowMs + MINUTE + YEAR);
    const typed = sendRaw(request(sim.app).post('/__sim/clock/advance'), '{"ms":1}', 'application/json; charset=utf-8');
    contract.check('advanceClock', await typed, 200);
  });

  test('advanceClock 400: a missing, malformed or invalid body', async () => {
    const sim = fresh();
    const start = (await clockOf(sim)).nowMs;
    const invalid: unknown[] = [{}, { ms: -1 }, { ms: 1.5 }, { ms: '1000' }, { ms: YEAR + 1 }, { ms: 1, extra: true }];
    for (const body of invalid) {
      const response = await request(sim.app).post('/__sim/clock/advance').send(body as object);
      assertMessage(contract.check('advanceClock', response, 400));
    }
    for (const body of MALFORMED) {
      assertMessage(contract.check('advanceClock', await sendRaw(request(sim.app).post('/__sim/clock/advance'), body), 400));
    }
    const empty = await request(sim.app).post('/__sim/clock/advance').set('Content-Type', 'application/json');
    assertMessage(contract.check('advanceClock', empty, 400));
    assert.equal((await clockOf(sim)).nowMs, start, 'a rejected request does not move the clock');
  });

  test('advanceClock 413: a body over 100 kB', async () => {
    const sim = fresh();
    const response = await sendRaw(request(sim.app).post('/__sim/clock/advance'), HUGE);
    assertMessage(contract.check('advanceClock', response, 413));
  });

  test('advanceClock 415: a body that is not JSON', async () => {
    const sim = fresh();
    for (const [type, body] of NOT_JSON) {
      const response = await sendRaw(request(sim.app).post('/__sim/clock/advance'), body, type);
      assertMessage(contract.check('advanceClock', response, 415));
    }
  });

  test('getEvents 200: all, since a sequence number, of a type, the newest few', async () => {
    const sim = fresh();
    const events = async (query = '') =>
      contract.check('getEvents', await request(sim.app).get(`/__sim/events${query}`), 200).body as Event[];
    assert.deepEqual(await events(), []);
    await request(sim.app).put('/__sim/health').send({ healthy: false, reason: 'for an event' });
    await request(sim.app).post('/__sim/clock/advance').send({ ms: 31 * MINUTE });
    await request(sim.app).put('/__sim/health').send({ healthy: true });
    const all = await events();
    assert.ok(all.length > 3, 'health changes and timeouts are events');
    assert.deepEqual(
      all.map((e) => e.seq),
      [...all.map((e) => e.seq)].sort((a, b) => a - b),
      'newest last',
    );
    assert.deepEqual(await events(`?since=${all[1]?.seq}`), all.slice(2));
    assert.deepEqual(await events('?since=0'), all);
    const health = await events('?type=proxy.healthChanged');
    assert.equal(health.length, 2);
    assert.deepEqual(await events('?limit=2'), all.slice(-2));
    assert.deepEqual(await events('?limit=10000'), all);
    assert.deepEqual(await events('?type=no.such.type'), []);
  });

  test('getEvents 400: since and limit out of range or not integers', async () => {
    const sim = fresh();
    for (const query of ['since=-1', 'since=abc', 'since=1.5', 'limit=0', 'limit=10001', 'limit=1.5', 'limit=']) {
      assertMessage(contract.check('getEvents', await request(sim.app).get(`/__sim/events?${query}`), 400));
    }
  });

  test('getSimHealth 200: healthy at the start', async () => {
    const sim = fresh();
    const health = contract.check('getSimHealth', await request(sim.app).get('/__sim/health'), 200).body;
    assert.equal((health as { healthy: boolean }).healthy, true);
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
    const now = contract.check('getSimHealth', await request(sim.app).get('/__sim/health'), 200).body;
    assert.equal((now as { healthy: boolean }).healthy, true);
  });

  test('setSimHealth 400: a missing, malformed or invalid body', async () => {
    const sim = fresh();
    const invalid: object[] = [
      {},
      { healthy: 'no' },
      { healthy: null },
      { healthy: false, reason: '' },
      { healthy: false, reason: 'x'.repeat(501) },
      { healthy: false, reason: 42 },
      { healthy: true, extra: 1 },
    ];
    for (const body of invalid) {
      assertMessage(contract.check('setSimHealth', await request(sim.app).put('/__sim/health').send(body), 400));
    }
    for (const body of MALFORMED) {
      assertMessage(contract.check('setSimHealth', await sendRaw(request(sim.app).put('/__sim/health'), body), 400));
    }
    const empty = await request(sim.app).put('/__sim/health').set('Content-Type', 'application/json');
    assertMessage(contract.check('setSimHealth', empty, 400));
    assert.equal(sim.world.health().healthy, true, 'a rejected request changes nothing');
  });

  test('setSimHealth 413: a body over 100 kB', async () => {
    const sim = fresh();
    const body = JSON.stringify({ healthy: false, reason: 'x'.repeat(150_000) });
    assertMessage(contract.check('setSimHealth', await sendRaw(request(sim.app).put('/__sim/health'), body), 413));
    assert.equal(sim.world.health().healthy, true);
  });

  test('setSimHealth 415: a body that is not JSON', async () => {
    const sim = fresh();
    for (const [type, body] of NOT_JSON) {
      const response = await sendRaw(request(sim.app).put('/__sim/health'), body, type);
      assertMessage(contract.check('setSimHealth', response, 415));
    }
    assert.equal(sim.world.health().healthy, true);
  });

  test('getOpenApiDocument 200: each document, as shipped', async () => {
    const sim = fresh();
    for (const name of ['seed.yaml', 'control.yaml']) {
      const response = contract.check('getOpenApiDocument', await request(sim.app).get(`/__sim/openapi/${name}`), 200);
      assert.equal(response.text, readFileSync(new URL(`../../src/openapi/${name}`, import.meta.url), 'utf8'));
    }
  });

  test('getOpenApiDocument 404: an unknown document', async () => {
    const sim = fresh();
    for (const name of ['qlik.yaml', 'SEED.yaml', 'seed.json', 'documents.ts', '..%2F..%2Fpackage.json']) {
      assertMessage(contract.check('getOpenApiDocument', await request(sim.app).get(`/__sim/openapi/${name}`), 404));
    }
  });
});

test(`every operation of ${DOCUMENT} through every status it declares`, () => {
  contract.assertCovered();
});
