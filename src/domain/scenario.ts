import type { FaultSpec } from './faults.js';

/** An engine by position in the cluster (1 is the first), host name or id. */
export type EngineRef = number | string;

/** What a step does: a closed set, each documented in the README and the scenario schema. */
export type Action =
  | { kind: 'healthFailure'; reason: string }
  | {
      kind: 'dropSessions';
      reason: string;
      fraction?: number;
      count?: number;
      user?: { userDirectory: string; userId: string };
      engine?: EngineRef;
      virtualProxy?: string;
    }
  | { kind: 'engineDown' | 'engineDrain' | 'engineUp' | 'saturate'; engine: EngineRef }
  | { kind: 'loadSpike'; engine: EngineRef; cpu: number }
  | { kind: 'loginSurge'; users: number; overMs: number; virtualProxy?: string }
  | { kind: 'latency' | 'errors' | 'dropConnection'; fault: FaultSpec };

export interface Step {
  /** Simulated ms after the scenario starts. */
  at: number;
  /** Repeats every this many ms... */
  every?: number;
  /** ...this many times in all (without it, for as long as the scenario runs). */
  times?: number;
  /** Undoes itself after this many ms. */
  for?: number;
  label?: string;
  action: Action;
}

export interface Scenario {
  name: string;
  description: string;
  /** Seed and site settings: loading the scenario resets the simulator with them. */
  seed?: string;
  site?: Record<string, unknown>;
  steps: Step[];
}

/** Actions that a `for` undoes. */
export const UNDOABLE = new Set<Action['kind']>([
  'healthFailure',
  'engineDown',
  'engineDrain',
  'saturate',
  'loadSpike',
  'latency',
  'errors',
  'dropConnection',
]);
