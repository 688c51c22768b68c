import fc from 'fast-check';
import type { Simulator } from '../../src/index.js';

/**
 * An edit of a saved state, as a hand-edited or damaged state file has them: a field of the n-th
 * session or engine, of the world, the options or the clock set to a value; or a session listed twice.
 */
export type StateEdit =
  | { at: 'session' | 'engine' | 'world' | 'options' | 'clock'; pick: number; field: string; value: unknown }
  | { at: 'duplicateSession'; pick: number };

const STATE_FIELDS = {
  session: [
    'id',
    'proxy',
    'userDirectory',
    'userId',
    'userKey',
    'userName',
    'attributes',
    'start',
    'lastActive',
    'apps',
    'engineId',
    'serial',
  ],
  engine: [
    'status',
    'sessions',
    'users',
    'apps',
    'cpu',
    'memoryUsedMb',
    'saturated',
    'started',
    'spikeCpu',
    'cpuHighSince',
  ],
  world: [
    'time',
    'serial',
    'ticketSerial',
    'surges',
    'runs',
    'healthOverride',
    'scenarioHealth',
    'proxies',
    'tickets',
    'playing',
  ],
  options: [
    'seed',
    'users',
    'sessions',
    'engines',
    'apps',
    'maxSessionsPerUser',
    'sessionTimeoutMinutes',
    'startTime',
    'virtualProxies',
  ],
  clock: ['now', 'speed', 'paused', 'mode'],
};

const STATE_VALUES: unknown[] = [
  null,
  0,
  -1,
  1,
  2,
  1.5,
  1e300,
  -1e300,
  8.64e15 + 1,
  2 ** 53,
  true,
  '',
  'x',
  'nosuch',
  'hdr',
  'down',
  'draining',
  'up',
  'CORP',
  'AbCd',
  '0b6f6a52-5d3e-4c71-9a8e-2f4d1c0e7b93',
  '0B6F6A52-5D3E-4C71-9A8E-2F4D1C0E7B93',
  [],
  {},
  [['x', 'y']],
  [['x', 1]],
  [[1, 2]],
  ['a'],
  { healthy: false, reason: 'x' },
  [[0, 'x']],
];

export const stateEdit: fc.Arbitrary<StateEdit> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(...(Object.keys(STATE_FIELDS) as Array<keyof typeof STATE_FIELDS>)).chain((at) =>
      fc.record({
        at: fc.constant(at),
        pick: fc.nat(40),
        field: fc.constantFrom(...STATE_FIELDS[at]),
        value: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...STATE_VALUES) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
        ),
      }),
    ),
  },
  { weight: 1, arbitrary: fc.record({ at: fc.constant('duplicateSession' as const), pick: fc.nat(40) }) },
);

const at = <T>(list: readonly T[], pick: number): T | undefined => list[pick % Math.max(1, list.length)];

/** The simulator's saved state, as JSON would carry it, with the edits made. */
export function editedState(sim: Simulator, edits: readonly StateEdit[]): unknown {
  const state = JSON.parse(JSON.stringify(sim.exportState())) as {
    options: Record<string, unknown>;
    clock: Record<string, unknown>;
    world: Record<string, unknown> & {
      sessions: Array<Record<string, unknown>>;
      cluster: { engines: Array<Record<string, unknown>> };
    };
  };
  for (const edit of edits) {
    const { sessions, cluster } = state.world;
    if (edit.at === 'duplicateSession') {
      const session = at(sessions, edit.pick);
      if (session) sessions.push({ ...session });
      continue;
    }
    const target = {
      session: at(sessions, edit.pick),
      engine: at(cluster.engines, edit.pick),
      world: state.world,
      options: state.options,
      clock: state.clock,
    }[edit.at];
    if (target) target[edit.field] = edit.value;
  }
  return state;
}
