import type { RequestHandler } from 'express';
import { errors } from '../../domain/errors.js';
import { compileSchema } from '../../schema/validate.js';

/** Checks `req.body` against a schema compiled once, at start; the first problem names the field. */
export function validateBody(schema: object, required: boolean): RequestHandler {
  const check = compileSchema(schema);
  return (req, _res, next) => {
    if (req.body === undefined) return next(required ? errors.invalidBody('body', 'is required') : undefined);
    const result = check(req.body);
    if (result.ok) return next();
    const [first] = result.problems;
    next(errors.invalidBody(first?.field || 'body', first?.reason ?? 'is invalid'));
  };
}
