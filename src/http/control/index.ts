import type { Request, Router } from 'express';
import type { Clock } from '../../domain/clock.js';
import { errors } from '../../domain/errors.js';
import { knownOperations, loadDocument, type DocumentName } from '../../openapi/documents.js';
import { param, type RequestHandlers, type HttpContext } from '../context.js';
import { jsonBody, textBody } from '../middleware/body.js';
import { validateBody } from '../middleware/validate-body.js';
import { sendJson } from '../send.js';
import { jsonErrors } from '../json-errors.js';
import { pathOf, routerFromDocument } from '../spec-router.js';
import type { EngineStatus } from '../../domain/engine.js';
import type { Strategy } from '../../domain/load-balancer.js';
import type { ScenarioLoad, ScenarioProgress } from '../../scenario/progress.js';
import type { SavedState } from '../../saved-state.js';
import { parseFaultRequest } from '../../scenario/fault-request.js';
import { formatProblem } from '../../scenario/parse.js';
import { streamHandler } from './stream.js';
import { dashboardPage } from '../../dashboard/routes.js';
import { durationMs } from '../../scenario/duration.js';
import { listBundledScenarios, readBundledScenario } from '../../scenario/load.js';
import {
  clockOf,
  faultOf,
  journalEntryOf,
  clusterOf,
  decisionOf,
  engineOf,
  eventOf,
  loadBalancingOf,
  stateOf,
} from './serializers.js';

export interface ControlContext extends HttpContext {
  clock: Clock;
  /** Brings the simulation up to the clock (a stream reads it between requests). */
  sync(): void;
  reset(): void;
  advance(ms: number): void;
  loadScenario(text: string, source?: string): ScenarioLoad;
  restartScenario(): ScenarioLoad;
  clearScenario(): boolean;
  scenarioProgress(): ScenarioProgress | undefined;
  exportState(): SavedState;
  importState(state: unknown): void;
}

/** The operations a run-time fault may name. */
const OPERATIONS = knownOperations();

const controlErrors = jsonErrors({
  badRequest: 400,
  unauthorized: 401,
  notFound: 404,
  methodNotAllowed: 405,
  payloadTooLarge: 413,
  unsupportedMediaType: 415,
  forbidden: 403,
  conflict: 409,
  unavailable: 503,
});

function integerQuery(req: Request, name: string, min: number, max: number): number | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw errors.invalidQuery(name, `must be an integer from ${min} to ${max}`);
  }
  return Number(raw);
}

function stringQuery(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined || typeof raw === 'string') return raw;
  throw errors.invalidQuery(name, 'must be given once');
}

const CONTROL_LISTING = 'GET /__sim/openapi/control.yaml';

const DOCUMENTS: Record<string, DocumentName> = { 'seed.yaml': 'seed', 'qlik.yaml': 'qlik', 'control.yaml': 'control' };

function controlHandlers(ctx: ControlContext): RequestHandlers {
  const state = () => stateOf(ctx.world(), ctx.clock.snapshot());
  return {
    getState: (_req, res) => sendJson(res, 200, state()),
    resetState(_req, res) {
      ctx.reset();
      sendJson(res, 200, state());
    },
    exportState: (_req, res) => sendJson(res, 200, ctx.exportState()),
    importState(req, res) {
      ctx.importState(req.body);
      sendJson(res, 200, state());
    },
    getClock: (_req, res) => sendJson(res, 200, clockOf(ctx.clock.snapshot())),
    setClock(req, res) {
      const { paused, speed } = req.body as { paused?: boolean; speed?: number };
      if (speed !== undefined) ctx.clock.setSpeed(speed);
      if (paused === true) ctx.clock.pause();
      if (paused === false) ctx.clock.resume();
      sendJson(res, 200, clockOf(ctx.clock.snapshot()));
    },
    advanceClock(req, res) {
      ctx.advance((req.body as { ms: number }).ms);
      sendJson(res, 200, clockOf(ctx.clock.snapshot()));
    },
    getEvents(req, res) {
      const query = {
        since: integerQuery(req, 'since', 0, Number.MAX_SAFE_INTEGER),
        limit: integerQuery(req, 'limit', 1, 10_000),
        type: stringQuery(req, 'type'),
      };
      sendJson(res, 200, ctx.world().events.query(query).map(eventOf));
    },
    getCluster: (_req, res) => sendJson(res, 200, clusterOf(ctx.world().cluster)),
    setEngine(req, res) {
      const world = ctx.world();
      const engine = world.cluster.engine(param(req.params.engineId));
      const { status, cpuSpike } = req.body as { status?: EngineStatus; cpuSpike?: number };
      if (status !== undefined) world.setEngineStatus(engine.id, status);
      if (cpuSpike !== undefined) world.setEngineSpike(engine.id, cpuSpike);
      sendJson(res, 200, engineOf(engine, world.cluster));
    },
    getDecisions(req, res) {
      const query = {
        since: integerQuery(req, 'since', 0, Number.MAX_SAFE_INTEGER),
        limit: integerQuery(req, 'limit', 1, 10_000),
      };
      const { cluster } = ctx.world();
      sendJson(
        res,
        200,
        cluster.decisions.query(query).map((d) => decisionOf(d, cluster)),
      );
    },
    getLoadBalancing: (_req, res) => sendJson(res, 200, loadBalancingOf(ctx.world())),
    setLoadBalancing(req, res) {
      const { strategy, virtualProxy } = req.body as { strategy: Strategy; virtualProxy?: string };
      ctx.world().setStrategy(strategy, virtualProxy);
      sendJson(res, 200, loadBalancingOf(ctx.world()));
    },
    getScenario(_req, res) {
      const progress = ctx.scenarioProgress();
      if (!progress) throw errors.noScenario();
      sendJson(res, 200, progress);
    },
    loadScenario(req, res) {
      const result = ctx.loadScenario(String(req.body ?? ''));
      if (result.ok) return sendJson(res, 200, result.progress);
      const { problems } = result;
      const message = `The scenario was not loaded (nothing changed): ${problems.map(formatProblem).join('; ')}`;
      sendJson(res, 400, { message, problems });
    },
    clearScenario(_req, res) {
      if (!ctx.clearScenario()) throw errors.noScenario();
      res.status(204).end();
    },
    restartScenario(_req, res) {
      const result = ctx.restartScenario();
      if (!result.ok) throw errors.noScenario();
      sendJson(res, 200, result.progress);
    },
    getFaults(_req, res) {
      const world = ctx.world();
      sendJson(res, 200, world.faults.list(world.now).map(faultOf));
    },
    addFault(req, res) {
      const world = ctx.world();
      const parsed = parseFaultRequest(req.body as Record<string, unknown>, OPERATIONS);
      if (!parsed.ok) throw errors.invalidBody('', parsed.problem);
      const expiresAt = parsed.ttlMs === undefined ? undefined : world.now + parsed.ttlMs;
      sendJson(res, 201, faultOf(world.faults.add(parsed.spec, 'runtime', { expiresAt })));
    },
    deleteFault(req, res) {
      if (!ctx.world().faults.remove(param(req.params.faultId))) throw errors.faultNotFound(param(req.params.faultId));
      res.status(204).end();
    },
    getRequests(req, res) {
      const query = {
        operation: stringQuery(req, 'operation'),
        since: integerQuery(req, 'since', 0, Number.MAX_SAFE_INTEGER),
        limit: integerQuery(req, 'limit', 1, 10_000),
      };
      sendJson(res, 200, ctx.world().journal.query(query).map(journalEntryOf));
    },
    streamSnapshots: streamHandler(ctx),
    startSurge(req, res) {
      const { users, over, virtualProxy } = req.body as { users: number; over: string | number; virtualProxy?: string };
      ctx.world().surge(users, durationMs(over), virtualProxy);
      res.status(202).end();
    },
    async getBundledScenarios(_req, res) {
      sendJson(res, 200, await listBundledScenarios());
    },
    async getBundledScenario(req, res) {
      const text = await readBundledScenario(param(req.params.file));
      if (text === undefined) throw errors.routeNotFound(req.method, pathOf(req), 'GET /__sim/scenarios');
      res.status(200).type('application/yaml').send(text);
    },
    getSimHealth: (_req, res) => sendJson(res, 200, ctx.world().health()),
    setSimHealth(req, res) {
      const { healthy, reason } = req.body as { healthy: boolean; reason?: string };
      sendJson(res, 200, ctx.world().setHealth(healthy, reason));
    },
    getDashboard: dashboardPage(),
    getOpenApiDocument(req, res) {
      const name = DOCUMENTS[param(req.params.document)];
      if (!name) throw errors.routeNotFound(req.method, pathOf(req), CONTROL_LISTING);
      res.status(200).type('application/yaml').send(loadDocument(name).text);
    },
  };
}

/** The /__sim control API, routed from its own OpenAPI document, bodies checked against it. */
export function controlRouter(ctx: ControlContext): Router {
  return routerFromDocument(loadDocument('control'), controlHandlers(ctx), {
    before: (op) =>
      op.acceptsYaml
        ? [textBody()]
        : op.requestSchema
          ? [jsonBody(op.bodyLimit), validateBody(op.requestSchema, true)]
          : [],
    onError: controlErrors,
    listedAt: CONTROL_LISTING,
  });
}
