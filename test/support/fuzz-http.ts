import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { loadDocument, type DocumentName } from '../../src/openapi/documents.js';
import type { ResponseLike } from './contract.js';
import type { FuzzRequest } from './fuzz-operations.js';
import { resolveRequest, type FuzzContext, type ResolvedRequest } from './fuzz-resolve.js';
import { routeOf, type Route } from './fuzz-routes.js';

/**
 * Reads a response body as text, whatever its type; an event stream is cut after its first chunk
 * (it never ends on its own).
 */
function rawText(res: IncomingMessage, callback: (error: Error | null, body: string) => void): void {
  const chunks: Buffer[] = [];
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    callback(null, Buffer.concat(chunks).toString('utf8'));
  };
  const stream = /^text\/event-stream/i.test(String(res.headers['content-type'] ?? ''));
  res.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    if (stream) {
      finish();
      res.destroy();
    }
  });
  res.on('end', finish);
}

export interface Exchange extends ResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  request: { method: string; url: string };
}

/** Sends a request to the app in process (supertest, no port) and answers status, headers and raw text. */
export async function send(ctx: FuzzContext, req: ResolvedRequest): Promise<Exchange> {
  let test = request(ctx.sim.app)[req.method.toLowerCase() as 'get'](req.url);
  for (const [name, value] of req.headers) test = test.set(name, value);
  // An answer that never comes fails the property instead of stalling the suite (a synchronous hang
  // in the app cannot be caught this way: it stops the whole process).
  test = test
    .timeout({ deadline: 15_000 })
    .buffer(true)
    .parse(rawText as never);
  // No body on a HEAD: the client would announce one it never sends, and Node's parser, not the app,
  // would answer the broken message with a 400.
  if (req.body !== undefined && req.method !== 'HEAD') {
    test = test.serialize((data: unknown) => data as string).send(req.body as never);
  }
  const res = await test;
  const sent = (res as unknown as { req?: { path?: string } }).req?.path ?? req.url;
  return {
    status: res.status,
    headers: res.headers as Record<string, string | undefined>,
    text: typeof res.body === 'string' ? res.body : '',
    request: { method: req.method, url: sent },
  };
}

const shorten = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}... (${text.length})` : text);

export const describeExchange = (res: Exchange) =>
  `${res.request.method} ${shorten(res.request.url)} answered ${res.status} (${String(res.headers['content-type'] ?? 'no type')}): ${shorten(res.text, 400)}`;

/** A JSON `{ message }` error (seed and control), or a plain-text one (qlik); none for HEAD. */
function assertErrorBody(document: DocumentName, res: Exchange): void {
  if (res.request.method === 'HEAD') return;
  const type = String(res.headers['content-type'] ?? '');
  if (document === 'qlik') {
    assert.match(type, /^text\/plain/, `a qlik error is text/plain: ${describeExchange(res)}`);
    assert.ok(res.text.trim().length > 0, `a qlik error says why: ${describeExchange(res)}`);
    return;
  }
  assert.match(type, /^application\/json/, `a ${document} error is JSON: ${describeExchange(res)}`);
  const parsed = JSON.parse(res.text) as { message?: unknown };
  assert.equal(typeof parsed.message, 'string', `a ${document} error has a message: ${describeExchange(res)}`);
  assert.ok((parsed.message as string).length > 0, `the message says why: ${describeExchange(res)}`);
}

/** The only 5xx a simulator without fault rules may answer: health (503) and a down engine's health check (503). */
function assertNoUnexpected5xx(ctx: FuzzContext, route: Route, res: Exchange): void {
  if (res.status < 500) return;
  const world = ctx.sim.world;
  const opId = route.kind === 'operation' ? route.operationId : undefined;
  if (res.status === 503 && (opId === 'getProxyHealth' || opId === 'getHealth')) {
    assert.equal(world.health().healthy, false, `503 from health while healthy: ${describeExchange(res)}`);
    return;
  }
  if (res.status === 503 && opId === 'getEngineHealthcheck' && route.kind === 'operation') {
    const ref = route.params.engine ?? '';
    const engine = world.cluster.findEngine(/^\d+$/.test(ref) ? Number(ref) : ref);
    assert.equal(engine?.status, 'down', `503 from a health check of an engine not down: ${describeExchange(res)}`);
    return;
  }
  assert.fail(`a 5xx no fault rule injected: ${describeExchange(res)}`);
}

/** The journal's entry for a QPS call just answered (the control API keeps none). */
function journalEntry(ctx: FuzzContext, route: Route, res: Exchange) {
  if (route.kind === 'asset' || route.document === 'control') return undefined;
  const [entry] = ctx.sim.world.journal.query({ limit: 1 });
  assert.ok(entry, `the journal records ${describeExchange(res)}`);
  assert.equal(entry.path, res.request.url.split('?')[0], 'the newest journal entry is this request');
  assert.equal(entry.status, res.status, `the journal records the status of ${describeExchange(res)}`);
  const expected = route.kind === 'operation' ? route.operationId : undefined;
  assert.equal(
    entry.operationId,
    expected,
    `routed to ${String(entry.operationId)}, not ${String(expected)}: ${describeExchange(res)}`,
  );
  return entry;
}

/**
 * Checks one answer: never a 5xx no fault rule injected; a declared status of the operation it was
 * routed to, valid against the document; 404/405 with the dialect's error body when it matches no
 * operation; and the journal names the same operation for a QPS call. A status a fault rule injected
 * (none of these tests adds one to a QPS operation) is checked only for the dialect's error body.
 */
export function checkExchange(ctx: FuzzContext, res: Exchange): Route {
  const world = ctx.sim.world;
  const route = routeOf(ctx.dialect, [...world.site.proxies.keys()], res.request.method, res.request.url);
  const injected = journalEntry(ctx, route, res)?.shapedBy.some((rule) => rule.kind === 'error') ?? false;
  if (!injected) assertNoUnexpected5xx(ctx, route, res);
  switch (route.kind) {
    case 'operation': {
      const contract = ctx.contracts[route.document];
      assert.ok(contract, `no contract for ${route.document}`);
      const key = `${route.operationId} ${res.status}`;
      ctx.seen.set(key, (ctx.seen.get(key) ?? 0) + 1);
      const op = loadDocument(route.document).operations.find((o) => o.operationId === route.operationId);
      const bodiless = op?.bodilessStatuses.includes(res.status) ?? false;
      if (injected) {
        if (!bodiless) assertErrorBody(route.document, res);
      } else if (res.request.method === 'HEAD') {
        const declared = contract.declaredStatuses(route.operationId);
        assert.ok(declared.includes(String(res.status)), `${route.operationId}: undeclared ${describeExchange(res)}`);
      } else {
        contract.check(route.operationId, res);
        if (res.status >= 400 && !bodiless) assertErrorBody(route.document, res);
      }
      break;
    }
    case 'notAllowed': {
      assert.equal(res.status, 405, `a known path with another method is a 405: ${describeExchange(res)}`);
      const allow = String(res.headers.allow ?? '')
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean);
      assert.deepEqual(
        allow.sort(),
        [...new Set(route.allow)].sort(),
        `Allow lists the path's methods: ${describeExchange(res)}`,
      );
      assertErrorBody(route.document, res);
      break;
    }
    case 'notFound':
      assert.equal(res.status, 404, `no operation there, so 404: ${describeExchange(res)}`);
      assertErrorBody(route.document, res);
      break;
    case 'asset':
      assert.equal(res.status, 200, `a dashboard file: ${describeExchange(res)}`);
      break;
  }
  return route;
}

const TICKET_PARAM = /^(qlikticket|x-qlik-ticket)$/i;

/**
 * A redeemed ticket (qlik, 302): the Location is a path on this host without the ticket, and the
 * cookie set is the virtual proxy's, naming a live session of that proxy.
 */
function assertRedemption(ctx: FuzzContext, route: Route, res: Exchange): void {
  if (route.kind !== 'operation' || route.operationId !== 'openHub' || res.status !== 302) return;
  const location = String(res.headers.location ?? '');
  assert.match(location, /^\/(?![/\\])/, `the redirect names no other host: ${location}`);
  const query = location.includes('?') ? location.slice(location.indexOf('?') + 1) : '';
  for (const part of query.split('&')) {
    let name = part.split('=')[0] ?? '';
    try {
      name = decodeURIComponent(name);
    } catch {
      // kept as written
    }
    assert.ok(!TICKET_PARAM.test(name), `the redirect drops the ticket: ${location}`);
  }
  const proxy = ctx.sim.world.proxy(route.proxy ?? '');
  assert.ok(proxy, `a redemption on a known proxy: ${describeExchange(res)}`);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies
    .map((line) => /^([^=;]+)=([^;]*)/.exec(line))
    .find((m) => m?.[1] === proxy.sessionCookieHeaderName);
  assert.ok(cookie, `the redemption sets ${proxy.sessionCookieHeaderName}: ${cookies.join(' | ')}`);
  const session = ctx.sim.world.sessions.get(cookie[2] ?? '');
  assert.equal(session?.proxy, proxy.prefix, `the cookie names a live session of the proxy: ${cookie[0]}`);
}

/** Resolves, sends and checks one fuzzed request; keeps the tickets it was given. */
export async function fuzzOnce(ctx: FuzzContext, spec: FuzzRequest): Promise<Exchange> {
  const res = await send(ctx, resolveRequest(ctx, spec));
  const route = checkExchange(ctx, res);
  assertRedemption(ctx, route, res);
  if (route.kind === 'operation' && route.operationId === 'addTicket' && res.status === 201) {
    ctx.tickets.push((JSON.parse(res.text) as { Ticket: string }).Ticket);
  }
  return res;
}
