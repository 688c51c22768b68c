import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { World } from '../domain/world.js';
import type { BuildInfo } from '../build-info.js';

/** What route modules need from the simulator: read through functions, since reset replaces the world. */
export interface HttpContext {
  world(): World;
  build: BuildInfo;
  logger: Logger;
}

/** Express handlers of the control API, keyed by its document's operationId. */
export type RequestHandlers = Record<string, RequestHandler>;

/** A path parameter (Express decodes them; a missing one is the empty string). */
export const param = (value: string | string[] | undefined): string =>
  Array.isArray(value) ? value.join('/') : (value ?? '');
