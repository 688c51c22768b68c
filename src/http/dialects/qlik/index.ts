import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
import { loadDocument } from '../../../openapi/documents.js';
import type { VirtualProxy } from '../../../domain/site.js';
import type { World } from '../../../domain/world.js';
import type { HttpContext } from '../../context.js';
import { applyFaults } from '../../middleware/faults.js';
import { requireXrfkey } from '../../middleware/xrfkey.js';
import { routerFromDocument } from '../../spec-router.js';
import { routeThrough } from '../../virtual-proxies.js';
import { aboutHandlers } from './about.js';
import { engineHandlers } from './engine.js';
import { qlikErrors } from './errors.js';
import { frontEnd } from './front-end.js';
import { hubHandlers } from './hub.js';
import { lenientJsonBody } from './input.js';
import { loadBalancingHandlers } from './load-balancing.js';
import { personalHandlers } from './personal.js';
import { sessionHandlers } from './session.js';
import { ticketHandlers } from './ticket.js';
import { userHandlers } from './user.js';

const PREFIX_FIRST = /^\/(.+?)\/qps(\/.*)?$/i;

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
 * The backend at /qps/{prefix}/... (the prefix after /qps, as a real QPS has it; it may contain /), and
 * at /{prefix}/qps/... as some clients write it.
 */
function dispatchBackend(ctx: HttpContext, router: Router): RequestHandler {
  return (req, res, next) => {
    const target = backendTarget(ctx.world(), req.path);
    if (!target) return next();
    routeThrough(router, target.proxy, target.path, req, res, next);
  };
}

/**
 * The qlik dialect: a real QPS's wire behaviour. The backend at /qps/[{prefix}/]..., the Personal API
 * and ticket redemption on the front end, the load-balancing module and the engines' health checks;
 * errors in plain text: the middleware in the order the app mounts it, and the error mapper.
 */
export function qlikDialect(ctx: HttpContext): { routes: RequestHandler[]; onError: ErrorRequestHandler } {
  const doc = loadDocument('qlik');
  const handlers = {
    ...ticketHandlers(ctx),
    ...sessionHandlers(ctx),
    ...userHandlers(ctx),
    ...aboutHandlers(ctx, doc),
    ...personalHandlers(ctx),
    ...hubHandlers(ctx),
    ...loadBalancingHandlers(ctx),
    ...engineHandlers(ctx),
  };
  const onError = qlikErrors(
    new Set(doc.operations.flatMap((op) => op.bodilessStatuses.map((status) => `${op.operationId} ${status}`))),
  );
  const router = (area: string, listedAt: string, fallthrough = false) =>
    routerFromDocument(doc, handlers, {
      area,
      fallthrough,
      onError,
      listedAt,
      before: (op) => [
        applyFaults(ctx, op.operationId),
        ...(op.xrfkey ? [requireXrfkey] : []),
        ...(op.requestSchema ? [lenientJsonBody()] : []),
      ],
    });
  const listedAt = 'GET /qps/about/description';
  const routes = [
    frontEnd(ctx, router('personal', listedAt), router('front', listedAt)),
    dispatchBackend(ctx, router('backend', listedAt)),
    router('module', listedAt, true),
    router('engine', listedAt, true),
  ];
  return { routes, onError };
}
