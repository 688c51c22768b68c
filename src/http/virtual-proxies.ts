import type { RequestHandler, Router } from 'express';
import { errors } from '../domain/errors.js';
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
    res.locals.proxy = proxy;
    const url = req.url;
    req.url = (match[2] ?? '/') + url.slice(url.indexOf('?') === -1 ? url.length : url.indexOf('?'));
    router(req, res, (err?: unknown) => {
      req.url = url;
      next(err);
    });
  };
}
