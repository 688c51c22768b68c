import type { RequestHandler } from 'express';
import { errors, type SimError } from '../../domain/errors.js';
import { compileSchema } from '../../schema/validate.js';

/** A check of a body against a schema compiled once, at start: the first problem, naming the field. */
export function bodyCheck(schema: object, required: boolean): (body: unknown) => SimError | undefined {
  const check = compileSchema(schema);
  return (body) => {
    if (body === undefined) return required ? errors.invalidBody('body', 'is required') : undefined;
    const result = check(body);
    if (result.ok) return undefined;
    const [first] = result.problems;
    return errors.invalidBody(first?.field || 'body', first?.reason ?? 'is invalid');
  };
}

/** bodyCheck as Express middleware, on `req.body`. */
export function validateBody(schema: object, required: boolean): RequestHandler {
  const check = bodyCheck(schema, required);
  return (req, _res, next) => next(check(req.body));
}
