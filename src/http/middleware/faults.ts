import type { RequestHandler } from 'express';
import { errors } from '../../domain/errors.js';
import { NO_FAULT } from '../../domain/faults.js';
import type { HttpContext } from '../context.js';

/**
 * Applies what the domain's fault rules decide for a call of `operationId`: a delay, an injected
 * status, or a dropped connection. The verdict is kept for the journal.
 */
export function applyFaults(ctx: HttpContext, operationId: string): RequestHandler {
  return (req, res, next) => {
    res.locals.operationId = operationId;
    const world = ctx.world();
    const verdict = world.faults.size === 0 ? NO_FAULT : world.faults.judge(operationId, world.now);
    res.locals.verdict = verdict;
    if (verdict === NO_FAULT) return next();
    const answer = () => {
      if (verdict.drop) {
        res.locals.dropped = true;
        req.socket.destroy();
        return;
      }
      if (verdict.status !== undefined) return next(errors.injected(verdict.status, verdict.message, verdict.shapedBy));
      next();
    };
    if (verdict.delayMs > 0) setTimeout(answer, verdict.delayMs);
    else answer();
  };
}
