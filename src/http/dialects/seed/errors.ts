import type { Logger } from 'pino';
import type { OpenApiDocument } from '../../../openapi/documents.js';
import { allowOf, bodilessOf, failWith, statusOf } from '../../call-errors.js';

/**
 * The seed contract's errors: `{ message }` with 400, 401 and 404 (a body too large or of the wrong
 * type is a bad request there); a status it declares without a body (health's 503) is sent without one.
 */
export function seedErrors(doc: OpenApiDocument, logger: Logger) {
  const bodiless = bodilessOf(doc);
  const statuses = {
    badRequest: 400,
    unauthorized: 401,
    notFound: 404,
    methodNotAllowed: 405,
    payloadTooLarge: 400,
    unsupportedMediaType: 400,
    forbidden: 403,
    conflict: 409,
    unavailable: 503,
  };
  return failWith(logger, (call, error) => {
    const allow = allowOf(error);
    if (allow !== undefined) call.setHeader('Allow', allow);
    const status = statusOf(error, statuses);
    if (bodiless.has(`${call.operationId} ${status}`)) call.end(status);
    else call.json(status, { message: error.message });
  });
}
