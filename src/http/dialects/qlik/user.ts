import type { Call } from '../../call.js';
import type { Handlers } from '../../operations.js';
import { sessionOf } from './serializers.js';

const userOf = ({ proxy, params }: Call) =>
  [proxy.prefix, params.userDirectory ?? '', params.userId ?? '', true] as const;

/** User: a user's sessions on a virtual proxy, and logging them out (both answer arrays, empty for a stranger). */
export function userHandlers(): Handlers {
  return {
    getUserSessions(call) {
      call.json(200, call.world.userSessions(...userOf(call)).map(sessionOf));
    },
    deleteUserSessions(call) {
      call.json(200, call.world.endUserSessions(...userOf(call)).map(sessionOf));
    },
  };
}
