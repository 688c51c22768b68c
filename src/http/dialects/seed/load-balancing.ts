import { rankedEngines } from '../../../domain/decisions.js';
import type { PrioritizeRequest } from '../../../domain/world.js';
import { proxyOf, type Handlers, type HttpContext } from '../../context.js';
import { sendJson } from '../../send.js';

/** Load Balancing: the engines for a user and an app, best first, from the proxy's strategy. */
export function loadBalancingHandlers(ctx: HttpContext): Handlers {
  return {
    prioritizeLoadBalancing(req, res) {
      const world = ctx.world();
      const decision = world.prioritize(proxyOf(res).prefix, req.body as PrioritizeRequest);
      sendJson(res, 200, {
        engineServices: rankedEngines(decision, world.cluster).map(
          ({ engineId, hostName, port, priority, isAppOpen }) => ({
            engineId,
            hostName,
            port,
            priority,
            isAppOpen,
          }),
        ),
      });
    },
  };
}
