import type { Router } from 'express';
import { loadDocument } from '../../../openapi/documents.js';
import type { HttpContext } from '../../context.js';
import { requireXrfkey } from '../../middleware/xrfkey.js';
import { routerFromDocument } from '../../spec-router.js';
import { aboutHandlers } from './about.js';
import { seedErrors } from './errors.js';
import { healthHandlers } from './health.js';
import { sessionHandlers } from './session.js';
import { userHandlers } from './user.js';

/**
 * The seed dialect: every operation of the seed document, relative to `/qps` (the virtual-proxy
 * dispatcher strips the prefix), with the Xrfkey check where the operation declares the parameter.
 */
export function seedRouter(ctx: HttpContext): Router {
  const doc = loadDocument('seed');
  const handlers = {
    ...aboutHandlers(ctx, doc),
    ...sessionHandlers(ctx),
    ...userHandlers(ctx),
    ...healthHandlers(ctx),
  };
  return routerFromDocument(doc, handlers, {
    before: (op) => (op.xrfkey ? [requireXrfkey] : []),
    onError: seedErrors,
    pending: { prioritizeLoadBalancing: 'load balancing comes with the simulated engine cluster' },
  });
}
