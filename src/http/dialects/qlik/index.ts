import { errors } from '../../../domain/errors.js';
import type { VirtualProxy } from '../../../domain/site.js';
import type { World } from '../../../domain/world.js';
import { loadDocument } from '../../../openapi/documents.js';
import type { Call } from '../../call.js';
import type { HttpContext } from '../../context.js';
import type { Dialect } from '../../dialect.js';
import { compileOperations, type Operations } from '../../operations.js';
import { aboutHandlers } from './about.js';
import { engineHandlers } from './engine.js';
import { qlikErrors } from './errors.js';
import { frontProxy, redeemTicket } from './front-end.js';
import { hubHandlers } from './hub.js';
import { lenientJsonBody } from './input.js';
import { loadBalancingHandlers } from './load-balancing.js';
import { personalHandlers } from './personal.js';
import { sessionHandlers } from './session.js';
import { ticketHandlers } from './ticket.js';
import { userHandlers } from './user.js';

const PREFIX_FIRST = /^\/(.+?)\/qps(\/.*)?$/i;
const PERSONAL = /^\/(?:(.+?)\/)?qps\/user\/?$/i;
/** The backend API written prefix first (/{prefix}/qps/...). */
const BACKEND = /^\/.+?\/qps(\/|$)/i;
/** Paths that belong to the backend, the module, the engines or the control API, never the front end. */
const NOT_FRONT = /^\/(qps|__sim|loadbalancing|engines)(\/|$)/i;
const LISTED_AT = 'GET /qps/about/description';

/** The virtual proxy and the path within the backend, for either way of writing the prefix. */
function backendTarget(world: World, path: string): { proxy: VirtualProxy; path: string } | undefined {
  if (/^\/qps(\/|$)/i.test(path)) {
    // The real layout: /qps/{prefix}/... (the longest configured prefix that fits; the default otherwise).
    const rest = path.slice(4) || '/';
    let proxy = world.requireProxy('');
    for (const candidate of world.site.proxies.values()) {
      const p = candidate.prefix;
      if (p !== '' && rest.startsWith(`/${p}/`) && p.length > proxy.prefix.length) proxy = candidate;
    }
    return { proxy, path: proxy.prefix === '' ? rest : rest.slice(proxy.prefix.length + 1) };
  }
  // /{prefix}/qps/...: what qlik-rest-api's `proxy` option sends.
  const match = PREFIX_FIRST.exec(path);
  if (!match) return undefined;
  return { proxy: world.requireProxy(match[1] ?? ''), path: match[2] ?? '/' };
}

/**
 * The qlik dialect: a real QPS's wire behaviour. The backend at /qps/{prefix}/... (the prefix after /qps,
 * as a real QPS has it; it may contain /) and at /{prefix}/qps/... as some clients write it; the Personal
 * API and ticket redemption on the front end; the load-balancing module and the engines' health checks.
 * Errors in plain text.
 */
export function qlikDialect(ctx: HttpContext): Dialect {
  const doc = loadDocument('qlik');
  const handlers = {
    ...ticketHandlers(),
    ...sessionHandlers(),
    ...userHandlers(),
    ...aboutHandlers(ctx, doc),
    ...personalHandlers(),
    ...hubHandlers(),
    ...loadBalancingHandlers(),
    ...engineHandlers(),
  };
  const fail = qlikErrors(doc, ctx.logger);
  const lenient = lenientJsonBody();
  const area = (name: string) =>
    compileOperations(doc, handlers, { area: name, fail, bodyOf: (op) => (op.requestSchema ? lenient : undefined) });
  const backend = area('backend');
  const personal = area('personal');
  const hub = area('front');
  const module = area('module');
  const engine = area('engine');

  /** Serves the call on the proxy, or answers that nothing is there (naming where the list is). */
  const within = (call: Call, operations: Operations, proxy: VirtualProxy, path: string, listedAt?: string) => {
    call.proxy = proxy;
    if (!operations.serve(call, path)) fail(call, errors.routeNotFound(call.method, call.path, listedAt));
  };
  const route = (call: Call) => {
    const { world, path } = call;
    const personalMatch = PERSONAL.exec(path);
    if (personalMatch) return within(call, personal, world.requireProxy(personalMatch[1] ?? ''), '/user', LISTED_AT);
    if (!NOT_FRONT.test(path) && !BACKEND.test(path)) {
      const { proxy, rest } = frontProxy(world, path);
      call.proxy = proxy;
      if (!redeemTicket(call)) within(call, hub, proxy, rest, LISTED_AT);
      return;
    }
    const target = backendTarget(world, path);
    if (target) return within(call, backend, target.proxy, target.path, LISTED_AT);
    if (module.serve(call, path) || engine.serve(call, path)) return;
    fail(call, errors.routeNotFound(call.method, call.path));
  };
  return {
    serve(call) {
      try {
        route(call);
      } catch (error) {
        fail(call, error);
      }
    },
  };
}
