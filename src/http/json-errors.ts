import type { ErrorRequestHandler } from 'express';
import { allowOf, statusOf, type StatusOfKind } from './call-errors.js';
import { sendJson } from './send.js';
import { toSimError } from './to-sim-error.js';

/** The control API's errors: the status for the error's kind (an injected fault brings its own), `{ message }`, `Allow` on a 405. */
export function jsonErrors(statuses: StatusOfKind): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toSimError(err, req);
    const allow = allowOf(error);
    if (allow !== undefined) res.set('Allow', allow);
    sendJson(res, statusOf(error, statuses), { message: error.message });
  };
}
