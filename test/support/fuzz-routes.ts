import { readdirSync } from 'node:fs';
import { parse as parseQuery } from 'node:querystring';
import { fileURLToPath } from 'node:url';
import { loadDocument, type DocumentName, type Operation } from '../../src/openapi/documents.js';

/**
 * Where a request should land, worked out from the documents and the layout the README describes,
 * independently of the simulator's router: an operation of a document, a known path with another
 * method (405), a dashboard asset, or nothing (404).
 */
export type Route =
  | { kind: 'operation'; document: DocumentName; operationId: string; params: Record<string, string>; proxy?: string }
  | { kind: 'notAllowed'; document: DocumentName; allow: string[] }
  | { kind: 'notFound'; document: DocumentName }
  | { kind: 'asset' };

export type Dialect = 'seed' | 'qlik';

const ALIASES: Record<string, string> = { HEAD: 'GET' };

/** `/session/{id}` as literal and parameter segments, without a trailing slash (`/hub/` is `/hub`). */
const templateOf = (path: string) => (path.length > 1 ? path.replace(/\/$/, '') : path).split('/');

/**
 * Matches a raw path against a template as an Express 5 router built with `caseSensitive: false,
 * strict: false` does: literals without regard to case, a parameter is one or more characters other
 * than `/` that decode as percent-encoding (a path that does not decode names nothing), and one
 * trailing slash is allowed.
 */
export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const want = templateOf(template);
  let got = path.split('/');
  if (got.length === want.length + 1 && got.at(-1) === '' && path !== '/') got = got.slice(0, -1);
  if (template === '/' && path === '/') return {};
  if (got.length !== want.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const literal = want[i] as string;
    const segment = got[i] as string;
    const param = /^\{(.+)\}$/.exec(literal);
    if (!param) {
      if (literal.toLowerCase() !== segment.toLowerCase()) return undefined;
      continue;
    }
    if (segment === '') return undefined;
    try {
      params[param[1] as string] = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  }
  return params;
}

/** The route among a set of operations for a path relative to where they are mounted. */
function routeAmong(
  document: DocumentName,
  operations: readonly Operation[],
  method: string,
  path: string,
  proxy?: string,
): Route {
  const allow: string[] = [];
  const wanted = ALIASES[method] ?? method;
  for (const op of operations) {
    const params = matchTemplate(op.path, path);
    if (!params) continue;
    if (op.method === wanted || op.method === method) {
      return {
        kind: 'operation',
        document,
        operationId: op.operationId,
        params,
        ...(proxy === undefined ? {} : { proxy }),
      };
    }
    allow.push(op.method);
  }
  return allow.length > 0 ? { kind: 'notAllowed', document, allow } : { kind: 'notFound', document };
}

const operationsOf = (document: DocumentName, area?: string) =>
  loadDocument(document).operations.filter((op) => area === undefined || op.area === area);

/** The dashboard's own files, served at /__sim/ui/{file} (case-sensitive, exact). */
const DASHBOARD = fileURLToPath(new URL('../../src/dashboard/', import.meta.url));
const ASSETS = new Set([
  ...readdirSync(DASHBOARD)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => `/${f}`),
  '/vendor/uPlot.esm.js',
  '/vendor/uPlot.min.css',
]);

/** `/__sim` and under (the mount is matched without regard to case). */
const CONTROL = /^\/__sim(?=\/|$)/i;

function controlRoute(method: string, path: string): Route {
  const rest = path.replace(CONTROL, '') || '/';
  if ((method === 'GET' || method === 'HEAD') && /^\/ui(?=\/)/i.test(rest) && ASSETS.has(rest.slice(3))) {
    return { kind: 'asset' };
  }
  return routeAmong('control', operationsOf('control'), method, rest);
}

/** The seed layout: `/qps/...` for the default proxy, `/{prefix}/qps/...` for the others. */
function seedRoute(proxies: readonly string[], method: string, path: string): Route {
  const match = /^\/(?:(.+?)\/)?qps(\/.*)?$/i.exec(path);
  if (!match) return { kind: 'notFound', document: 'seed' };
  const prefix = match[1] ?? '';
  if (!proxies.includes(prefix)) return { kind: 'notFound', document: 'seed' };
  return routeAmong('seed', operationsOf('seed'), method, match[2] ?? '/', prefix);
}

const TICKET = /^(qlikticket|x-qlik-ticket)$/i;

/**
 * The qlik layout (README, "The qlik dialect"): the Personal API at `[/{prefix}]/qps/user`; the backend
 * at `/qps[/{prefix}]/...` (the longest prefix that fits) and `/{prefix}/qps/...`; the module and the
 * engines at the root; every other path is the front end of the virtual proxy whose prefix it starts
 * with, where a ticket parameter is a redemption (openHub) and `/hub/` the hub.
 */
function qlikRoute(proxies: readonly string[], method: string, path: string, query: string): Route {
  const named = proxies.filter((p) => p !== '').sort((a, b) => b.length - a.length);
  const personal = /^\/(?:(.+?)\/)?qps\/user\/?$/i.exec(path);
  if (personal) {
    const prefix = personal[1] ?? '';
    if (!proxies.includes(prefix)) return { kind: 'notFound', document: 'qlik' };
    return routeAmong('qlik', operationsOf('qlik', 'personal'), method, '/user', prefix);
  }
  const backend = (prefix: string, rest: string) =>
    proxies.includes(prefix)
      ? routeAmong('qlik', operationsOf('qlik', 'backend'), method, rest, prefix)
      : ({ kind: 'notFound', document: 'qlik' } as const);
  if (/^\/qps(\/|$)/i.test(path)) {
    const rest = path.slice(4) || '/';
    const prefix = named.find((p) => rest.startsWith(`/${p}/`)) ?? '';
    return backend(prefix, prefix === '' ? rest : rest.slice(prefix.length + 1));
  }
  const prefixFirst = /^\/(.+?)\/qps(\/.*)?$/i.exec(path);
  if (prefixFirst) return backend(prefixFirst[1] as string, prefixFirst[2] ?? '/');
  if (/^\/(loadbalancing|engines)(\/|$)/i.test(path)) {
    for (const area of ['module', 'engine']) {
      const route = routeAmong('qlik', operationsOf('qlik', area), method, path);
      if (route.kind !== 'notFound') return route;
    }
    return { kind: 'notFound', document: 'qlik' };
  }
  const prefix = named.find((p) => path === `/${p}` || path.startsWith(`/${p}/`)) ?? '';
  const rest = prefix === '' ? path : path.slice(prefix.length + 1) || '/';
  if (Object.keys(parseQuery(query)).some((name) => TICKET.test(name))) {
    return { kind: 'operation', document: 'qlik', operationId: 'openHub', params: {}, proxy: prefix };
  }
  return routeAmong('qlik', operationsOf('qlik', 'front'), method, rest, prefix);
}

/** Where a request (its method and the raw path and query it was sent with) should land. */
export function routeOf(dialect: Dialect, proxies: readonly string[], method: string, url: string): Route {
  const at = url.indexOf('?');
  const path = at === -1 ? url : url.slice(0, at);
  const query = at === -1 ? '' : url.slice(at + 1);
  if (CONTROL.test(path)) return controlRoute(method, path);
  return dialect === 'seed' ? seedRoute(proxies, method, path) : qlikRoute(proxies, method, path, query);
}
