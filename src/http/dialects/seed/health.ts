import { errors } from '../../../domain/errors.js';
import type { Handlers, HttpContext } from '../../context.js';

/** Health: 200 while the proxy is healthy, 503 (with the reason) when it is not. */
export function healthHandlers(ctx: HttpContext): Handlers {
  return {
    getProxyHealth(_req, res) {
      const health = ctx.world().health();
      if (!health.healthy) throw errors.proxyUnhealthy(health.reason);
      res.status(200).end();
    },
  };
}
