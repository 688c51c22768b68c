import type { FaultSpec } from '../domain/faults.js';
import type { Action } from '../domain/scenario.js';
import { durationMs } from './duration.js';

/** The action keys of a step (the closed set of step kinds). */
export const ACTION_KINDS = [
  'healthFailure',
  'dropSessions',
  'engineDown',
  'engineDrain',
  'engineUp',
  'saturate',
  'loadSpike',
  'loginSurge',
  'latency',
  'errors',
  'dropConnection',
] as const;

export type FaultKind = 'latency' | 'errors' | 'dropConnection';
export const FAULT_KINDS: readonly FaultKind[] = ['latency', 'errors', 'dropConnection'];
export const isFaultKind = (kind: string): kind is FaultKind => (FAULT_KINDS as readonly string[]).includes(kind);

type Body = Record<string, unknown>;

/** What a fault body breaks that the schema cannot say (field relative to the body), if anything. */
export function faultBodyProblem(kind: FaultKind, body: Body): { field: string; reason: string } | undefined {
  if (kind !== 'latency') return undefined;
  if (['ms', 'uniform', 'normal'].filter((k) => body[k] !== undefined).length !== 1) {
    return { field: '', reason: 'needs exactly one of ms, uniform or normal' };
  }
  if (Array.isArray(body.uniform) && Number(body.uniform[0]) > Number(body.uniform[1])) {
    return { field: '.uniform', reason: 'must be [min, max] with min no greater than max' };
  }
  return undefined;
}

/** A fault written as in a scenario step (`latency`, `errors` or `dropConnection` and its body). */
export function faultOf(kind: FaultKind, body: Body): FaultSpec {
  const common: Pick<FaultSpec, 'operations' | 'probability' | 'firstCalls'> = {
    operations: body.operations as string[],
  };
  if (body.probability !== undefined) common.probability = body.probability as number;
  if (body.firstCalls !== undefined) common.firstCalls = body.firstCalls as number;
  if (kind === 'dropConnection') return { ...common, effect: { kind: 'dropConnection' } };
  if (kind === 'errors') {
    const effect: FaultSpec['effect'] = { kind: 'error', status: body.status as number };
    if (typeof body.message === 'string') effect.message = body.message;
    return { ...common, effect };
  }
  const latency =
    body.ms !== undefined
      ? { fixedMs: body.ms as number }
      : body.uniform !== undefined
        ? { uniformMs: body.uniform as [number, number] }
        : { normalMs: body.normal as { mean: number; stddev: number } };
  return { ...common, effect: { kind: 'latency', latency } };
}

/** A step's action from its key and body (already checked against the schema). */
export function actionOf(kind: (typeof ACTION_KINDS)[number], body: Body): Action {
  switch (kind) {
    case 'healthFailure':
      return { kind, reason: (body.reason as string | undefined) ?? 'failing health check (scenario)' };
    case 'dropSessions': {
      const action: Action = { kind, reason: (body.reason as string | undefined) ?? 'dropped by a scenario' };
      if (body.fraction !== undefined) action.fraction = body.fraction as number;
      if (body.count !== undefined) action.count = body.count as number;
      if (body.engine !== undefined) action.engine = body.engine as number | string;
      if (body.virtualProxy !== undefined) action.virtualProxy = body.virtualProxy as string;
      if (typeof body.user === 'string') {
        const [userDirectory = '', userId = ''] = body.user.split('\\');
        action.user = { userDirectory, userId };
      }
      return action;
    }
    case 'engineDown':
    case 'engineDrain':
    case 'engineUp':
    case 'saturate':
      return { kind, engine: body.engine as number | string };
    case 'loadSpike':
      return { kind, engine: body.engine as number | string, cpu: body.cpu as number };
    case 'loginSurge': {
      const action: Action = { kind, users: body.users as number, overMs: durationMs(body.over as string) };
      if (body.virtualProxy !== undefined) action.virtualProxy = body.virtualProxy as string;
      return action;
    }
    case 'latency':
    case 'errors':
    case 'dropConnection':
      return { kind, fault: faultOf(kind, body) };
  }
}
