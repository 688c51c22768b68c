import { errors } from '../../../domain/errors.js';
import { loadDocument } from '../../../openapi/documents.js';
import type { Call } from '../../call.js';
import type { HttpContext } from '../../context.js';
import type { Dialect } from '../../dialect.js';
import { readJson } from '../../middleware/body.js';
import { bodyCheck } from '../../middleware/validate-body.js';
import { compileOperations } from '../../operations.js';
import { aboutHandlers } from './about.js';
import { seedErrors } from './errors.js';
import { healthHandlers } from './health.js';
import { loadBalancingHandlers } from './load-balancing.js';
import { sessionHandlers } from './session.js';
import { userHandlers } from './user.js';

/** `/qps/...` (default proxy) or `/{prefix}/qps/...`; a prefix may itself contain `/`. */
const QPS_PATH = /^\/(?:(.+?)\/)?qps(\/.*)?$/i;

/**
 * The seed dialect: every operation of the seed document at /qps and /{prefix}/qps (the virtual proxy
 * the prefix names), with the Xrfkey check where the operation declares the parameter and the body
 * checked against the document where it takes one.
 */
export function seedDialect(ctx: HttpContext): Dialect {
  const doc = loadDocument('seed');
  const handlers = {
    ...aboutHandlers(ctx, doc),
    ...sessionHandlers(),
    ...userHandlers(),
    ...healthHandlers(),
    ...loadBalancingHandlers(),
  };
  const fail = seedErrors(doc, ctx.logger);
  const read = readJson();
  const operations = compileOperations(doc, handlers, {
    fail,
    bodyOf(op) {
      if (!op.requestSchema) return undefined;
      const check = bodyCheck(op.requestSchema, true);
      return (call, done) =>
        read(call.req, call.res, (error, body) => {
          call.body = body;
          done(error ?? check(body));
        });
    },
  });
  return {
    serve(call: Call) {
      const match = QPS_PATH.exec(call.path);
      if (match) {
        const prefix = match[1] ?? '';
        const proxy = call.world.proxy(prefix);
        if (!proxy) return fail(call, errors.unknownVirtualProxy(prefix, [...call.world.site.proxies.keys()]));
        call.proxy = proxy;
        if (operations.serve(call, match[2] ?? '/')) return;
      }
      fail(call, errors.routeNotFound(call.method, call.path));
    },
  };
}
