import type { ErrorRequestHandler } from 'express';
import type { ErrorKind } from '../domain/errors.js';
import { sendJson } from './send.js';
import { toSimError } from './to-sim-error.js';

/** An error mapper for a JSON API: the status from `statusOf`, `{ message }`, and `Allow` on a 405. */
export function jsonErrors(statusOf: Record<ErrorKind, number>): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toSimError(err, req);
    const allowed = error.details.allowed;
    if (Array.isArray(allowed)) res.set('Allow', allowed.join(', '));
    sendJson(res, statusOf[error.kind], { message: error.message });
  };
}
