import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { SimError, type ErrorKind } from '../domain/errors.js';
import type { OpenApiDocument } from '../openapi/documents.js';
import { JSON_TYPE, type Call } from './call.js';

export type StatusOfKind = Record<Exclude<ErrorKind, 'injected'>, number>;

/** The status an error is answered with: an injected fault's own, else the dialect's for its kind. */
export const statusOf = (error: SimError, statuses: StatusOfKind): number =>
  error.kind === 'injected' ? Number(error.details.status) : statuses[error.kind];

/** `operationId status` of every status a document declares without a body. */
const bodilessOf = (doc: OpenApiDocument): ReadonlySet<string> =>
  new Set(doc.operations.flatMap((op) => op.bodilessStatuses.map((status) => `${op.operationId} ${status}`)));

/** The Allow header a 405 carries. */
export function allowOf(error: SimError): string | undefined {
  const allowed = error.details.allowed;
  return Array.isArray(allowed) ? allowed.join(', ') : undefined;
}

/**
 * A dialect's way of failing a call. A SimError is the client's (or a fault's): answered with the
 * status `statusFor` gives, `Allow` on a 405, no body where the operation declares that status without
 * one, and otherwise the body `answer` writes. Anything else is a bug in the simulator: logged, and said
 * plainly in a 500.
 */
export function dialectErrors(
  doc: OpenApiDocument,
  logger: Logger,
  statusFor: (error: SimError) => number,
  answer: (call: Call, status: number, error: SimError) => void,
) {
  const bodiless = bodilessOf(doc);
  return (call: Call, error: unknown): void => {
    if (error instanceof SimError) {
      const allow = allowOf(error);
      if (allow !== undefined) call.setHeader('Allow', allow);
      const status = statusFor(error);
      if (bodiless.has(`${call.operationId} ${status}`)) return call.end(status);
      return answer(call, status, error);
    }
    logger.error({ err: error, method: call.method, path: call.path }, 'unexpected error');
    if (call.res.headersSent) return call.drop();
    call.json(500, { message: bugMessage(call.method, call.path) });
  };
}

const bugMessage = (method: string | undefined, path: string) =>
  `qps-sim failed unexpectedly on ${method} ${path}; this is a bug.`;

/** Answers a bug on any response: a 500 saying so, or the connection closed if an answer had begun. */
export function answerBug(res: ServerResponse, method: string | undefined, path: string): void {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ message: bugMessage(method, path) });
  res.writeHead(500, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body) }).end(body);
}
