import { nextRunAt, type ScenarioRun } from '../domain/scenario-run.js';

import type { ScenarioProblem } from './parse.js';

const iso = (ms: number) => new Date(ms).toISOString();

export type ScenarioProgress = ReturnType<typeof progressOf>;

export type ScenarioLoad = { ok: true; progress: ScenarioProgress } | { ok: false; problems: ScenarioProblem[] };

/** Where a playing scenario is: each step's runs, what is in effect, what comes next. */
export function progressOf(run: ScenarioRun, now: number, source: string) {
  const steps = run.scenario.steps.map((step, index) => {
    const state = run.steps[index] ?? { runs: 0, active: 0, lastAt: undefined };
    const next = nextRunAt(run, index);
    return {
      step: index + 1,
      kind: step.action.kind,
      label: step.label ?? null,
      atMs: step.at,
      everyMs: step.every ?? null,
      times: step.times ?? null,
      forMs: step.for ?? null,
      runs: state.runs,
      state: state.active > 0 ? 'active' : next === undefined ? 'done' : state.runs > 0 ? 'repeating' : 'pending',
      lastRunAt: state.lastAt === undefined ? null : iso(state.lastAt),
      nextRunAt: next === undefined ? null : iso(next),
    };
  });
  const upcoming = steps.filter((s) => s.nextRunAt !== null).sort((a, b) => a.nextRunAt!.localeCompare(b.nextRunAt!));
  return {
    name: run.scenario.name,
    description: run.scenario.description,
    source,
    startedAt: iso(run.startedAt),
    elapsedMs: now - run.startedAt,
    resetsSite: run.scenario.seed !== undefined || run.scenario.site !== undefined,
    done: steps.filter((s) => s.state === 'done').length,
    active: steps.filter((s) => s.state === 'active').map((s) => s.step),
    next: upcoming[0] ? { step: upcoming[0].step, at: upcoming[0].nextRunAt } : null,
    steps,
  };
}
