import type { RequestHandler } from 'express';
import { NO_FAULT, type Verdict } from '../../domain/faults.js';
import type { HttpContext } from '../context.js';
import { pathOf } from '../spec-router.js';

/** Records each call of the simulated API (not the control API) in the world's journal when it ends. */
export function journal(ctx: HttpContext): RequestHandler {
  return (req, res, next) => {
    const world = ctx.world();
    const at = world.now;
    const started = performance.now();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      world.journal.record({
        at,
        method: req.method,
        path: pathOf(req),
        operationId: res.locals.operationId as string | undefined,
        status: res.locals.dropped === true || !res.headersSent ? 0 : res.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        shapedBy: ((res.locals.verdict as Verdict | undefined) ?? NO_FAULT).shapedBy,
      });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
