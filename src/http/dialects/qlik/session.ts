import { param, proxyOf, type Handlers, type HttpContext } from '../../context.js';
import { sendJson } from '../../send.js';
import { attributesField, objectBody, userField } from './input.js';
import { sessionOf } from './serializers.js';
import { errors } from '../../../domain/errors.js';
import { UUID } from '../../../domain/sessions.js';

/** Session: add (with the caller's id), list, get and delete (answering with the deleted session). */
export function sessionHandlers(ctx: HttpContext): Handlers {
  return {
    addSession(req, res) {
      const body = objectBody(req.body);
      const id = userField(body, 'SessionId');
      if (!UUID.test(id)) throw errors.invalidBody('SessionId', 'must be a GUID');
      const { session, newUser } = ctx.world().addSession(proxyOf(res).prefix, {
        userDirectory: userField(body, 'UserDirectory'),
        userId: userField(body, 'UserId'),
        attributes: attributesField(body),
        id,
      });
      sendJson(res, 201, { ...sessionOf(session), NewUser: newUser });
    },
    getSessions(_req, res) {
      sendJson(res, 200, ctx.world().listSessions(proxyOf(res).prefix).map(sessionOf));
    },
    getSession(req, res) {
      sendJson(res, 200, sessionOf(ctx.world().getSession(proxyOf(res).prefix, param(req.params.id))));
    },
    deleteSession(req, res) {
      sendJson(res, 200, sessionOf(ctx.world().endSession(proxyOf(res).prefix, param(req.params.id))));
    },
  };
}
