import type { RequestHandler, Response } from 'express';
import type { VirtualProxy } from '../domain/site.js';
import type { World } from '../domain/world.js';
import type { BuildInfo } from '../build-info.js';

/** What route modules need from the simulator: read through functions, since reset replaces the world. */
export interface HttpContext {
  world(): World;
  build: BuildInfo;
}

/** Handlers of one dialect, keyed by the contract's operationId. */
export type Handlers = Record<string, RequestHandler>;

/** The virtual proxy a request came through, set by the prefix dispatcher. */
export const proxyOf = (res: Response): VirtualProxy => res.locals.proxy as VirtualProxy;

/** A path parameter (Express decodes them; a missing one is the empty string). */
export const param = (value: string | string[] | undefined): string =>
  Array.isArray(value) ? value.join('/') : (value ?? '');
