import type { Handlers } from '../../operations.js';
import { sessionOf } from './serializers.js';

/** Session: list, get and delete, on the virtual proxy the request came through. */
export function sessionHandlers(): Handlers {
  // The serialized list of each proxy is reused until that proxy's sessions change.
  const lists = new Map<string, { world: unknown; version: number; body: Buffer }>();
  return {
    getSessions(call) {
      const { world, proxy } = call;
      const version = world.sessions.version(proxy.prefix);
      let cached = lists.get(proxy.prefix);
      if (cached?.world !== world || cached.version !== version) {
        const body = Buffer.from(JSON.stringify(world.listSessions(proxy.prefix).map(sessionOf)));
        cached = { world, version, body };
        lists.set(proxy.prefix, cached);
      }
      call.json(200, cached.body);
    },
    getSession(call) {
      call.json(200, sessionOf(call.world.getSession(call.proxy.prefix, call.params.id ?? '')));
    },
    deleteSession(call) {
      call.world.endSession(call.proxy.prefix, call.params.id ?? '');
      call.end(200);
    },
  };
}
