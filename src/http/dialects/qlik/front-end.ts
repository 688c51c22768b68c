import type { Request, RequestHandler, Response, Router } from 'express';
import { parse as parseCookies } from 'cookie';
import { errors } from '../../../domain/errors.js';
import type { Session } from '../../../domain/sessions.js';
import type { VirtualProxy } from '../../../domain/site.js';
import type { World } from '../../../domain/world.js';
import type { HttpContext } from '../../context.js';
import { routeThrough } from '../../virtual-proxies.js';

const TICKET_PARAM = /^(qlikticket|x-qlik-ticket)$/i;
const PERSONAL = /^\/(?:(.+?)\/)?qps\/user\/?$/i;
/** The backend API written prefix first (/{prefix}/qps/...). */
const BACKEND = /^\/.+?\/qps(\/|$)/i;
/** Paths that belong to the backend, the module, the engines or the control API, never the front end. */
const NOT_FRONT = /^\/(qps|__sim|loadbalancing|engines)(\/|$)/i;

/** The virtual proxy of a front-end path: the longest configured prefix it starts with, else the default. */
function frontProxy(world: World, path: string): { proxy: VirtualProxy; rest: string } {
  let best: VirtualProxy | undefined;
  for (const proxy of world.site.proxies.values()) {
    const p = proxy.prefix;
    if (p === '' || (path !== `/${p}` && !path.startsWith(`/${p}/`))) continue;
    if (!best || p.length > best.prefix.length) best = proxy;
  }
  const proxy = best ?? world.requireProxy('');
  return { proxy, rest: proxy.prefix === '' ? path : path.slice(proxy.prefix.length + 1) || '/' };
}

/** The session a request's cookie names on a virtual proxy, if it is alive; using it is activity. */
export function cookieSession(world: World, req: Request, proxy: VirtualProxy): Session | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  const id = parseCookies(header)[proxy.sessionCookieHeaderName];
  const session = id ? world.sessions.get(id.toLowerCase()) : undefined;
  if (!session || session.proxy !== proxy.prefix) return undefined;
  world.markActive(session);
  return session;
}

/** Sets the virtual proxy's session cookie, or (`clear`) expires it (at the epoch: no wall clock in the answer). */
export function setSessionCookie(req: Request, res: Response, proxy: VirtualProxy, value: string, clear = false) {
  res.cookie(proxy.sessionCookieHeaderName, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    ...(clear ? { expires: new Date(0) } : {}),
  });
}

const decodedName = (part: string) => {
  const name = part.split('=')[0] ?? '';
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
};

/**
 * The address without the ticket parameters, where the redeemed request is sent on to: the rest of the
 * query exactly as it came, and a path that cannot name another host (`//evil.example` is `/evil.example`).
 */
function withoutTicket(req: Request): string {
  const url = req.originalUrl;
  const at = url.indexOf('?');
  const path = (at === -1 ? url : url.slice(0, at)).replace(/^[/\\]+/, '/');
  const query = at === -1 ? [] : url.slice(at + 1).split('&');
  const kept = query.filter((part) => part !== '' && !TICKET_PARAM.test(decodedName(part)));
  return kept.length === 0 ? path : `${path}?${kept.join('&')}`;
}

/**
 * The front end: the Personal API at /{prefix}/qps/user, the hub, and ticket redemption on any
 * front-end address (a 302 to the same address without the ticket, with the session cookie set).
 */
export function frontEnd(ctx: HttpContext, personal: Router, hub: Router): RequestHandler {
  return (req, res, next) => {
    const world = ctx.world();
    const personalMatch = PERSONAL.exec(req.path);
    const route = (router: Router, proxy: VirtualProxy, path: string) =>
      routeThrough(router, proxy, path, req, res, next);
    if (personalMatch) return route(personal, world.requireProxy(personalMatch[1] ?? ''), '/user');
    if (NOT_FRONT.test(req.path) || BACKEND.test(req.path)) return next();
    const { proxy, rest } = frontProxy(world, req.path);
    const ticket = Object.entries(req.query).find(([name]) => TICKET_PARAM.test(name))?.[1];
    if (ticket !== undefined) {
      res.locals.operationId = 'openHub';
      if (typeof ticket !== 'string') return next(errors.ticketRefused('given more than once'));
      const session = world.redeemTicket(proxy.prefix, ticket);
      setSessionCookie(req, res, proxy, session.id);
      return res.status(302).location(withoutTicket(req)).end();
    }
    route(hub, proxy, rest);
  };
}
