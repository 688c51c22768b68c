import type { RequestHandler, Router } from 'express';
import { errors } from '../domain/errors.js';
import type { VirtualProxy } from '../domain/site.js';
import type { HttpContext } from './context.js';

/** `/qps/...` (default proxy) or `/{prefix}/qps/...`; a prefix may itself contain `/`. */
const QPS_PATH = /^\/(?:(.+?)\/)?qps(\/.*)?$/i;

/**
 * Routes `/{prefix}/qps/...` to a dialect router with the prefix resolved to a virtual proxy
 * (in `res.locals.proxy`) and the URL made relative to `/qps`; an unknown prefix is a 404.
 */
export function dispatchVirtualProxies(ctx: HttpContext, router: Router): RequestHandler {
  return (req, res, next) => {
    const match = QPS_PATH.exec(req.path);
    if (!match) return next();
    const world = ctx.world();
    const prefix = match[1] ?? '';
    const proxy = world.proxy(prefix);
    if (!proxy) return next(errors.unknownVirtualProxy(prefix, [...world.site.proxies.keys()]));
    routeThrough(router, proxy, match[2] ?? '/', req, res, next);
  };
}

/**
 * Hands a request to `router` as if it had come in for `path` (its query kept) through `proxy`, as
 * mounting a router does; the URL is put back when the router passes it on.
 */
export function routeThrough(
  router: Router,
  proxy: VirtualProxy,
  path: string,
  ...[req, res, next]: Parameters<RequestHandler>
): void {
  res.locals.proxy = proxy;
  const url = req.url;
  const query = url.indexOf('?');
  req.url = path + (query === -1 ? '' : url.slice(query));
  router(req, res, (err?: unknown) => {
    req.url = url;
    next(err);
  });
}
