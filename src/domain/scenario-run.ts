import { keyed } from './rng.js';
import { UNDOABLE, type Scenario, type Step } from './scenario.js';
import { startSimulatedUser } from './traffic.js';
import type { World } from './world.js';

const DROP = 6;
const SURGE = 7;

export interface StepState {
  runs: number;
  /** Runs whose `for` has not ended yet. */
  active: number;
  lastAt: number | undefined;
}

/** A scenario playing on a world's timeline; jobs carry `run` so a cleared run's jobs do nothing. */
export interface ScenarioRun {
  run: number;
  scenario: Scenario;
  startedAt: number;
  steps: StepState[];
}

const stepId = (index: number) => `step-${index + 1}`;

/** Schedules every step's first run. */
export function scheduleScenario(world: World, run: ScenarioRun): void {
  run.scenario.steps.forEach((step, index) =>
    world.schedule(run.startedAt + step.at, { type: 'scenarioStep', run: run.run, index, rep: 0 }),
  );
}

/** When step `index` runs next, if it does. */
export function nextRunAt(run: ScenarioRun, index: number): number | undefined {
  const step = run.scenario.steps[index] as Step;
  const state = run.steps[index] as StepState;
  if (state.runs === 0) return run.startedAt + step.at;
  if (step.every === undefined || (step.times !== undefined && state.runs >= step.times)) return undefined;
  return run.startedAt + step.at + state.runs * step.every;
}

/** Runs step `index` (its run number `rep`), then schedules its undo and its next run. */
export function runStep(world: World, run: ScenarioRun, index: number, rep: number): void {
  const step = run.scenario.steps[index] as Step;
  const state = run.steps[index] as StepState;
  state.runs++;
  state.lastAt = world.now;
  apply(world, step, index, rep);
  if (step.for !== undefined) {
    state.active++;
    world.schedule(world.now + step.for, { type: 'scenarioUndo', run: run.run, index, rep });
  }
  const next = nextRunAt(run, index);
  if (next !== undefined) world.schedule(next, { type: 'scenarioStep', run: run.run, index, rep: rep + 1 });
}

export function undoStep(world: World, run: ScenarioRun, index: number): void {
  const state = run.steps[index] as StepState;
  state.active = Math.max(0, state.active - 1);
  if (state.active === 0) undo(world, run.scenario.steps[index] as Step, index);
}

/**
 * Undoes the steps of a run still in effect (a step without `for` that has run, or one whose `for`
 * has not ended), so that clearing a scenario leaves the site as normal without touching changes made
 * since a step undid itself.
 */
export function undoActive(world: World, run: ScenarioRun): void {
  run.scenario.steps.forEach((step, index) => {
    const state = run.steps[index] as StepState;
    const inEffect = step.for === undefined ? state.runs > 0 : state.active > 0;
    if (inEffect && UNDOABLE.has(step.action.kind)) undo(world, step, index);
    state.active = 0;
  });
}

function apply(world: World, step: Step, index: number, rep: number): void {
  const { action } = step;
  switch (action.kind) {
    case 'healthFailure':
      world.setScenarioHealth(index, action.reason);
      return;
    case 'engineDown':
    case 'engineDrain':
    case 'engineUp': {
      const status = action.kind === 'engineDown' ? 'down' : action.kind === 'engineDrain' ? 'draining' : 'up';
      world.setEngineStatus(world.cluster.requireEngine(action.engine).id, status);
      return;
    }
    case 'saturate':
      world.setEngineSpike(world.cluster.requireEngine(action.engine).id, 100);
      return;
    case 'loadSpike':
      world.setEngineSpike(world.cluster.requireEngine(action.engine).id, action.cpu);
      return;
    case 'dropSessions':
      dropSessions(world, action, index, rep);
      return;
    case 'loginSurge':
      for (let i = 0; i < action.users; i++) {
        const at = world.now + Math.floor((i * action.overMs) / action.users);
        const job = { type: 'surgeLogin' as const, run: world.scenario?.run ?? 0, step: index, rep, i };
        world.schedule(at, action.virtualProxy === undefined ? job : { ...job, virtualProxy: action.virtualProxy });
      }
      return;
    case 'latency':
    case 'errors':
    case 'dropConnection':
      world.faults.remove(stepId(index));
      world.faults.add(action.fault, 'scenario', { id: stepId(index), step: index + 1 });
      return;
  }
}

function undo(world: World, step: Step, index: number): void {
  const { action } = step;
  switch (action.kind) {
    case 'healthFailure':
      world.setScenarioHealth(index, undefined);
      return;
    case 'engineDown':
    case 'engineDrain':
      world.setEngineStatus(world.cluster.requireEngine(action.engine).id, 'up');
      return;
    case 'saturate':
    case 'loadSpike':
      world.setEngineSpike(world.cluster.requireEngine(action.engine).id, 0);
      return;
    case 'latency':
    case 'errors':
    case 'dropConnection':
      world.faults.remove(stepId(index));
      return;
    default:
      return;
  }
}

function dropSessions(
  world: World,
  action: Extract<Step['action'], { kind: 'dropSessions' }>,
  index: number,
  rep: number,
) {
  const engineId = action.engine === undefined ? undefined : world.cluster.requireEngine(action.engine).id;
  let candidates = [...world.sessions.all()].filter(
    (s) =>
      (action.virtualProxy === undefined || s.proxy === action.virtualProxy) &&
      (action.user === undefined ||
        (s.userDirectory.toLowerCase() === action.user.userDirectory.toLowerCase() &&
          s.userId.toLowerCase() === action.user.userId.toLowerCase())) &&
      (engineId === undefined || [...s.apps.values()].includes(engineId)),
  );
  const random = keyed(world.seedHash, DROP, index, rep);
  if (action.fraction !== undefined) candidates = candidates.filter(() => random.next() < (action.fraction as number));
  if (action.count !== undefined) {
    for (let i = candidates.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [candidates[i], candidates[j]] = [
        candidates[j] as (typeof candidates)[number],
        candidates[i] as (typeof candidates)[number],
      ];
    }
    candidates = candidates.slice(0, action.count).sort((a, b) => a.serial - b.serial);
  }
  for (const session of candidates) world.dropSession(session, action.reason);
}

/** One login of a surge: a user (and proxy) drawn for this step, run and index. */
export function surgeLogin(world: World, step: number, rep: number, i: number, virtualProxy: string | undefined): void {
  const random = keyed(world.seedHash, SURGE, step * 100_000 + rep, i);
  const users = world.userList();
  const user = users[random.int(0, users.length - 1)];
  const proxies = [...world.site.proxies.keys()];
  const proxy =
    virtualProxy ?? (proxies.length === 1 || random.chance(0.7) ? proxies[0] : random.pick(proxies.slice(1)));
  if (!user || proxy === undefined) return;
  const session = world.login(proxy, user, random.uuid());
  if (session) startSimulatedUser(world, session, random.int(1_000, 20_000));
}
