import { hashString, keyed } from './rng.js';

/** Keys the draws of probabilistic faults (see rng.ts `keyed`). */
const FAULT = 5;

export type Latency =
  { fixedMs: number } | { uniformMs: [number, number] } | { normalMs: { mean: number; stddev: number } };

export type FaultEffect =
  | { kind: 'latency'; latency: Latency }
  | { kind: 'error'; status: number; message?: string }
  | { kind: 'dropConnection' };

export interface FaultSpec {
  /** operationIds, or `*` for every operation. */
  operations: string[];
  effect: FaultEffect;
  /** Fires on each matching call with this chance. */
  probability?: number;
  /** Fires on the first N matching calls only. */
  firstCalls?: number;
}

export interface FaultRule extends FaultSpec {
  id: string;
  source: 'scenario' | 'runtime';
  /** The scenario step that added it. */
  step?: number;
  /** Simulated time it ends at, if it has a time to live. */
  expiresAt?: number;
  /** Matching calls so far. */
  calls: number;
  /** Keys the rule's draws: a hash of its id, so that other rules never change them. */
  key: number;
}

/** What faults do to one call: all decided here, applied by the HTTP layer. */
export interface Verdict {
  delayMs: number;
  status?: number;
  message?: string;
  drop: boolean;
  /** Rules that shaped the answer. */
  shapedBy: Array<{
    id: string;
    source: FaultRule['source'];
    kind: FaultEffect['kind'] | 'healthFailure';
    step?: number;
  }>;
}

export const NO_FAULT: Verdict = Object.freeze({ delayMs: 0, drop: false, shapedBy: [] }) as Verdict;

function drawLatency(latency: Latency, draw: () => number): number {
  if ('fixedMs' in latency) return latency.fixedMs;
  if ('uniformMs' in latency) {
    const [min, max] = latency.uniformMs;
    return Math.round(min + (max - min) * draw());
  }
  const { mean, stddev } = latency.normalMs;
  const gauss = Math.sqrt(-2 * Math.log(1 - draw())) * Math.cos(2 * Math.PI * draw());
  return Math.max(0, Math.round(mean + stddev * gauss));
}

/** Fault rules from scenarios and the control API; run-time rules are consulted first and so win. */
export class Faults {
  private readonly rules = new Map<string, FaultRule>();
  private nextRuntimeId = 1;

  constructor(private readonly seedHash: number) {}

  get size(): number {
    return this.rules.size;
  }

  add(
    spec: FaultSpec,
    source: FaultRule['source'],
    options: { id?: string; step?: number; expiresAt?: number },
  ): FaultRule {
    const id = options.id ?? `fault-${this.nextRuntimeId++}`;
    const rule: FaultRule = { ...spec, id, source, calls: 0, key: hashString(id) };
    if (options.step !== undefined) rule.step = options.step;
    if (options.expiresAt !== undefined) rule.expiresAt = options.expiresAt;
    this.rules.set(id, rule);
    return rule;
  }

  dump(): { rules: FaultRule[]; nextRuntimeId: number } {
    return { rules: [...this.rules.values()].map((r) => ({ ...r })), nextRuntimeId: this.nextRuntimeId };
  }

  load(state: { rules: FaultRule[]; nextRuntimeId: number }): void {
    this.rules.clear();
    for (const rule of state.rules) this.rules.set(rule.id, { ...rule });
    this.nextRuntimeId = state.nextRuntimeId;
  }

  remove(id: string): boolean {
    return this.rules.delete(id);
  }

  removeWhere(keep: (rule: FaultRule) => boolean): void {
    for (const [id, rule] of this.rules) if (!keep(rule)) this.rules.delete(id);
  }

  get(id: string): FaultRule | undefined {
    return this.rules.get(id);
  }

  /** Live rules, run-time ones first; expired ones are dropped on the way. */
  list(now: number): FaultRule[] {
    this.removeWhere((r) => r.expiresAt === undefined || r.expiresAt > now);
    const all = [...this.rules.values()];
    return [...all.filter((r) => r.source === 'runtime'), ...all.filter((r) => r.source === 'scenario')];
  }

  /** Decides what the faults do to one call of `operationId` at `now`. */
  judge(operationId: string, now: number): Verdict {
    if (this.rules.size === 0) return NO_FAULT;
    const verdict: Verdict = { delayMs: 0, drop: false, shapedBy: [] };
    let delayed = false;
    let failed = false;
    for (const rule of this.list(now)) {
      if (!rule.operations.includes('*') && !rule.operations.includes(operationId)) continue;
      const call = rule.calls++;
      const random = keyed(this.seedHash, FAULT, rule.key, call);
      if (rule.firstCalls !== undefined && call >= rule.firstCalls) continue;
      if (rule.probability !== undefined && random.next() >= rule.probability) continue;
      const { effect } = rule;
      if (effect.kind === 'latency') {
        if (delayed) continue;
        delayed = true;
        verdict.delayMs = drawLatency(effect.latency, () => random.next());
      } else {
        if (failed) continue;
        failed = true;
        if (effect.kind === 'dropConnection') verdict.drop = true;
        else {
          verdict.status = effect.status;
          if (effect.message !== undefined) verdict.message = effect.message;
        }
      }
      const shaped: Verdict['shapedBy'][number] = { id: rule.id, source: rule.source, kind: effect.kind };
      if (rule.step !== undefined) shaped.step = rule.step;
      verdict.shapedBy.push(shaped);
    }
    return verdict;
  }
}
