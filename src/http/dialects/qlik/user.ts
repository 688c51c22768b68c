import type { Request } from 'express';
import { param, proxyOf, type Handlers, type HttpContext } from '../../context.js';
import { sendJson } from '../../send.js';
import { sessionOf } from './serializers.js';

const userOf = (req: Request) => [param(req.params.userDirectory), param(req.params.userId)] as const;

/** User: a user's sessions on a virtual proxy, and logging them out (both answer arrays, empty for a stranger). */
export function userHandlers(ctx: HttpContext): Handlers {
  return {
    getUserSessions(req, res) {
      sendJson(
        res,
        200,
        ctx
          .world()
          .userSessions(proxyOf(res).prefix, ...userOf(req), true)
          .map(sessionOf),
      );
    },
    deleteUserSessions(req, res) {
      sendJson(
        res,
        200,
        ctx
          .world()
          .endUserSessions(proxyOf(res).prefix, ...userOf(req), true)
          .map(sessionOf),
      );
    },
  };
}
