import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkExchange, describeExchange, fuzzOnce, send } from './fuzz-http.js';
import type { FuzzContext } from './fuzz-resolve.js';
import { assertInvariants } from './fuzz-invariants.js';
import type { FuzzRequest } from './fuzz-operations.js';

/** What an operator (or a scenario) does to the site between QPS calls, through the control API. */
export type ControlAction =
  | { action: 'advance'; ms: number }
  | { action: 'engine'; engine: number; status: 'up' | 'down' | 'draining' }
  | { action: 'reset' }
  | { action: 'health'; healthy: boolean }
  | { action: 'surge'; users: number; over: string; proxy: number }
  | { action: 'strategy'; strategy: 'round-robin' | 'least-load' | 'sticky' }
  | { action: 'spike'; engine: number; cpu: number };

export const controlAction: fc.Arbitrary<ControlAction> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .oneof(
        { weight: 8, arbitrary: fc.integer({ min: 1, max: 15 * 60_000 }) },
        { weight: 3, arbitrary: fc.integer({ min: 15 * 60_000, max: 4 * 3_600_000 }) },
        { weight: 1, arbitrary: fc.constantFrom(30 * 60_000, 30 * 60_000 + 1, 86_400_000) },
      )
      .map((ms) => ({ action: 'advance' as const, ms })),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      action: fc.constant('engine' as const),
      engine: fc.nat(7),
      status: fc.constantFrom('up' as const, 'down' as const, 'draining' as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ action: 'reset' as const }) },
  { weight: 1, arbitrary: fc.boolean().map((healthy) => ({ action: 'health' as const, healthy })) },
  {
    weight: 2,
    arbitrary: fc.record({
      action: fc.constant('surge' as const),
      users: fc.integer({ min: 1, max: 25 }),
      over: fc.constantFrom('0s', '1s', '1m', '10m'),
      proxy: fc.nat(1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      action: fc.constant('strategy' as const),
      strategy: fc.constantFrom('round-robin' as const, 'least-load' as const, 'sticky' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      action: fc.constant('spike' as const),
      engine: fc.nat(7),
      cpu: fc.integer({ min: 0, max: 100 }),
    }),
  },
);

/** Performs a control action through /__sim, checking the answer against the control document. */
export async function perform(ctx: FuzzContext, action: ControlAction): Promise<void> {
  const world = ctx.sim.world;
  const engines = world.cluster.engines;
  const json = (method: string, url: string, body?: unknown) => ({
    method,
    url,
    headers: body === undefined ? [] : ([['Content-Type', 'application/json']] as Array<[string, string]>),
    body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
  });
  let req;
  let expected = 200;
  switch (action.action) {
    case 'advance':
      req = json('POST', '/__sim/clock/advance', { ms: action.ms });
      break;
    case 'engine':
      req = json('PUT', `/__sim/cluster/engines/${engines[action.engine % engines.length]!.id}`, {
        status: action.status,
      });
      break;
    case 'spike':
      req = json('PUT', `/__sim/cluster/engines/${engines[action.engine % engines.length]!.id}`, {
        cpuSpike: action.cpu,
      });
      break;
    case 'reset':
      req = json('POST', '/__sim/reset');
      ctx.tickets.length = 0;
      break;
    case 'health':
      req = json('PUT', '/__sim/health', { healthy: action.healthy });
      break;
    case 'surge': {
      const proxies = [...world.site.proxies.keys()];
      req = json('POST', '/__sim/traffic/surge', {
        users: action.users,
        over: action.over,
        virtualProxy: proxies[action.proxy % proxies.length],
      });
      expected = 202;
      break;
    }
    case 'strategy':
      req = json('PUT', '/__sim/load-balancing', { strategy: action.strategy });
      break;
  }
  const res = await send(ctx, req);
  assert.equal(res.status, expected, `control action ${JSON.stringify(action)}: ${describeExchange(res)}`);
  checkExchange(ctx, res);
}

export type Step = { request: FuzzRequest } | { control: ControlAction };

export const step = (request: fc.Arbitrary<FuzzRequest>): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: 3, arbitrary: request.map((r) => ({ request: r })) },
    { weight: 2, arbitrary: controlAction.map((c) => ({ control: c })) },
  );

/** Runs the steps in order, checking every answer, and the invariants after each step. */
export async function runSteps(ctx: FuzzContext, steps: readonly Step[]): Promise<void> {
  assertInvariants(ctx.sim.world);
  for (const s of steps) {
    if ('request' in s) await fuzzOnce(ctx, s.request);
    else await perform(ctx, s.control);
    assertInvariants(ctx.sim.world);
  }
}
