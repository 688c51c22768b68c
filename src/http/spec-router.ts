import { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { errors } from '../domain/errors.js';
import type { OpenApiDocument, Operation } from '../openapi/documents.js';
import type { RequestHandlers } from './context.js';

/** `/session/{id}` in a document is `/session/:id` to Express. */
export const expressPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

export const pathOf = (req: Request): string => req.originalUrl.split('?')[0] ?? '';

export interface SpecRouterOptions {
  /** Middleware an operation needs before its handler (Xrfkey check, body parsing). */
  before(op: Operation): RequestHandler[];
  /** Maps every error raised on these routes to the wire. */
  onError: ErrorRequestHandler;
  /** Where the operations are listed, for the message of a 404. */
  listedAt?: string;
  /** Only the operations of this area (`x-qps-sim-area`). */
  area?: string;
  /** Pass what matches no route on (no 404 of its own): for routers mounted beside others. */
  fallthrough?: boolean;
}

/**
 * A router built once, at start, from an OpenAPI document: one route per operation, the handler
 * named by its operationId (a missing one fails the start), 405 with Allow for a known path and
 * another method, 404 for anything else.
 */
export function routerFromDocument(
  doc: OpenApiDocument,
  handlers: RequestHandlers,
  options: SpecRouterOptions,
): Router {
  const router = Router({ caseSensitive: false, strict: false });
  const methodsByPath = new Map<string, string[]>();
  for (const op of doc.operations) {
    if (options.area !== undefined && op.area !== options.area) continue;
    const handler = handlers[op.operationId];
    if (!handler) throw new Error(`no handler for operation ${op.operationId} of the ${doc.name} document`);
    const path = expressPath(op.path);
    const method = op.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    router.route(path)[method](...options.before(op), handler);
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), op.method]);
  }
  for (const [path, methods] of methodsByPath) {
    router.all(path, (req, _res, next) => next(errors.methodNotAllowed(req.method, pathOf(req), methods)));
  }
  if (!options.fallthrough) {
    router.use((req, _res, next) => next(errors.routeNotFound(req.method, pathOf(req), options.listedAt)));
  }
  router.use(options.onError);
  return router;
}
