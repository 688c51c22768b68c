import type { Request } from 'express';
import { proxyOf, type Handlers, type HttpContext } from '../../context.js';
import { sendJson } from '../../send.js';
import type { VirtualProxy } from '../../../domain/site.js';
import { cookieSession, setSessionCookie } from './front-end.js';

const base = (req: Request, proxy: VirtualProxy) =>
  `${req.protocol}://${req.get('host') ?? 'localhost'}${proxy.prefix === '' ? '' : `/${proxy.prefix}`}`;

/** A targetUri is valid when it names the proxy's own host or one of the virtual proxy's allowed hosts. */
function validTarget(req: Request, proxy: VirtualProxy): string | undefined {
  const target = req.query.targetUri;
  if (typeof target !== 'string') return undefined;
  try {
    const host = new URL(target).hostname.toLowerCase();
    return host === req.hostname.toLowerCase() || proxy.hostAllowList.includes(host) ? target : undefined;
  } catch {
    return undefined;
  }
}

/** Personal: who the browser's session cookie says is logged in (every documented shape), and logout. */
export function personalHandlers(ctx: HttpContext): Handlers {
  return {
    getPersonalUser(req, res) {
      const world = ctx.world();
      const proxy = proxyOf(res);
      const session = cookieSession(world, req, proxy);
      if (session) {
        return sendJson(res, 200, {
          userDirectory: session.userDirectory,
          userId: session.userId,
          userName: session.userName,
          logoutUri: `${base(req, proxy)}/qps/user`,
        });
      }
      const target = validTarget(req, proxy);
      const loginUri = `${base(req, proxy)}/hub/`;
      if (proxy.anonymousAccess) {
        return sendJson(res, 200, {
          userDirectory: 'NONE',
          userId: world.anonymousUserId(),
          session: 'inactive',
          loginUri: target ?? loginUri,
        });
      }
      sendJson(res, 200, target ? { session: 'inactive', loginUri: target } : { session: 'inactive' });
    },
    deletePersonalUser(req, res) {
      const world = ctx.world();
      const proxy = proxyOf(res);
      const session = cookieSession(world, req, proxy);
      if (session) world.logout(session);
      setSessionCookie(req, res, proxy, '', true);
      res.status(204).end();
    },
  };
}
