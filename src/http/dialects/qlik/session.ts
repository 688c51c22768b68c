import type { Handlers } from '../../operations.js';
import { attributesField, objectBody, userField } from './input.js';
import { sessionOf } from './serializers.js';
import { errors } from '../../../domain/errors.js';
import { UUID } from '../../../domain/sessions.js';

/** Session: add (with the caller's id), list, get and delete (answering with the deleted session). */
export function sessionHandlers(): Handlers {
  return {
    addSession(call) {
      const body = objectBody(call.body);
      const id = userField(body, 'SessionId');
      if (!UUID.test(id)) throw errors.invalidBody('SessionId', 'must be a GUID');
      const { session, newUser } = call.world.addSession(call.proxy.prefix, {
        userDirectory: userField(body, 'UserDirectory'),
        userId: userField(body, 'UserId'),
        attributes: attributesField(body),
        id,
      });
      call.json(201, { ...sessionOf(session), NewUser: newUser });
    },
    getSessions(call) {
      call.json(200, call.world.listSessions(call.proxy.prefix).map(sessionOf));
    },
    getSession(call) {
      call.json(200, sessionOf(call.world.getSession(call.proxy.prefix, call.params.id ?? '')));
    },
    deleteSession(call) {
      call.json(200, sessionOf(call.world.endSession(call.proxy.prefix, call.params.id ?? '')));
    },
  };
}
