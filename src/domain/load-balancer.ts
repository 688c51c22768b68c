import type { Engine } from './engine.js';

export const STRATEGIES = ['round-robin', 'least-load', 'sticky'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Why a ranking came out as it did, as data (the text is written when someone reads it). */
export type RankingBasis =
  | { rule: 'round-robin'; cursor: number }
  | { rule: 'least-load' }
  | { rule: 'sticky-open' }
  | { rule: 'sticky-nowhere'; cursor: number };

export interface Ranking {
  /** Best first. */
  engines: Engine[];
  /** Where round robin starts next time. */
  cursor: number;
  basis: RankingBasis;
}

const freeMb = (e: Engine) => e.memoryTotalMb - e.memoryUsedMb;
const byLeastLoad = (a: Engine, b: Engine) => freeMb(b) - freeMb(a) || a.cpu - b.cpu || a.index - b.index;

/** Up to this many engines are sorted by insertion (see sortStable). */
const SMALL = 32;

/**
 * Sorts in place and stably, as Array.prototype.sort does (so with the same result), but a group of
 * a few engines by insertion, which needs none of the working copies the built-in sort makes: the
 * simulation ranks engines for every app it opens.
 */
function sortStable(engines: Engine[], compare: (a: Engine, b: Engine) => number): Engine[] {
  if (engines.length > SMALL) return engines.sort(compare);
  for (let i = 1; i < engines.length; i++) {
    const engine = engines[i] as Engine;
    let j = i - 1;
    for (; j >= 0 && compare(engines[j] as Engine, engine) > 0; j--) engines[j + 1] = engines[j] as Engine;
    engines[j + 1] = engine;
  }
  return engines;
}

/** Round robin's order: by position after the cursor. As sortStable() with that comparison, without a closure. */
function rotate(engines: Engine[], cursor: number, total: number): Engine[] {
  if (isRotation(engines, cursor, total)) return engines;
  if (engines.length > SMALL)
    return engines.sort((a, b) => ((a.index - cursor + total) % total) - ((b.index - cursor + total) % total));
  for (let i = 1; i < engines.length; i++) {
    const engine = engines[i] as Engine;
    const key = (engine.index - cursor + total) % total;
    let j = i - 1;
    for (; j >= 0 && (((engines[j] as Engine).index - cursor + total) % total) - key > 0; j--)
      engines[j + 1] = engines[j] as Engine;
    engines[j + 1] = engine;
  }
  return engines;
}

/**
 * The usual case of rotate(), done in place without sorting: engines in the cluster's order (each
 * index greater than the one before, all within 0 to total) sorted by position after a cursor in that
 * range are the ones from the cursor on, then the ones before it, each part still in order. Returns
 * false, having changed nothing, when the engines or the cursor are not like that.
 */
function isRotation(engines: Engine[], cursor: number, total: number): boolean {
  if (!(cursor >= 0 && cursor < total)) return false;
  let from = engines.length;
  for (let i = 0; i < engines.length; i++) {
    const index = (engines[i] as Engine).index;
    if (!(index >= 0 && index < total) || (i > 0 && index <= (engines[i - 1] as Engine).index)) return false;
    if (from === engines.length && index >= cursor) from = i;
  }
  reverse(engines, 0, from);
  reverse(engines, from, engines.length);
  reverse(engines, 0, engines.length);
  return true;
}

function reverse(engines: Engine[], from: number, to: number): void {
  for (let i = from, j = to - 1; i < j; i++, j--) {
    const engine = engines[i] as Engine;
    engines[i] = engines[j] as Engine;
    engines[j] = engine;
  }
}

/** Orders a group of engines (all healthy, or all saturated) by one strategy; sorts in place. */
function order(engines: Engine[], appId: string, strategy: Strategy, cursor: number, total: number): RankingBasis {
  if (strategy === 'least-load') {
    sortStable(engines, byLeastLoad);
    return { rule: 'least-load' };
  }
  if (strategy === 'round-robin') {
    rotate(engines, cursor, total);
    return { rule: 'round-robin', cursor };
  }
  const open = sortStable(
    engines.filter((e) => e.apps.has(appId)),
    byLeastLoad,
  );
  const rest = rotate(
    engines.filter((e) => !e.apps.has(appId)),
    cursor,
    total,
  );
  engines.splice(0, engines.length, ...open, ...rest);
  return open.length > 0 ? { rule: 'sticky-open' } : { rule: 'sticky-nowhere', cursor };
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
  /** Engines in the whole cluster (round robin positions); `all` may be a subset. */
  total = all.length,
): Ranking {
  const healthy: Engine[] = [];
  const saturated: Engine[] = [];
  for (const engine of all) {
    if (engine.status !== 'up') continue;
    if (!engine.saturated) healthy.push(engine);
    else if (!skipSaturated) saturated.push(engine);
  }
  const basis = order(healthy, appId, strategy, cursor, total);
  if (saturated.length > 0) order(saturated, appId, strategy, cursor, total);
  const engines = healthy.length === 0 ? saturated : saturated.length === 0 ? healthy : [...healthy, ...saturated];
  const first = engines[0];
  const rotated = strategy === 'round-robin' || (basis.rule === 'sticky-nowhere' && first === healthy[0]);
  return { engines, cursor: rotated && first ? (first.index + 1) % total : cursor, basis };
}
