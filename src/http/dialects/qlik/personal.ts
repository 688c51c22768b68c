import type { Call } from '../../call.js';
import type { Handlers } from '../../operations.js';
import { cookieSession, setSessionCookie } from './front-end.js';

const base = (call: Call) =>
  `${call.protocol}://${call.header('host') ?? 'localhost'}${call.proxy.prefix === '' ? '' : `/${call.proxy.prefix}`}`;

/** A targetUri is valid when it names the proxy's own host or one of the virtual proxy's allowed hosts. */
function validTarget(call: Call): string | undefined {
  const target = call.query.targetUri;
  if (typeof target !== 'string') return undefined;
  try {
    const host = new URL(target).hostname.toLowerCase();
    return host === call.hostname.toLowerCase() || call.proxy.hostAllowList.includes(host) ? target : undefined;
  } catch {
    return undefined;
  }
}

/** Personal: who the browser's session cookie says is logged in (every documented shape), and logout. */
export function personalHandlers(): Handlers {
  return {
    getPersonalUser(call) {
      const session = cookieSession(call);
      if (session) {
        return call.json(200, {
          userDirectory: session.userDirectory,
          userId: session.userId,
          userName: session.userName,
          logoutUri: `${base(call)}/qps/user`,
        });
      }
      const target = validTarget(call);
      if (call.proxy.anonymousAccess) {
        return call.json(200, {
          userDirectory: 'NONE',
          userId: call.world.anonymousUserId(),
          session: 'inactive',
          loginUri: target ?? `${base(call)}/hub/`,
        });
      }
      call.json(200, target ? { session: 'inactive', loginUri: target } : { session: 'inactive' });
    },
    deletePersonalUser(call) {
      const session = cookieSession(call);
      if (session) call.world.logout(session);
      setSessionCookie(call, '', true);
      call.end(204);
    },
  };
}
