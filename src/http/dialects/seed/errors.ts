import type { OpenApiDocument } from '../../../openapi/documents.js';
import { jsonErrors } from '../../json-errors.js';

/**
 * The seed contract declares 400, 401 and 404 for errors: a body too large or of the wrong type is
 * a bad request there. A status it declares without a body (health's 503) is sent without one.
 */
export const seedErrors = (doc: OpenApiDocument) =>
  jsonErrors(
    {
      badRequest: 400,
      unauthorized: 401,
      notFound: 404,
      methodNotAllowed: 405,
      payloadTooLarge: 400,
      unsupportedMediaType: 400,
      forbidden: 403,
      conflict: 409,
      unavailable: 503,
    },
    new Set(doc.operations.flatMap((op) => op.bodilessStatuses.map((status) => `${op.operationId} ${status}`))),
  );
