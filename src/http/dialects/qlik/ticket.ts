import { proxyOf, type Handlers, type HttpContext } from '../../context.js';
import { sendJson } from '../../send.js';
import { attributesField, objectBody, optionalString, userField } from './input.js';
import { ticketOf } from './serializers.js';

/** Ticket: add a login ticket. */
export function ticketHandlers(ctx: HttpContext): Handlers {
  return {
    addTicket(req, res) {
      const body = objectBody(req.body);
      const spec = {
        userDirectory: userField(body, 'UserDirectory'),
        userId: userField(body, 'UserId'),
        attributes: attributesField(body),
        targetId: optionalString(body, 'TargetId'),
      };
      const ticket = ctx.world().issueTicket(proxyOf(res).prefix, spec);
      // No authentication module redirects here, so no target is known: TargetUri is null, as a real
      // QPS answers a request without a TargetId.
      sendJson(res, 201, ticketOf(ticket, null));
    },
  };
}
