import type { RequestListener } from 'node:http';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { errors } from '../domain/errors.js';
import type { Dialect as DialectName } from '../options.js';
import { Call } from './call.js';
import type { Dialect } from './dialect.js';
import type { HttpContext } from './context.js';
import { controlRouter, type ControlContext } from './control/index.js';
import { dashboardRouter } from '../dashboard/routes.js';
import { qlikDialect } from './dialects/qlik/index.js';
import { controlAccess } from './middleware/control-access.js';
import { seedDialect } from './dialects/seed/index.js';
import { answerBug } from './call-errors.js';
import { pathOf } from './spec-router.js';

export interface AppDeps extends HttpContext {
  /** Brings the simulation up to the clock before a request reads it. */
  sync(): void;
  /** The control API's actions; absent with --no-control. */
  control: ControlContext | undefined;
  controlToken: string | undefined;
  /** Which wire dialect the QPS speaks: the seed contract, or a real QPS's behaviour. */
  dialect: DialectName;
}

const CONTROL_PATH = /^\/__sim(?:[/?]|$)/i;

/** The last resort of the control API: a bug in the simulator, never a client's mistake. Logged, and said plainly. */
function unexpectedErrors(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    logger.error({ err, method: req.method, path: pathOf(req) }, 'unexpected error');
    answerBug(res, req.method, pathOf(req));
  };
}

/** The control API and the dashboard at /__sim: an Express app (they are not on the hot path). */
function controlApp(deps: AppDeps, control: ControlContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/__sim', controlAccess(deps.controlToken));
  app.use('/__sim/ui', dashboardRouter());
  app.use('/__sim', controlRouter(control));
  app.use((req, _res, next) => next(errors.routeNotFound(req.method, pathOf(req))));
  app.use(unexpectedErrors(deps.logger));
  return app;
}

/** Logs each request at debug level, with its status and duration. */
function logged(listener: RequestListener, logger: Logger): RequestListener {
  return (req, res) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug({ method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms }, 'request');
    });
    listener(req, res);
  };
}

/**
 * The simulator's request listener: the control API (unless turned off) at /__sim, and every other
 * request to the dialect, after the simulation is brought up to the clock.
 */
export function createApp(deps: AppDeps): RequestListener {
  const control = deps.control ? controlApp(deps, deps.control) : undefined;
  const dialect: Dialect = deps.dialect === 'qlik' ? qlikDialect(deps) : seedDialect(deps);
  const listener: RequestListener = (req, res) => {
    try {
      deps.sync();
      if (control && CONTROL_PATH.test(req.url ?? '/')) return control(req, res);
      dialect.serve(new Call(req, res, deps.world()));
    } catch (err) {
      // A bug in the simulator (the dialects answer every error of a client's): logged, never a crash.
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      deps.logger.error({ err, method: req.method, path }, 'unexpected error');
      answerBug(res, req.method, path);
    }
  };
  return deps.logger.isLevelEnabled('debug') ? logged(listener, deps.logger) : listener;
}
