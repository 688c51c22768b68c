import type { ErrorRequestHandler } from 'express';
import type { ErrorKind } from '../../../domain/errors.js';
import { toSimError } from '../../to-sim-error.js';

/** What a real QPS answers to a failed Xrfkey check, to the letter. */
export const XSRF_FAILED = 'XSRF prevention check failed. Possible XSRF discovered.';

const STATUS: Record<Exclude<ErrorKind, 'injected'>, number> = {
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  conflict: 409,
  payloadTooLarge: 400,
  unsupportedMediaType: 400,
  unavailable: 503,
};

/** Errors as a real QPS sends them: plain text; a bad Xrfkey is a 403 with the observed text. */
export function qlikErrors(bodiless: ReadonlySet<string>): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toSimError(err, req);
    const allowed = error.details.allowed;
    if (Array.isArray(allowed)) res.set('Allow', allowed.join(', '));
    const xsrf = error.code === 'badXrfkey';
    const status = xsrf ? 403 : error.kind === 'injected' ? Number(error.details.status) : STATUS[error.kind];
    res.status(status);
    if (bodiless.has(`${String(res.locals.operationId)} ${status}`)) return res.end();
    res.type('text/plain; charset=utf-8').send(xsrf ? XSRF_FAILED : error.message);
  };
}
