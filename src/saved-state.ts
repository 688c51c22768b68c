import type { ClockSnapshot } from './domain/clock.js';
import { errors } from './domain/errors.js';
import type { WorldState } from './domain/world.js';
import type { ResolvedOptions } from './options.js';
import { compileSchema, describeProblems } from './schema/validate.js';

/** Names the format of saved states, so that a future change can tell old files apart. */
export const STATE_FORMAT = 'qps-sim/state@1';

export interface SavedState {
  format: typeof STATE_FORMAT;
  options: Omit<ResolvedOptions, 'wallNow'>;
  clock: ClockSnapshot;
  world: WorldState;
  /** The scenario loaded, as its text (parsed again on import). */
  scenario: { text: string; source: string } | null;
}

// The envelope is checked here; the options by resolveOptions, the world by loading it.
const checkEnvelope = compileSchema<SavedState>({
  type: 'object',
  required: ['format', 'options', 'clock', 'world', 'scenario'],
  properties: {
    format: { const: STATE_FORMAT },
    options: { type: 'object' },
    clock: {
      type: 'object',
      required: ['now', 'speed', 'paused'],
      properties: {
        now: { type: 'number' },
        speed: { type: 'number', exclusiveMinimum: 0 },
        paused: { type: 'boolean' },
      },
    },
    world: {
      type: 'object',
      required: ['time', 'sessions', 'timeline', 'events', 'cluster'],
      properties: { time: { type: 'number' }, sessions: { type: 'array' }, timeline: { type: 'object' } },
    },
    scenario: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['text', 'source'],
          properties: { text: { type: 'string' }, source: { type: 'string' } },
        },
      ],
    },
  },
});

export function checkSavedState(data: unknown): SavedState {
  const checked = checkEnvelope(data);
  if (!checked.ok) throw errors.invalidBody('', `not a saved qps-sim state: ${describeProblems(checked.problems)}`);
  return checked.value;
}
