import type { Verdict } from '../../../domain/faults.js';
import type { Handlers, HttpContext } from '../../context.js';

/** Health: 200 while the proxy is healthy, 503 when it is not; both without a body, as the contract declares. */
export function healthHandlers(ctx: HttpContext): Handlers {
  return {
    getProxyHealth(_req, res) {
      const { healthy, step } = ctx.world().health();
      if (step !== undefined) {
        const verdict = res.locals.verdict as Verdict;
        const shaped = { id: `step-${step}`, source: 'scenario' as const, kind: 'healthFailure' as const, step };
        res.locals.verdict = { ...verdict, shapedBy: [...verdict.shapedBy, shaped] };
      }
      res.status(healthy ? 200 : 503).end();
    },
  };
}
