import type { ErrorRequestHandler } from 'express';
import type { ErrorKind } from '../../../domain/errors.js';
import { sendJson } from '../../send.js';
import { toSimError } from '../../to-sim-error.js';

/**
 * The seed contract declares 400, 401, 404 and 503 only: a body too large or of the wrong type is
 * a bad request there.
 */
const STATUS: Record<ErrorKind, number> = {
  badRequest: 400,
  unauthorized: 401,
  notFound: 404,
  methodNotAllowed: 405,
  payloadTooLarge: 400,
  unsupportedMediaType: 400,
  unavailable: 503,
};

export const seedErrors: ErrorRequestHandler = (err, req, res, _next) => {
  const error = toSimError(err, req);
  const allowed = error.details.allowed;
  if (Array.isArray(allowed)) res.set('Allow', allowed.join(', '));
  sendJson(res, STATUS[error.kind], { message: error.message });
};
