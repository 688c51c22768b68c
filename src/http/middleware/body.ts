import express, { type RequestHandler } from 'express';
import { errors, SimError } from '../../domain/errors.js';

export const BODY_LIMIT = '100kb';

interface BodyParserError extends Error {
  type?: string;
}

/** Parses a JSON body (an empty body is `undefined`), turning every parser failure into a SimError. */
export function jsonBody(limit = BODY_LIMIT): RequestHandler {
  const parse = express.json({ limit, strict: false, type: () => true });
  return (req, res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (!hasBody) {
      req.body = undefined;
      return next();
    }
    const type = req.get('content-type') ?? '';
    if (!/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type)) return next(errors.unsupportedMediaType(type));
    parse(req, res, (err?: unknown) => {
      if (err === undefined) return next();
      const failure = err as BodyParserError;
      if (failure instanceof SimError) return next(failure);
      if (failure.type === 'entity.too.large') return next(errors.bodyTooLarge(limit));
      if (failure.type === 'entity.parse.failed') return next(errors.malformedJson(failure.message));
      return next(errors.malformedJson(failure.message ?? 'the body could not be read'));
    });
  };
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
