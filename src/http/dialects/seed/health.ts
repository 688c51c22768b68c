import type { Handlers, HttpContext } from '../../context.js';

/** Health: 200 while the proxy is healthy, 503 when it is not; both without a body, as the contract declares. */
export function healthHandlers(ctx: HttpContext): Handlers {
  return {
    getProxyHealth(_req, res) {
      res.status(ctx.world().health().healthy ? 200 : 503).end();
    },
  };
}
