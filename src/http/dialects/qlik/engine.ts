import { errors } from '../../../domain/errors.js';
import { param, type Handlers, type HttpContext } from '../../context.js';
import { sendJson } from '../../send.js';
import { healthcheckOf } from './serializers.js';

/** Engine: each simulated engine's /healthcheck document (by host name, id or position). */
export function engineHandlers(ctx: HttpContext): Handlers {
  return {
    getEngineHealthcheck(req, res) {
      const world = ctx.world();
      const ref = param(req.params.engine);
      const engine = world.cluster.requireEngine(/^\d+$/.test(ref) ? Number(ref) : ref);
      if (engine.status === 'down') throw errors.engineDown(engine.hostName);
      sendJson(
        res,
        200,
        healthcheckOf(engine, world.now, (id) => world.sessions.get(id)),
      );
    },
  };
}
