import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import { errors, SimError } from '../../domain/errors.js';

export const BODY_LIMIT = '100kb';

interface BodyParserError extends Error {
  type?: string;
}

/** Reads a request's body, then calls back with what was read or the SimError that says why not. */
export type ReadBody = (
  req: IncomingMessage,
  res: ServerResponse,
  done: (error: SimError | undefined, body?: unknown) => void,
) => void;

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** Whether a request says it carries a body at all. */
export const hasBody = (req: IncomingMessage) =>
  Number(header(req, 'content-length') ?? 0) > 0 || header(req, 'transfer-encoding') !== undefined;

/**
 * Reads a JSON body on Node's own request (an empty body is `undefined`): express.json's parser, with
 * every one of its failures turned into a SimError.
 */
export function readJson(limit = BODY_LIMIT): ReadBody {
  const parse = express.json({ limit, strict: false, type: () => true });
  return (req, res, done) => {
    if (!hasBody(req)) return done(undefined, undefined);
    const type = header(req, 'content-type') ?? '';
    if (!/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type)) return done(errors.unsupportedMediaType(type));
    parse(req as express.Request, res as express.Response, (err?: unknown) => {
      if (err === undefined) return done(undefined, (req as { body?: unknown }).body);
      const failure = err as BodyParserError;
      if (failure instanceof SimError) return done(failure);
      if (failure.type === 'entity.too.large') return done(errors.bodyTooLarge(limit));
      return done(errors.malformedJson(failure.message ?? 'the body could not be read'));
    });
  };
}

/** readJson as Express middleware: the body in `req.body`. */
export function jsonBody(limit = BODY_LIMIT): RequestHandler {
  const read = readJson(limit);
  return (req, res, next) =>
    read(req, res, (error, body) => {
      req.body = body;
      next(error);
    });
}

/** Takes the body as text (YAML, or JSON kept as written so that problems have line numbers). */
export function textBody(limit = '1mb'): RequestHandler {
  const parse = express.text({ limit, type: () => true });
  return (req, res, next) => {
    const type = req.get('content-type') ?? '';
    if (!/^(application\/(json|yaml|x-yaml)|text\/(yaml|x-yaml|plain))\s*(;|$)/i.test(type)) {
      return next(errors.unsupportedMediaType(type, 'YAML (application/yaml) or JSON (application/json)'));
    }
    parse(req, res, (err?: unknown) => {
      if (err === undefined) return next();
      const failure = err as BodyParserError;
      next(failure.type === 'entity.too.large' ? errors.bodyTooLarge(limit) : errors.malformedJson(failure.message));
    });
  };
}
