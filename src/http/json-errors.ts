import type { ErrorRequestHandler } from 'express';
import type { ErrorKind } from '../domain/errors.js';
import { sendJson } from './send.js';
import { toSimError } from './to-sim-error.js';

/**
 * An error mapper for a JSON API: the status from `statusOf` (an injected fault brings its own),
 * `{ message }` unless the operation declares that status without a body, and `Allow` on a 405.
 */
export function jsonErrors(
  statusOf: Record<Exclude<ErrorKind, 'injected'>, number>,
  bodiless: ReadonlySet<string> = new Set(),
): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toSimError(err, req);
    const allowed = error.details.allowed;
    if (Array.isArray(allowed)) res.set('Allow', allowed.join(', '));
    const status = error.kind === 'injected' ? Number(error.details.status) : statusOf[error.kind];
    if (bodiless.has(`${String(res.locals.operationId)} ${status}`)) res.status(status).end();
    else sendJson(res, status, { message: error.message });
  };
}
