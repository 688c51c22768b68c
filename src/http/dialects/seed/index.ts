import type { ErrorRequestHandler, RequestHandler } from 'express';
import { loadDocument } from '../../../openapi/documents.js';
import type { HttpContext } from '../../context.js';
import { applyFaults } from '../../middleware/faults.js';
import { jsonBody } from '../../middleware/body.js';
import { validateBody } from '../../middleware/validate-body.js';
import { requireXrfkey } from '../../middleware/xrfkey.js';
import { routerFromDocument } from '../../spec-router.js';
import { dispatchVirtualProxies } from '../../virtual-proxies.js';
import { aboutHandlers } from './about.js';
import { seedErrors } from './errors.js';
import { healthHandlers } from './health.js';
import { loadBalancingHandlers } from './load-balancing.js';
import { sessionHandlers } from './session.js';
import { userHandlers } from './user.js';

/**
 * The seed dialect: every operation of the seed document, relative to `/qps` (the virtual-proxy
 * dispatcher strips the prefix), with the Xrfkey check where the operation declares the parameter
 * and the body checked against the document where it takes one.
 */
export function seedDialect(ctx: HttpContext): { routes: RequestHandler[]; onError: ErrorRequestHandler } {
  const doc = loadDocument('seed');
  const handlers = {
    ...aboutHandlers(ctx, doc),
    ...sessionHandlers(ctx),
    ...userHandlers(ctx),
    ...healthHandlers(ctx),
    ...loadBalancingHandlers(ctx),
  };
  const onError = seedErrors(doc);
  const router = routerFromDocument(doc, handlers, {
    before: (op) => [
      applyFaults(ctx, op.operationId),
      ...(op.xrfkey ? [requireXrfkey] : []),
      ...(op.requestSchema ? [jsonBody(), validateBody(op.requestSchema, true)] : []),
    ],
    onError,
  });
  return { routes: [dispatchVirtualProxies(ctx, router)], onError };
}
