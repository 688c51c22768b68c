import type { Logger } from 'pino';
import type { OpenApiDocument } from '../../../openapi/documents.js';
import { dialectErrors, statusOf } from '../../call-errors.js';

const STATUSES = {
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

/**
 * The seed contract's errors: `{ message }` with 400, 401 and 404 (a body too large or of the wrong
 * type is a bad request there); a status it declares without a body (health's 503) is sent without one.
 */
export const seedErrors = (doc: OpenApiDocument, logger: Logger) =>
  dialectErrors(
    doc,
    logger,
    (error) => statusOf(error, STATUSES),
    (call, status, error) => call.json(status, { message: error.message }),
  );
