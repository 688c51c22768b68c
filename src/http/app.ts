import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { errors } from '../domain/errors.js';
import type { Dialect } from '../options.js';
import type { HttpContext } from './context.js';
import { controlRouter, type ControlContext } from './control/index.js';
import { dashboardRouter } from '../dashboard/routes.js';
import { qlikDialect } from './dialects/qlik/index.js';
import { controlAccess } from './middleware/control-access.js';
import { journal } from './middleware/journal.js';
import { seedDialect } from './dialects/seed/index.js';
import { sendJson } from './send.js';
import { pathOf } from './spec-router.js';

export interface AppDeps extends HttpContext {
  /** Brings the simulation up to the clock before a request reads it. */
  sync(): void;
  /** The control API's actions; absent with --no-control. */
  control: ControlContext | undefined;
  controlToken: string | undefined;
  logger: Logger;
  /** Which wire dialect the QPS speaks: the seed contract, or a real QPS's behaviour. */
  dialect: Dialect;
}

/** The last resort: a bug in the simulator, never a client's mistake. Logged, and said plainly. */
function unexpectedErrors(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    logger.error({ err, method: req.method, path: pathOf(req) }, 'unexpected error');
    if (res.headersSent) return res.destroy();
    sendJson(res, 500, { message: `qps-sim failed unexpectedly on ${req.method} ${pathOf(req)}; this is a bug.` });
  };
}

/** The Express app: the control API at /__sim, then the dialect's routes and its error mapper. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, _res, next) => {
    deps.sync();
    next();
  });
  // Per-request logging only when asked for: it is off the hot path at the default level.
  if (deps.logger.isLevelEnabled('debug')) {
    app.use((req, res, next) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        deps.logger.debug({ method: req.method, path: pathOf(req), status: res.statusCode, ms }, 'request');
      });
      next();
    });
  }
  if (deps.control) {
    app.use('/__sim', controlAccess(deps.controlToken));
    app.use('/__sim/ui', dashboardRouter());
    app.use('/__sim', controlRouter(deps.control));
  }
  app.use(journal(deps));
  const dialect = deps.dialect === 'qlik' ? qlikDialect(deps) : seedDialect(deps);
  for (const route of dialect.routes) app.use(route);
  app.use((req, _res, next) => next(errors.routeNotFound(req.method, pathOf(req))));
  app.use(dialect.onError);
  app.use(unexpectedErrors(deps.logger));
  return app;
}
