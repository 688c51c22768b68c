import { errors } from '../../../domain/errors.js';
import type { Handlers } from '../../operations.js';
import { healthcheckOf } from './serializers.js';

/** Engine: each simulated engine's /healthcheck document (by host name, id or position). */
export function engineHandlers(): Handlers {
  return {
    getEngineHealthcheck(call) {
      const { world } = call;
      const ref = call.params.engine ?? '';
      const engine = world.cluster.requireEngine(/^\d+$/.test(ref) ? Number(ref) : ref);
      if (engine.status === 'down') throw errors.engineDown(engine.hostName);
      call.json(
        200,
        healthcheckOf(engine, world.now, (id) => world.sessions.get(id)),
      );
    },
  };
}
