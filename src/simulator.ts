import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { readBuildInfo } from './build-info.js';
import { createClock, type Clock } from './domain/clock.js';
import { createApp } from './http/app.js';
import { stateOf } from './http/control/serializers.js';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from './options.js';
import { errors } from './domain/errors.js';
import type { Scenario } from './domain/scenario.js';
import type { World, WorldState } from './domain/world.js';
import { checkSavedState, STATE_FORMAT, type SavedState } from './saved-state.js';
import { knownOperations } from './openapi/documents.js';
import { checkAgainstSite } from './scenario/check-site.js';
import { formatProblem, parseScenario } from './scenario/parse.js';
import { progressOf, type ScenarioLoad, type ScenarioProgress } from './scenario/progress.js';
import { buildWorld } from './site/build-world.js';
import { httpsServerOptions, refuseUntrustedCertificates, type TlsOptions } from './transport/tls.js';

export interface Simulator {
  /** The request listener: hand it to supertest or to an HTTP server, or listen() to serve it. */
  readonly app: RequestListener;
  readonly clock: Clock;
  readonly options: ResolvedOptions;
  /** The live domain state (replaced by reset()). */
  readonly world: World;
  /** The same snapshot as GET /__sim/state. */
  state(): ReturnType<typeof stateOf>;
  /** Back to the seeded start: site, sessions, clock, events, health; a loaded scenario starts over. */
  reset(): void;
  /** Loads and plays a scenario (YAML or JSON text); nothing changes when it has problems. */
  loadScenario(text: string, source?: string): ScenarioLoad;
  /** Plays the loaded scenario from its start again (resetting the site when it sets one). */
  restartScenario(): ScenarioLoad;
  /** Stops the scenario and undoes its effects. */
  clearScenario(): boolean;
  scenarioProgress(): ScenarioProgress | undefined;
  /** The whole state (options, clock, site, sessions, cluster, logs, scenario and its progress) as JSON-safe data. */
  exportState(): SavedState;
  /** Takes a saved state over; throws a SimError (and changes nothing) when it does not load. */
  importState(state: unknown): void;
  /** Moves simulated time forward, running everything due on the way, each at its own time. */
  advance(ms: number): void;
  /** Serves the app (over HTTPS with `tls`); port 0 picks a free port. Resolves with the URL. */
  listen(port?: number, host?: string, tls?: TlsOptions): Promise<{ server: Server; url: string }>;
  /** Stops listening (requests in flight finish) and stops the realtime ticker. */
  close(): Promise<void>;
}

export interface SimulatorDeps {
  logger?: Logger;
}

/** How often a listening realtime simulator catches up with the clock when no request arrives. */
const TICK_MS = 250;

/** The operations a scenario's faults may name. */
const OPERATIONS = knownOperations();

/** A simulator with its own clock, state and app: two never share anything. */
export function createSimulator(input: SimulatorOptions = {}, deps: SimulatorDeps = {}): Simulator {
  let options = resolveOptions(input);
  const logger = deps.logger ?? pino({ level: 'silent' });
  const clock = createClock({
    start: options.startTime,
    mode: options.clock,
    speed: options.speed,
    wallNow: options.wallNow,
  });
  let world = buildWorld(options);
  const sync = () => world.advanceTo(clock.now());
  const advance = (ms: number) => {
    clock.advance(ms);
    sync();
  };
  let loaded: { scenario: Scenario; source: string; text: string } | undefined;

  /** A new start: these options, the clock at their start, and their world (built here unless given). */
  const startOver = (next: ResolvedOptions, built = buildWorld(next)) => {
    options = next;
    clock.reset(options.startTime);
    world = built;
  };
  const play = (): ScenarioLoad => {
    if (!loaded) return { ok: false, problems: [] };
    world.startScenario(loaded.scenario);
    world.advanceTo(world.now); // steps at 0 run now, so the answer shows them run
    return { ok: true, progress: progressOf(world.scenario!, world.now, loaded.source) };
  };
  const reset = () => {
    startOver(options);
    world.events.record(world.now, 'simulator.reset', { seed: options.seed });
    if (loaded) play();
  };
  const loadScenario = (text: string, source = 'request body'): ScenarioLoad => {
    const parsed = parseScenario(text, source, OPERATIONS);
    if (!parsed.ok) return parsed;
    const { scenario, locate } = parsed;
    const resets = scenario.seed !== undefined || scenario.site !== undefined;
    let next = options;
    let site = world;
    if (resets) {
      try {
        next = resolveOptions({ ...input, ...scenario.site, seed: scenario.seed ?? input.seed });
        site = buildWorld(next);
      } catch (error) {
        return {
          ok: false,
          problems: [{ source, line: locate('site'), field: 'site', reason: (error as Error).message }],
        };
      }
    }
    const problems = checkAgainstSite(scenario, site, source, locate);
    if (problems.length > 0) return { ok: false, problems };
    if (resets) startOver(next, site);
    loaded = { scenario, source, text };
    return play();
  };
  const restartScenario = (): ScenarioLoad => {
    if (loaded?.scenario.seed !== undefined || loaded?.scenario.site !== undefined) startOver(options);
    return play();
  };
  const clearScenario = () => {
    if (!loaded) return false;
    world.clearScenario();
    loaded = undefined;
    return true;
  };
  const scenarioProgress = () =>
    loaded && world.scenario ? progressOf(world.scenario, world.now, loaded.source) : undefined;
  const exportState = (): SavedState => {
    const { wallNow: _wallNow, ...saved } = options;
    const scenario = loaded ? { text: loaded.text, source: loaded.source } : null;
    return { format: STATE_FORMAT, options: saved, clock: clock.snapshot(), world: world.dump(), scenario };
  };
  const importState = (data: unknown) => {
    const state = checkSavedState(data);
    if (state.options.dialect !== options.dialect) {
      throw errors.invalidBody(
        'options.dialect',
        `is ${state.options.dialect}, but this simulator speaks ${options.dialect}`,
      );
    }
    let scenario: { scenario: Scenario; source: string; text: string } | undefined;
    if (state.scenario) {
      const parsed = parseScenario(state.scenario.text, state.scenario.source, OPERATIONS);
      if (!parsed.ok) throw errors.invalidBody('scenario', parsed.problems.map(formatProblem).join('; '));
      scenario = { ...state.scenario, scenario: parsed.scenario };
    }
    let next: ResolvedOptions;
    let built: World;
    try {
      next = resolveOptions({ ...state.options, wallNow: options.wallNow, control: options.control });
      built = buildWorld(next);
      built.load(state.world as WorldState, scenario?.scenario);
    } catch (error) {
      throw errors.invalidBody('', `the saved state does not load: ${(error as Error).message}`);
    }
    startOver(next, built);
    clock.reset(state.world.time);
    clock.setSpeed(state.clock.speed);
    if (state.clock.paused) clock.pause();
    loaded = scenario;
  };
  const context = { world: () => world, build: readBuildInfo(), logger };
  const app = createApp({
    ...context,
    sync,
    dialect: options.dialect,
    controlToken: options.controlToken,
    control: options.control
      ? {
          ...context,
          clock,
          sync,
          reset,
          advance,
          loadScenario,
          restartScenario,
          clearScenario,
          scenarioProgress,
          exportState,
          importState,
        }
      : undefined,
  });

  let server: Server | undefined;
  let ticker: NodeJS.Timeout | undefined;
  return {
    app,
    clock,
    get options() {
      return options;
    },
    get world() {
      return world;
    },
    state: () => stateOf(world, clock.snapshot()),
    reset,
    advance,
    loadScenario,
    restartScenario,
    clearScenario,
    scenarioProgress,
    exportState,
    importState,
    listen(port = 0, host = '127.0.0.1', tls?: TlsOptions) {
      return new Promise((resolve, reject) => {
        const started = (listening: Server, scheme: string) => {
          server = listening;
          if (options.clock === 'realtime') ticker = setInterval(sync, TICK_MS).unref();
          const { address, port: bound } = listening.address() as AddressInfo;
          const shown = address.includes(':') ? `[${address}]` : address;
          resolve({ server: listening, url: `${scheme}://${shown}:${bound}` });
        };
        if (tls) {
          const secure = createHttpsServer(httpsServerOptions(tls), app);
          if (tls.clientCert === 'optional') secure.on('secureConnection', refuseUntrustedCertificates);
          secure.once('error', reject);
          secure.listen(port, host, () => {
            secure.off('error', reject);
            started(secure, 'https');
          });
          return;
        }
        const listening = createServer(app);
        listening.once('error', reject);
        listening.listen(port, host, () => {
          listening.off('error', reject);
          started(listening, 'http');
        });
      });
    },
    close() {
      clearInterval(ticker);
      return new Promise((resolve, reject) => {
        if (!server) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        server = undefined;
      });
    },
  };
}
