import { param, proxyOf, type Handlers, type HttpContext } from '../../context.js';
import { sendJson } from '../../send.js';
import { sessionOf } from './serializers.js';

/** Session: list, get and delete, on the virtual proxy the request came through. */
export function sessionHandlers(ctx: HttpContext): Handlers {
  // The serialized list of each proxy is reused until that proxy's sessions change.
  const lists = new Map<string, { world: unknown; version: number; body: string }>();
  return {
    getSessions(_req, res) {
      const world = ctx.world();
      const { prefix } = proxyOf(res);
      const version = world.sessions.version(prefix);
      let cached = lists.get(prefix);
      if (cached?.world !== world || cached.version !== version) {
        cached = { world, version, body: JSON.stringify(world.listSessions(prefix).map(sessionOf)) };
        lists.set(prefix, cached);
      }
      sendJson(res, 200, cached.body);
    },
    getSession(req, res) {
      sendJson(res, 200, sessionOf(ctx.world().getSession(proxyOf(res).prefix, param(req.params.id))));
    },
    deleteSession(req, res) {
      ctx.world().endSession(proxyOf(res).prefix, param(req.params.id));
      res.status(200).end();
    },
  };
}
