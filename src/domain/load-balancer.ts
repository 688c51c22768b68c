import { isEligible, type Engine } from './engine.js';

export const STRATEGIES = ['round-robin', 'least-load', 'sticky'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Ranking {
  /** Best first. */
  engines: Engine[];
  /** Where round robin starts next time. */
  cursor: number;
  reason: string;
}

const freeMb = (e: Engine) => e.memoryTotalMb - e.memoryUsedMb;
const byLeastLoad = (a: Engine, b: Engine) => freeMb(b) - freeMb(a) || a.cpu - b.cpu || a.index - b.index;
const names = (engines: readonly Engine[]) => engines.map((e) => e.hostName).join(', ');

/** Engines from the cursor on, wrapping round: the order round robin offers them. */
function roundRobinOrder(engines: readonly Engine[], cursor: number, total: number): Engine[] {
  return [...engines].sort((a, b) => ((a.index - cursor + total) % total) - ((b.index - cursor + total) % total));
}

/**
 * Ranks the engines that can take a session for `appId`: down and draining engines never appear;
 * saturated ones go last, or are left out with `skipSaturated`. Pure: the caller keeps the cursor.
 */
export function rankEngines(
  all: readonly Engine[],
  appId: string,
  strategy: Strategy,
  cursor: number,
  skipSaturated: boolean,
): Ranking {
  const eligible = all.filter(isEligible);
  const healthy = eligible.filter((e) => !e.saturated);
  const saturated = eligible.filter((e) => e.saturated);
  const ordered = (engines: Engine[]): { engines: Engine[]; reason: string; fromRoundRobin: boolean } => {
    if (strategy === 'least-load') {
      const sorted = [...engines].sort(byLeastLoad);
      const best = sorted[0];
      return {
        engines: sorted,
        reason: best ? `most free memory first: ${best.hostName} has ${freeMb(best)} MB free` : 'no engine to rank',
        fromRoundRobin: false,
      };
    }
    const rotation = roundRobinOrder(engines, cursor, all.length);
    if (strategy === 'round-robin') {
      return { engines: rotation, reason: `round robin from position ${cursor % all.length}`, fromRoundRobin: true };
    }
    const open = engines.filter((e) => e.apps.has(appId)).sort(byLeastLoad);
    const rest = rotation.filter((e) => !e.apps.has(appId));
    return {
      engines: [...open, ...rest],
      reason:
        open.length > 0
          ? `sticky: the app is open on ${names(open)}`
          : `sticky: the app is open nowhere, so round robin from position ${cursor % all.length}`,
      fromRoundRobin: open.length === 0,
    };
  };
  const main = ordered(healthy);
  const tail = skipSaturated ? [] : ordered(saturated).engines;
  const engines = [...main.engines, ...tail];
  const notes = [main.reason];
  if (saturated.length > 0) notes.push(`saturated ${skipSaturated ? 'left out' : 'last'}: ${names(saturated)}`);
  const excluded = all.filter((e) => !isEligible(e));
  if (excluded.length > 0) notes.push(`not eligible: ${excluded.map((e) => `${e.hostName} (${e.status})`).join(', ')}`);
  const first = engines[0];
  const advances =
    first !== undefined && (strategy === 'round-robin' || (main.fromRoundRobin && main.engines[0] === first));
  return {
    engines,
    cursor: advances && first ? (first.index + 1) % all.length : cursor,
    reason: engines.length === 0 ? `no engine can take the session; ${notes.join('; ')}` : notes.join('; '),
  };
}
