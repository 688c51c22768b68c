import type { Handlers } from '../../operations.js';
import { attributesField, objectBody, optionalString, userField } from './input.js';
import { ticketOf } from './serializers.js';

/** Ticket: add a login ticket. */
export function ticketHandlers(): Handlers {
  return {
    addTicket(call) {
      const body = objectBody(call.body);
      const spec = {
        userDirectory: userField(body, 'UserDirectory'),
        userId: userField(body, 'UserId'),
        attributes: attributesField(body),
        targetId: optionalString(body, 'TargetId'),
      };
      const ticket = call.world.issueTicket(call.proxy.prefix, spec);
      // No authentication module redirects here, so no target is known: TargetUri is null, as a real
      // QPS answers a request without a TargetId.
      call.json(201, ticketOf(ticket, null));
    },
  };
}
