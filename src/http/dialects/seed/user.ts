import type { Request } from 'express';
import { param, proxyOf, type Handlers, type HttpContext } from '../../context.js';
import { sendJson } from '../../send.js';
import { sessionOf } from './serializers.js';

const userOf = (req: Request) => [param(req.params.userDirectory), param(req.params.userId)] as const;

/** User: a user's sessions on the virtual proxy the request came through. */
export function userHandlers(ctx: HttpContext): Handlers {
  return {
    getUserSessions(req, res) {
      sendJson(
        res,
        200,
        ctx
          .world()
          .userSessions(proxyOf(res).prefix, ...userOf(req))
          .map(sessionOf),
      );
    },
    deleteUserSessions(req, res) {
      ctx.world().endUserSessions(proxyOf(res).prefix, ...userOf(req));
      res.status(200).end();
    },
    getUserSessionCount(req, res) {
      sendJson(res, 200, { value: ctx.world().countUserSessions(proxyOf(res).prefix, ...userOf(req)) });
    },
  };
}
