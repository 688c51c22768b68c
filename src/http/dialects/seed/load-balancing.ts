import { rankedEngines } from '../../../domain/decisions.js';
import type { PrioritizeRequest } from '../../../domain/world.js';
import type { Handlers } from '../../operations.js';

/** Load Balancing: the engines for a user and an app, best first, from the proxy's strategy. */
export function loadBalancingHandlers(): Handlers {
  return {
    prioritizeLoadBalancing(call) {
      const { world } = call;
      const decision = world.prioritize(call.proxy.prefix, call.body as PrioritizeRequest);
      call.json(200, {
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
