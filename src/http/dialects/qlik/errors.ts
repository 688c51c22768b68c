import type { Logger } from 'pino';
import type { OpenApiDocument } from '../../../openapi/documents.js';
import { allowOf, bodilessOf, failWith, statusOf } from '../../call-errors.js';

/** What a real QPS answers to a failed Xrfkey check, to the letter. */
export const XSRF_FAILED = 'XSRF prevention check failed. Possible XSRF discovered.';

/** Errors as a real QPS sends them: plain text; a bad Xrfkey is a 403 with the observed text. */
export function qlikErrors(doc: OpenApiDocument, logger: Logger) {
  const bodiless = bodilessOf(doc);
  const statuses = {
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
  return failWith(logger, (call, error) => {
    const allow = allowOf(error);
    if (allow !== undefined) call.setHeader('Allow', allow);
    const xsrf = error.code === 'badXrfkey';
    const status = xsrf ? 403 : statusOf(error, statuses);
    if (bodiless.has(`${call.operationId} ${status}`)) call.end(status);
    else call.text(status, xsrf ? XSRF_FAILED : error.message);
  });
}
