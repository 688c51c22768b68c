import { errors } from '../domain/errors.js';
import { NO_FAULT } from '../domain/faults.js';
import type { OpenApiDocument, Operation } from '../openapi/documents.js';
import type { Call } from './call.js';
import { xrfkeyViolation } from './xrfkey.js';

/** Answers a call of one operation; throws a SimError to refuse it. */
export type Handler = (call: Call) => void;
/** A dialect's handlers, keyed by the document's operationId. */
export type Handlers = Record<string, Handler>;
/** Reads a call's body into `call.body`, then calls back (with a SimError when the body will not do). */
export type BodyReader = (call: Call, done: (error?: unknown) => void) => void;

export interface OperationsOptions {
  /** Only the operations of this area (`x-qps-sim-area`). */
  area?: string;
  /** How the body of an operation is read, if it takes one. */
  bodyOf(op: Operation): BodyReader | undefined;
  /** Answers an error raised on these operations: the dialect's way of writing errors. */
  fail(call: Call, error: unknown): void;
}

/** Operations mounted somewhere: `serve` answers a call for a path relative to the mount, if one matches. */
export interface Operations {
  serve(call: Call, path: string): boolean;
}

interface Route {
  /** The operation by method; HEAD is answered as GET. */
  byMethod: Map<string, (call: Call) => void>;
  allowed: string[];
  params: string[];
}

/** `/session/` and `/session` are one path, and case does not matter (as Express routes by default). */
const trimmed = (path: string) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);

/** `/session/{id}` as a pattern over the path as it came (each parameter one segment, still encoded). */
const patternOf = (path: string) =>
  new RegExp(
    `^${path
      .split(/\{[^}]+\}/)
      .map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('([^/]+)')}$`,
    'i',
  );

/**
 * A dialect's operations, compiled once at start from its OpenAPI document: a lookup for fixed paths,
 * a pattern for each path with parameters, and for every operation the steps before its handler (the
 * fault rules, the Xrfkey check where it declares the parameter, its body) run as plain calls. A known
 * path with another method is a 405 naming the allowed ones; a missing handler fails the start.
 */
export function compileOperations(doc: OpenApiDocument, handlers: Handlers, options: OperationsOptions): Operations {
  const routes = new Map<string, Route>();
  const fixed = new Map<string, Route>();
  const patterns: Array<{ pattern: RegExp; route: Route }> = [];
  for (const op of doc.operations) {
    if (options.area !== undefined && op.area !== options.area) continue;
    const handler = handlers[op.operationId];
    if (!handler) throw new Error(`no handler for operation ${op.operationId} of the ${doc.name} document`);
    const path = trimmed(op.path);
    let route = routes.get(path.toLowerCase());
    if (!route) {
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
      route = { byMethod: new Map(), allowed: [], params };
      routes.set(path.toLowerCase(), route);
      if (params.length === 0) fixed.set(path.toLowerCase(), route);
      else patterns.push({ pattern: patternOf(path), route });
    }
    route.byMethod.set(op.method, runner(op, handler, options));
    route.allowed.push(op.method);
  }

  return {
    serve(call, path) {
      const asked = trimmed(path);
      let route = fixed.get(asked.toLowerCase());
      let values: RegExpExecArray | null = null;
      for (let i = 0; !route && i < patterns.length; i++) {
        values = patterns[i]!.pattern.exec(asked);
        if (values) route = patterns[i]!.route;
      }
      if (!route) return false;
      const run = route.byMethod.get(call.method === 'HEAD' ? 'GET' : call.method);
      if (!run) {
        options.fail(call, errors.methodNotAllowed(call.method, call.path, route.allowed));
        return true;
      }
      if (values) {
        const params: Record<string, string> = {};
        try {
          route.params.forEach((name, i) => (params[name] = decodeURIComponent(values[i + 1] as string)));
        } catch {
          // Not valid percent-encoding: no such path can exist.
          options.fail(call, errors.routeNotFound(call.method, call.path));
          return true;
        }
        call.params = params;
      }
      run(call);
      return true;
    },
  };
}

/** An operation's steps: the fault verdict (delay, injected status or drop), the Xrfkey, the body, the handler. */
function runner(op: Operation, handler: Handler, { bodyOf, fail }: OperationsOptions): (call: Call) => void {
  const readBody = bodyOf(op);
  const handle = (call: Call) => {
    try {
      handler(call);
    } catch (error) {
      fail(call, error);
    }
  };
  const proceed = (call: Call) => {
    if (op.xrfkey) {
      const rule = xrfkeyViolation(call.query, call.header('x-qlik-xrfkey'));
      if (rule !== undefined) return fail(call, errors.badXrfkey(rule));
    }
    if (!readBody) return handle(call);
    readBody(call, (error) => (error === undefined ? handle(call) : fail(call, error)));
  };
  return (call) => {
    call.operationId = op.operationId;
    const { world } = call;
    const verdict = world.faults.size === 0 ? NO_FAULT : world.faults.judge(op.operationId, world.now);
    call.verdict = verdict;
    if (verdict === NO_FAULT) return proceed(call);
    const answer = () => {
      if (verdict.drop) return call.drop();
      if (verdict.status !== undefined) {
        return fail(call, errors.injected(verdict.status, verdict.message, verdict.shapedBy));
      }
      proceed(call);
    };
    if (verdict.delayMs > 0) setTimeout(answer, verdict.delayMs);
    else answer();
  };
}
