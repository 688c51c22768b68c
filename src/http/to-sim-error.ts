import type { Request } from 'express';
import { errors, SimError } from '../domain/errors.js';
import { pathOf } from './spec-router.js';

/**
 * Any error a request can raise, as a SimError. Express itself throws for a path that is not valid
 * percent-encoding (no such path exists, so: not found); anything else is a bug in the simulator,
 * and surfaces as an unexpected error rather than being disguised as the client's fault.
 */
export function toSimError(err: unknown, req: Request): SimError {
  if (err instanceof SimError) return err;
  if (err instanceof URIError || (err as { status?: number }).status === 400) {
    return errors.routeNotFound(req.method, pathOf(req));
  }
  throw err;
}
