import { parse as parseCookies } from 'cookie';
import { errors } from '../../../domain/errors.js';
import type { Session } from '../../../domain/sessions.js';
import type { VirtualProxy } from '../../../domain/site.js';
import type { World } from '../../../domain/world.js';
import type { Call } from '../../call.js';

const TICKET_PARAM = /^(qlikticket|x-qlik-ticket)$/i;

/** The virtual proxy of a front-end path: the longest configured prefix it starts with, else the default. */
export function frontProxy(world: World, path: string): { proxy: VirtualProxy; rest: string } {
  let best: VirtualProxy | undefined;
  for (const proxy of world.site.proxies.values()) {
    const p = proxy.prefix;
    if (p === '' || (path !== `/${p}` && !path.startsWith(`/${p}/`))) continue;
    if (!best || p.length > best.prefix.length) best = proxy;
  }
  const proxy = best ?? world.requireProxy('');
  return { proxy, rest: proxy.prefix === '' ? path : path.slice(proxy.prefix.length + 1) || '/' };
}

/** The session a call's cookie names on its virtual proxy, if it is alive; using it is activity. */
export function cookieSession(call: Call): Session | undefined {
  const header = call.header('cookie');
  if (!header) return undefined;
  const { world, proxy } = call;
  const id = parseCookies(header)[proxy.sessionCookieHeaderName];
  const session = id ? world.sessions.get(id.toLowerCase()) : undefined;
  if (!session || session.proxy !== proxy.prefix) return undefined;
  world.markActive(session);
  return session;
}

/** Sets the virtual proxy's session cookie, or (`clear`) expires it (at the epoch: no wall clock in the answer). */
export function setSessionCookie(call: Call, value: string, clear = false) {
  call.setCookie(call.proxy.sessionCookieHeaderName, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: call.protocol === 'https',
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
function withoutTicket(call: Call): string {
  const path = call.path.replace(/^[/\\]+/, '/');
  const query = call.rawQuery === '' ? [] : call.rawQuery.split('&');
  const kept = query.filter((part) => part !== '' && !TICKET_PARAM.test(decodedName(part)));
  return kept.length === 0 ? path : `${path}?${kept.join('&')}`;
}

/**
 * Ticket redemption on any front-end address: a 302 to the same address without the ticket, with the
 * session cookie set. False when the call carries no ticket.
 */
export function redeemTicket(call: Call): boolean {
  const ticket = Object.entries(call.query).find(([name]) => TICKET_PARAM.test(name))?.[1];
  if (ticket === undefined) return false;
  call.operationId = 'openHub';
  if (typeof ticket !== 'string') throw errors.ticketRefused('given more than once');
  const session = call.world.redeemTicket(call.proxy.prefix, ticket);
  setSessionCookie(call, session.id);
  call.redirect(withoutTicket(call));
  return true;
}
