import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery, type ParsedUrlQuery } from 'node:querystring';
import type { TLSSocket } from 'node:tls';
import { serialize as serializeCookie, type SerializeOptions } from 'cookie';
import encodeUrl from 'encodeurl';
import { NO_FAULT, type Verdict } from '../domain/faults.js';
import type { VirtualProxy } from '../domain/site.js';
import type { World } from '../domain/world.js';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const TEXT_TYPE = 'text/plain; charset=utf-8';
const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * One call of a dialect's operations, on Node's own request and response. The simulated QPS is served
 * without Express: giving each request Express's prototypes costs more than everything the simulator
 * does for it. A call reads what handlers need, answers once, and records itself in the journal.
 */
export class Call {
  readonly method: string;
  /** The path as it came (a virtual proxy's prefix included), without the query. */
  readonly path: string;
  /** Simulated time the call arrived. */
  readonly at: number;
  /** The operation that answers it, once routed. */
  operationId: string | undefined = undefined;
  /** The virtual proxy it came through, set when routed (operations outside any proxy never read it). */
  proxy!: VirtualProxy;
  params: Readonly<Record<string, string>> = NO_PARAMS;
  body: unknown = undefined;
  /** What the fault rules decided for it. */
  verdict: Verdict = NO_FAULT;
  private readonly queryText: string;
  private parsedQuery: ParsedUrlQuery | undefined = undefined;
  private readonly started = performance.now();
  private answered = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly world: World,
  ) {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    this.method = req.method ?? 'GET';
    this.path = query === -1 ? url : url.slice(0, query);
    this.queryText = query === -1 ? '' : url.slice(query + 1);
    this.at = world.now;
  }

  /** The query, parsed when first read (a repeated name is an array). */
  get query(): ParsedUrlQuery {
    return (this.parsedQuery ??= parseQuery(this.queryText));
  }

  /** The query as it came, without the `?`. */
  get rawQuery(): string {
    return this.queryText;
  }

  /** A request header by its lower-case name. */
  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  get protocol(): 'http' | 'https' {
    return (this.req.socket as TLSSocket).encrypted === true ? 'https' : 'http';
  }

  /** The Host header without its port. */
  get hostname(): string {
    const host = this.header('host') ?? '';
    const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.indexOf(':');
    return end > 0 ? host.slice(0, end) : host;
  }

  setHeader(name: string, value: string | string[]): void {
    this.res.setHeader(name, value);
  }

  setCookie(name: string, value: string, options: SerializeOptions): void {
    this.res.appendHeader('Set-Cookie', serializeCookie(name, value, options));
  }

  /** Answers JSON: a string or bytes are taken as already serialized (callers that cache pass them). */
  json(status: number, body: unknown): void {
    this.send(status, typeof body === 'string' || body instanceof Buffer ? body : JSON.stringify(body), JSON_TYPE);
  }

  text(status: number, text: string, type = TEXT_TYPE): void {
    this.send(status, text, type);
  }

  /** Answers without a body. */
  end(status: number): void {
    this.send(status);
  }

  redirect(location: string): void {
    this.res.setHeader('Location', encodeUrl(location));
    this.send(302);
  }

  /** Closes the connection without an answer. */
  drop(): void {
    this.req.socket.destroy();
    this.record(0);
  }

  private send(status: number, body?: string | Buffer, type?: string): void {
    const { res } = this;
    if (body === undefined) {
      res.statusCode = status;
      res.end();
    } else {
      const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': length });
      res.end(body);
    }
    this.record(this.req.socket.destroyed ? 0 : status);
  }

  private record(status: number): void {
    if (this.answered) return;
    this.answered = true;
    this.world.journal.record({
      at: this.at,
      method: this.method,
      path: this.path,
      operationId: this.operationId,
      status,
      durationMs: Math.round((performance.now() - this.started) * 10) / 10,
      shapedBy: this.verdict.shapedBy,
    });
  }
}
