import type { Call } from '../../call.js';
import type { Handlers } from '../../operations.js';
import { sessionOf } from './serializers.js';

const userOf = ({ proxy, params }: Call) => [proxy.prefix, params.userDirectory ?? '', params.userId ?? ''] as const;

/** User: a user's sessions on the virtual proxy the request came through. */
export function userHandlers(): Handlers {
  return {
    getUserSessions(call) {
      call.json(200, call.world.userSessions(...userOf(call)).map(sessionOf));
    },
    deleteUserSessions(call) {
      call.world.endUserSessions(...userOf(call));
      call.end(200);
    },
    getUserSessionCount(call) {
      call.json(200, { value: call.world.countUserSessions(...userOf(call)) });
    },
  };
}
