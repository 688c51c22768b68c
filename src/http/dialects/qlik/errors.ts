import type { Logger } from 'pino';
import type { OpenApiDocument } from '../../../openapi/documents.js';
import { dialectErrors, statusOf } from '../../call-errors.js';

/** What a real QPS answers to a failed Xrfkey check, to the letter. */
export const XSRF_FAILED = 'XSRF prevention check failed. Possible XSRF discovered.';

const STATUSES = {
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
export const qlikErrors = (doc: OpenApiDocument, logger: Logger) =>
  dialectErrors(
    doc,
    logger,
    (error) => (error.code === 'badXrfkey' ? 403 : statusOf(error, STATUSES)),
    (call, status, error) => call.text(status, error.code === 'badXrfkey' ? XSRF_FAILED : error.message),
  );
