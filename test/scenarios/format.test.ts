import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import request from 'supertest';
import { createSimulator, type SimulatorOptions } from '../../src/index.js';
import { MINUTE, SECOND, XRFKEY, client, type Api } from '../support/scenarios.js';

/** A simulator without simulated users (sessions change only through the scenario), and its API. */
function quiet(options: SimulatorOptions = {}): { sim: ReturnType<typeof createSimulator>; api: Api } {
  const sim = createSimulator({ traffic: false, ...options });
  return { sim, api: client(sim.app) };
}

/** The problems of a rejected scenario (fails unless it is rejected with 400). */
async function problemsOf(api: Api, text: string, type = 'application/yaml') {
  const res = await api.putScenario(text, type);
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.match(res.body.message, /^The scenario was not loaded \(nothing changed\): /);
  return res.body.problems as Array<{ source: string; line: number; field: string; reason: string }>;
}

/** Statuses of `n` calls of a QPS path. */
async function statuses(api: Api, path: string, n: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) seen.push((await api.qps('get', path)).status);
  return seen;
}

const FAILING_HEALTH_EVERY_MINUTE = `name: Flaps three times
description: Health fails for 20 s at 10 s, 1m10s and 2m10s.
steps:
  - at: 10s
    every: 1m
    times: 3
    for: 20s
    healthFailure: { reason: flapping }
`;

/** Each call of GET /about fails with 503 with a chance of one in two. */
const COIN_FLIP_ABOUT = `name: Coin flip
description: GET /about fails half the time.
steps:
  - at: 0s
    errors: { operations: [getProxyAbout], status: 503, probability: 0.5 }
`;

describe('scenario format and loading rules', () => {
  describe('a bad scenario never half-loads', () => {
    test('the state, the cluster and the loaded scenario stay as they were after a rejected PUT', async () => {
      const { api } = quiet({ seed: 'format' });
      await api.load(`name: First
description: The one that stays loaded.
seed: first
site: { engines: 3, sessions: 12 }
steps:
  - at: 30s
    engineDown: { engine: 2 }
  - at: 5m
    errors: { operations: [getSessions], status: 500 }
`);
      await api.at(45 * SECOND);
      const before = {
        state: await api.state(),
        scenario: await api.progress(),
        engines: await api.engines(),
        faults: await api.faults(),
      };
      assert.equal(before.state.seed, 'first');
      const bad = [
        // schema problem in a scenario that would reset the site
        `name: Bad\ndescription: d\nseed: other\nsite: { engines: 6 }\nsteps:\n  - at: soon\n    engineUp: { engine: 1 }\n`,
        // names an engine its own site does not have
        `name: Bad\ndescription: d\nseed: other\nsite: { engines: 2 }\nsteps:\n  - at: 1m\n    engineDown: { engine: 3 }\n`,
        // a site setting the simulator refuses
        `name: Bad\ndescription: d\nsite: { startTime: yesterday }\nsteps:\n  - at: 1m\n    healthFailure: {}\n`,
        // a good step before a bad one: nothing of it is kept
        `name: Bad\ndescription: d\nsteps:\n  - at: 0s\n    engineDown: { engine: 1 }\n  - at: 1m\n    errors: { operations: [nope], status: 500 }\n`,
        // not YAML at all
        `name: [unclosed\n`,
      ];
      for (const text of bad) {
        const problems = await problemsOf(api, text);
        assert.ok(problems.length > 0);
        assert.deepEqual(await api.state(), before.state, text);
        assert.deepEqual(await api.progress(), before.scenario, text);
        assert.deepEqual(await api.engines(), before.engines, text);
        assert.deepEqual(await api.faults(), before.faults, text);
      }
      await api.at(MINUTE);
      assert.deepEqual(
        (await api.engines()).map((e) => e.status),
        ['up', 'down', 'up'],
        'the first scenario plays on',
      );
    });

    test('with nothing loaded, a rejected scenario leaves nothing loaded', async () => {
      const { api } = quiet();
      const state = await api.state();
      await problemsOf(api, 'name: x\ndescription: y\nsteps: []\n');
      await api.getScenario().expect(404);
      assert.deepEqual(await api.state(), state);
    });
  });

  describe('problems carry the line, the field and the reason', () => {
    test('a bad duration on line 6 is reported at line 6 as steps[1].at', async () => {
      const { api } = quiet();
      const res = await api.putScenario(`name: Bad duration
description: The second step's time is not a duration.
steps:
  - at: 1m
    engineDown: { engine: 1 }
  - at: 5 minutes
    engineUp: { engine: 1 }
`);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.problems, [
        {
          source: 'request body',
          line: 6,
          field: 'steps[1].at',
          reason: 'must be a duration such as 250ms, 90s, 5m, 1h30m or 2d (or a number of milliseconds)',
        },
      ]);
      assert.match(res.body.message, /request body:6: steps\[1\]\.at: must be a duration/);
    });

    test('every problem is reported at once, not only the first', async () => {
      const { api } = quiet();
      const problems = await problemsOf(
        api,
        `name: Several
description: Three problems.
steps:
  - at: 1m
    every: 0s
    healthFailure: {}
  - at: 2m
    dropSessions: { fraction: 0.5, count: 2 }
  - at: 3m
    latency: { operations: [getSessions], ms: 5, uniform: [1, 2] }
`,
      );
      assert.deepEqual(
        problems.map((p) => [p.line, p.field, p.reason]),
        [
          [5, 'steps[0].every', 'must be at least 1s'],
          [8, 'steps[1].dropSessions', 'takes fraction or count, not both'],
          [10, 'steps[2].latency', 'needs exactly one of ms, uniform or normal'],
        ],
      );
    });

    test('unknown keys, at the top, in a step, in an action and in the site settings', async () => {
      const { api } = quiet();
      const problems = await problemsOf(
        api,
        `name: Unknown keys
description: Typos everywhere.
colour: red
site:
  engine: 3
steps:
  - at: 1m
    lable: typo
    engineDown: { engine: 1, when: now }
`,
      );
      assert.deepEqual(
        problems.map((p) => [p.line, p.field, p.reason]),
        [
          [3, 'colour', 'is not a known field'],
          [5, 'site.engine', 'is not a known field'],
          [8, 'steps[0].lable', 'is not a known field'],
          [9, 'steps[0].engineDown.when', 'is not a known field'],
        ],
      );
    });

    test('a step with two actions, or none', async () => {
      const { api } = quiet();
      const problems = await problemsOf(
        api,
        `name: Two actions
description: d
steps:
  - at: 1m
    engineDown: { engine: 1 }
    engineUp: { engine: 2 }
  - at: 2m
    label: nothing to do
`,
      );
      assert.deepEqual(
        problems.map((p) => [p.line, p.field]),
        [
          [4, 'steps[0]'],
          [7, 'steps[1]'],
        ],
      );
      assert.match(
        problems[0]!.reason,
        /^needs exactly one action, one of healthFailure, .* \(has engineDown, engineUp\)$/,
      );
      assert.match(problems[1]!.reason, /^needs exactly one action, one of healthFailure, dropSessions, /);
    });

    test('times without every', async () => {
      const { api } = quiet();
      const problems = await problemsOf(
        api,
        'name: x\ndescription: y\nsteps:\n  - at: 1m\n    times: 3\n    healthFailure: {}\n',
      );
      assert.deepEqual(problems, [{ source: 'request body', line: 5, field: 'steps[0].times', reason: 'needs every' }]);
    });

    test('for not shorter than every (equal or longer)', async () => {
      const { api } = quiet();
      for (const forValue of ['30s', '45s']) {
        const problems = await problemsOf(
          api,
          `name: x\ndescription: y\nsteps:\n  - at: 1m\n    every: 30s\n    for: ${forValue}\n    healthFailure: {}\n`,
        );
        assert.deepEqual(
          problems.map((p) => [p.line, p.field, p.reason]),
          [[6, 'steps[0].for', 'must be shorter than every (30s), or the runs would overlap']],
        );
      }
    });

    test('an engine, a virtual proxy or a user the site does not have (checked against the site)', async () => {
      const { api } = quiet();
      const problems = await problemsOf(
        api,
        `name: Unknown names
description: d
steps:
  - at: 1m
    engineDown: { engine: 5 }
  - at: 1m
    engineDrain: { engine: no-such-host.local }
  - at: 1m
    loginSurge: { users: 3, over: 1m, virtualProxy: nope }
  - at: 1m
    dropSessions: { user: 'CORP\\nobody' }
`,
      );
      assert.deepEqual(
        problems.map((p) => [p.line, p.field]),
        [
          [5, 'steps[0].engineDown.engine'],
          [7, 'steps[1].engineDrain.engine'],
          [9, 'steps[2].loginSurge.virtualProxy'],
          [11, 'steps[3].dropSessions.user'],
        ],
      );
      assert.equal(problems[0]!.reason, 'is engine 5, but the site has 4');
      assert.match(problems[1]!.reason, /^names no engine of the site \(host names: qlik-node-1\./);
      assert.equal(problems[2]!.reason, 'is not a virtual proxy of the site ("", "hdr")');
      assert.equal(problems[3]!.reason, 'is not a user of the site');
    });

    test("an engine is checked against the scenario's own site when it sets one", async () => {
      const { api } = quiet();
      const text = (engines: number) =>
        `name: x\ndescription: y\nsite: { engines: ${engines} }\nsteps:\n  - at: 1m\n    engineDown: { engine: 6 }\n`;
      const problems = await problemsOf(api, text(5));
      assert.deepEqual(
        problems.map((p) => [p.line, p.field, p.reason]),
        [[6, 'steps[0].engineDown.engine', 'is engine 6, but the site has 5']],
      );
      const loaded = await api.load(text(6));
      assert.equal(loaded.resetsSite, true);
      assert.equal((await api.engines()).length, 6);
    });

    test('an unknown operation in a fault', async () => {
      const { api } = quiet();
      const problems = await problemsOf(
        api,
        'name: x\ndescription: y\nsteps:\n  - at: 1m\n    errors: { operations: [getSession, getSessionz], status: 500 }\n',
      );
      assert.equal(problems.length, 1);
      assert.deepEqual([problems[0]!.line, problems[0]!.field], [5, 'steps[0].errors.operations[1]']);
      assert.match(problems[0]!.reason, /^is not an operation; one of .*getSession.* or \*$/);
    });

    test('a YAML syntax error carries its line', async () => {
      const { api } = quiet();
      const problems = await problemsOf(
        api,
        'name: x\ndescription: y\nsteps:\n  - at: 1m\n    healthFailure: { reason: [unclosed\n',
      );
      assert.ok(problems.length > 0);
      for (const problem of problems) {
        assert.ok(problem.line >= 5, `"${problem.reason}" is reported at line ${problem.line}; the error is on line 5`);
      }
      const duplicate = await problemsOf(
        api,
        'name: x\ndescription: y\nsteps:\n  - at: 1m\n    at: 2m\n    healthFailure: {}\n',
      );
      assert.deepEqual(
        duplicate.map((p) => p.line),
        [5],
        `a duplicate key is reported where it is: ${JSON.stringify(duplicate)}`,
      );
    });

    test('a YAML alias bomb is refused as a problem (400), not as a failure of the simulator', async () => {
      const { api } = quiet();
      const state = await api.state();
      // Each level repeats the one before nine times: 9^6 values from a few lines.
      const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
        .concat([...'bcdef'].map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcde'[i]}`).join(', ')}]`))
        .join('\n');
      const res = await api.putScenario(
        `${bomb}\nname: x\ndescription: y\nsteps:\n  - at: 1m\n    healthFailure: {}\n`,
      );
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.ok(res.body.problems.length > 0);
      assert.deepEqual(await api.state(), state);
    });
  });

  describe('bodies', () => {
    test('JSON is accepted as well as YAML, and its problems have lines too', async () => {
      const { api } = quiet();
      const scenario = {
        name: 'From JSON',
        description: 'A scenario sent as JSON.',
        steps: [{ at: '30s', label: 'outage', engineDown: { engine: 3 } }],
      };
      const loaded = await api.load(JSON.stringify(scenario, null, 2), 'application/json');
      assert.deepEqual(
        [loaded.name, loaded.steps[0]!.kind, loaded.steps[0]!.label],
        ['From JSON', 'engineDown', 'outage'],
      );
      await api.at(30 * SECOND);
      assert.equal((await api.engines())[2]!.status, 'down');
      const bad = { ...scenario, steps: [...scenario.steps, { at: 'later', engineUp: { engine: 3 } }] };
      const problems = await problemsOf(api, JSON.stringify(bad, null, 2), 'application/json');
      assert.deepEqual(
        problems.map((p) => [p.line, p.field]),
        [[13, 'steps[1].at']],
      );
    });

    test('a body that is neither YAML nor JSON by its content type is refused with 415', async () => {
      const { api } = quiet();
      const res = await api.putScenario(FAILING_HEALTH_EVERY_MINUTE, 'text/html');
      assert.equal(res.status, 415);
    });

    test('a __proto__ key is an unknown field and pollutes no prototype (YAML and JSON)', async () => {
      const { api } = quiet();
      const yaml = await problemsOf(
        api,
        `name: x
description: y
__proto__: { polluted: yes }
site:
  __proto__: { polluted: yes }
steps:
  - at: 1m
    __proto__: { polluted: yes }
    healthFailure: { __proto__: { polluted: yes } }
`,
      );
      assert.deepEqual(
        yaml.map((p) => [p.line, p.field, p.reason]),
        [
          [3, '__proto__', 'is not a known field'],
          [5, 'site.__proto__', 'is not a known field'],
          [8, 'steps[0].__proto__', 'is not a known field'],
          [9, 'steps[0].healthFailure.__proto__', 'is not a known field'],
        ],
      );
      const json = await problemsOf(
        api,
        '{"name":"x","description":"y","__proto__":{"polluted":1},"steps":[{"at":"1m","healthFailure":{}}]}',
        'application/json',
      );
      assert.deepEqual(
        json.map((p) => p.field),
        ['__proto__'],
      );
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
      await api.load(FAILING_HEALTH_EVERY_MINUTE);
    });
  });

  describe('time: at, every, times and for', () => {
    test('a step that repeats 3 times undoes itself after each run', async () => {
      const { api } = quiet();
      await api.load(FAILING_HEALTH_EVERY_MINUTE);
      const health: Array<[number, number]> = [];
      for (const at of [9, 10, 29, 30, 70, 89, 90, 130, 149, 150, 190, 600]) {
        await api.at(at * SECOND);
        health.push([at, await api.health()]);
      }
      assert.deepEqual(health, [
        [9, 200],
        [10, 503],
        [29, 503],
        [30, 200],
        [70, 503],
        [89, 503],
        [90, 200],
        [130, 503],
        [149, 503],
        [150, 200],
        [190, 200],
        [600, 200],
      ]);
      const events = await api.events();
      const start = Date.parse((await api.progress()).startedAt);
      assert.deepEqual(
        events
          .filter((e) => e.type === 'scenario.step' || e.type === 'scenario.stepUndone')
          .map((e) => [e.type, (Date.parse(e.at) - start) / SECOND]),
        [
          ['scenario.step', 10],
          ['scenario.stepUndone', 30],
          ['scenario.step', 70],
          ['scenario.stepUndone', 90],
          ['scenario.step', 130],
          ['scenario.stepUndone', 150],
        ],
      );
      const [step] = (await api.progress()).steps;
      assert.deepEqual([step!.runs, step!.state, step!.nextRunAt], [3, 'done', null]);
    });

    test('every without times repeats for as long as the scenario plays; progress says when it runs next', async () => {
      const { api } = quiet();
      const loaded = await api.load(
        'name: x\ndescription: y\nsteps:\n  - at: 1m\n    every: 2m\n    for: 30s\n    healthFailure: {}\n',
      );
      const start = Date.parse(loaded.startedAt);
      assert.equal(loaded.steps[0]!.nextRunAt, new Date(start + MINUTE).toISOString());
      await api.at(20 * MINUTE);
      const [step] = (await api.progress()).steps;
      assert.deepEqual(
        [step!.runs, step!.state, step!.nextRunAt],
        [10, 'repeating', new Date(start + 21 * MINUTE).toISOString()],
      );
      assert.equal((await api.events({ type: 'scenario.stepUndone' })).length, 10);
    });

    test('a step at 0s takes effect on the next request, without moving the clock', async () => {
      const { api } = quiet();
      await api.load('name: x\ndescription: y\nsteps:\n  - at: 0s\n    healthFailure: {}\n');
      assert.equal(await api.health(), 503);
    });
  });

  describe('restart and clear', () => {
    test('restart replays a scenario that sets a site from its start: same clock, same state, same effects', async () => {
      const { api } = quiet();
      const loaded = await api.load(`name: Replay
description: d
seed: replay
site: { sessions: 30, traffic: false }
steps:
  - at: 30s
    engineDown: { engine: 2 }
  - at: 1m
    dropSessions: { fraction: 0.5 }
`);
      const atLoad = await api.state();
      await api.at(2 * MINUTE);
      const firstRun = (await api.events({ type: 'session.ended' })).map((e) => e.sessionId);
      assert.ok(firstRun.length > 0);
      assert.equal((await api.engines())[1]!.status, 'down');

      const restarted = await api.restart();
      assert.equal(restarted.status, 200);
      assert.deepEqual(
        restarted.body.steps.map((step: { state: string; runs: number }) => [step.state, step.runs]),
        [
          ['pending', 0],
          ['pending', 0],
        ],
      );
      assert.equal(restarted.body.startedAt, loaded.startedAt);
      assert.equal((await api.clock()).now, loaded.startedAt, 'the clock is back at the start');
      assert.deepEqual(await api.state(), atLoad, 'the site is back as it was when the scenario loaded');
      assert.deepEqual(
        (await api.engines()).map((e) => e.status),
        ['up', 'up', 'up', 'up'],
      );
      await api.at(2 * MINUTE);
      assert.deepEqual(
        (await api.events({ type: 'session.ended' })).map((e) => e.sessionId),
        firstRun,
        'the same sessions are dropped again',
      );
      assert.equal((await api.engines())[1]!.status, 'down');
    });

    test('restart replays a scenario without a site from now, on the running site, undoing its effects first', async () => {
      const { api } = quiet();
      await api.advance(5 * MINUTE);
      const loaded = await api.load(
        'name: x\ndescription: y\nsteps:\n  - at: 30s\n    engineDown: { engine: 1 }\n  - at: 30s\n    errors: { operations: [getSessions], status: 500 }\n',
      );
      assert.equal(loaded.resetsSite, false);
      assert.equal(loaded.startedAt, (await api.clock()).now);
      await api.at(MINUTE);
      assert.equal((await api.engines())[0]!.status, 'down');
      await api.qps('get', '/qps/session').expect(500);
      const now = (await api.clock()).now;
      const sessions = (await api.state()).counts.sessions;
      const restarted = await api.restart();
      assert.equal(restarted.status, 200);
      assert.equal(restarted.body.startedAt, now, 'it starts over from now');
      assert.equal(restarted.body.elapsedMs, 0);
      assert.equal((await api.engines())[0]!.status, 'up', 'the outage is undone');
      await api.qps('get', '/qps/session').expect(200);
      assert.equal((await api.state()).counts.sessions, sessions, 'the site is not reset');
      await api.at(30 * SECOND);
      assert.equal((await api.engines())[0]!.status, 'down', 'and the outage comes again');
      await api.qps('get', '/qps/session').expect(500);
    });

    test('DELETE stops the scenario and undoes its effects; steps still to come never run', async () => {
      const { api } = quiet();
      await api.addFault({ latency: { operations: ['getProxyAbout'], ms: 1 } }).expect(201);
      await api.load(`name: Many effects
description: d
steps:
  - at: 10s
    engineDown: { engine: 1 }
  - at: 10s
    engineDrain: { engine: 2 }
  - at: 10s
    loadSpike: { engine: 3, cpu: 50 }
  - at: 10s
    healthFailure: { reason: scripted }
  - at: 10s
    errors: { operations: [getSessions], status: 500 }
  - at: 2m
    engineDown: { engine: 4 }
`);
      await api.at(20 * SECOND);
      assert.deepEqual(
        (await api.engines()).map((e) => [e.status, e.cpuSpike]),
        [
          ['down', 0],
          ['draining', 0],
          ['up', 50],
          ['up', 0],
        ],
      );
      assert.equal(await api.health(), 503);
      await api.qps('get', '/qps/session').expect(500);
      assert.deepEqual(
        (await api.faults()).map((f) => [f.id, f.source]),
        [
          ['fault-1', 'runtime'],
          ['step-5', 'scenario'],
        ],
      );

      await api.clear().expect(204);
      assert.deepEqual(
        (await api.engines()).map((e) => [e.status, e.cpuSpike]),
        [
          ['up', 0],
          ['up', 0],
          ['up', 0],
          ['up', 0],
        ],
      );
      assert.equal(await api.health(), 200);
      await api.qps('get', '/qps/session').expect(200);
      assert.deepEqual(
        (await api.faults()).map((f) => f.id),
        ['fault-1'],
        "the scenario's rules are gone; run-time rules are not the scenario's",
      );
      assert.equal((await api.events({ type: 'scenario.cleared' })).length, 1);
      await api.getScenario().expect(404);
      await api.advance(5 * MINUTE);
      assert.equal((await api.engines())[3]!.status, 'up', 'the step at 2m never runs');
      assert.equal((await api.events({ type: 'scenario.step' })).length, 5);
      await api.clear().expect(404);
      await api.restart().expect(404);
    });
    test("DELETE leaves alone what a step's `for` has already undone (changes made since are kept)", async () => {
      const { sim, api } = quiet();
      await api.load(`name: Over already
description: d
steps:
  - at: 10s
    for: 20s
    engineDown: { engine: 2 }
  - at: 10s
    for: 20s
    loadSpike: { engine: 3, cpu: 30 }
`);
      await api.at(MINUTE);
      const [, engine2, engine3] = await api.engines();
      assert.deepEqual([engine2!.status, engine3!.cpuSpike], ['up', 0], 'both steps are over');
      await request(sim.app).put(`/__sim/cluster/engines/${engine2!.id}`).send({ status: 'draining' }).expect(200);
      await request(sim.app).put(`/__sim/cluster/engines/${engine3!.id}`).send({ cpuSpike: 70 }).expect(200);
      await api.clear().expect(204);
      const after = await api.engines();
      assert.deepEqual(
        [after[1]!.status, after[2]!.cpuSpike],
        ['draining', 70],
        'an operator change made after the scenario had undone its step stays',
      );
    });
  });

  describe('faults', () => {
    test("a run-time fault overrides the scenario's and expires after its ttl on the simulated clock", async () => {
      const { api } = quiet();
      await api.load(
        'name: x\ndescription: y\nsteps:\n  - at: 0s\n    errors: { operations: [getSessions], status: 500, message: from the scenario }\n',
      );
      await api.qps('get', '/qps/session').expect(500);
      const added = await api
        .addFault({ errors: { operations: ['getSessions'], status: 429, message: 'from a test' }, ttl: '30s' })
        .expect(201);
      const now = (await api.clock()).nowMs;
      assert.deepEqual(
        [added.body.source, added.body.kind, added.body.status, added.body.expiresAt],
        ['runtime', 'error', 429, new Date(now + 30 * SECOND).toISOString()],
      );
      assert.deepEqual(
        (await api.faults()).map((f) => [f.id, f.source]),
        [
          [added.body.id, 'runtime'],
          ['step-1', 'scenario'],
        ],
        'run-time rules first',
      );
      const overridden = await api.qps('get', '/qps/session').expect(429);
      assert.equal(overridden.body.message, 'from a test');
      assert.deepEqual((await api.requests('getSessions')).at(-1)!.shapedBy, [
        { id: added.body.id, source: 'runtime', kind: 'error' },
      ]);
      await api.advance(30 * SECOND - 1);
      await api.qps('get', '/qps/session').expect(429);
      await api.advance(1);
      const back = await api.qps('get', '/qps/session').expect(500);
      assert.equal(back.body.message, 'from the scenario');
      assert.deepEqual(
        (await api.faults()).map((f) => f.id),
        ['step-1'],
      );
      await api.deleteFault(added.body.id).expect(404);
    });

    test('a run-time fault can be removed before it expires', async () => {
      const { api } = quiet();
      const added = await api.addFault({ errors: { operations: ['*'], status: 503 }, ttl: '1h' }).expect(201);
      await api.qps('get', '/qps/about').expect(503);
      await api.deleteFault(added.body.id).expect(204);
      await api.qps('get', '/qps/about').expect(200);
    });

    test('probabilistic faults are the same for the same seed and requests, whatever else is called', async () => {
      const run = async (seed: string, interleave: boolean) => {
        const { api } = quiet({ seed });
        await api.load(COIN_FLIP_ABOUT);
        const seen: number[] = [];
        for (let i = 0; i < 40; i++) {
          seen.push((await api.qps('get', '/qps/about')).status);
          if (interleave) await api.qps('get', '/qps/session').expect(200);
        }
        return seen;
      };
      const first = await run('dice', false);
      assert.ok(first.includes(503) && first.includes(200), first.join(' '));
      assert.deepEqual(await run('dice', false), first, 'two simulators, the same statuses');
      assert.deepEqual(await run('dice', true), first, 'calls of other operations do not change the draws');
      assert.notDeepEqual(await run('other dice', false), first, 'another seed draws differently');
    });

    test("a run-time fault on another operation does not change a scenario fault's draws", async () => {
      const run = async (unrelatedFault: boolean) => {
        const { api } = quiet({ seed: 'dice' });
        if (unrelatedFault) await api.addFault({ latency: { operations: ['getUserSessionCount'], ms: 1 } }).expect(201);
        await api.load(COIN_FLIP_ABOUT);
        return statuses(api, '/qps/about', 40);
      };
      assert.deepEqual(await run(true), await run(false));
    });

    test('firstCalls: only the first N matching calls are hit', async () => {
      const { api } = quiet();
      await api.load(
        'name: x\ndescription: y\nsteps:\n  - at: 0s\n    errors: { operations: [getProxyAbout], status: 502, firstCalls: 3 }\n',
      );
      await api.qps('get', '/qps/session').expect(200);
      assert.deepEqual(await statuses(api, '/qps/about', 6), [502, 502, 502, 200, 200, 200]);
      const [rule] = await api.faults();
      assert.deepEqual([rule!.firstCalls, rule!.calls], [3, 6]);
    });

    test('a dropped connection: the client sees a socket error; the journal records status 0 and the rule', async () => {
      const sim = createSimulator({ traffic: false });
      const api = client(sim.app);
      await api.load(
        'name: x\ndescription: y\nsteps:\n  - at: 0s\n    label: cut\n    dropConnection: { operations: [getSessions] }\n',
      );
      const { url } = await sim.listen(0);
      try {
        const headers = { 'X-Qlik-Xrfkey': XRFKEY };
        await assert.rejects(fetch(`${url}/qps/session?Xrfkey=${XRFKEY}`, { headers }), (error: Error) => {
          assert.equal(error.name, 'TypeError');
          assert.match(
            String((error.cause as Error | undefined)?.message ?? error.message),
            /other side closed|socket|reset/i,
          );
          return true;
        });
        const about = await fetch(`${url}/qps/about?Xrfkey=${XRFKEY}`, { headers });
        assert.equal(about.status, 200);
        await about.arrayBuffer();
      } finally {
        await sim.close();
      }
      const journal = await api.requests();
      assert.deepEqual(
        journal.map((e) => [e.operationId, e.status, e.shapedBy]),
        [
          ['getSessions', 0, [{ id: 'step-1', source: 'scenario', kind: 'dropConnection', step: 1 }]],
          ['getProxyAbout', 200, []],
        ],
      );
    });
  });
});
