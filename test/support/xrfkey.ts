import request from 'supertest';
import type { RequestListener as App } from 'node:http';

/** A fixed, valid key: 16 letters or digits. */
export const XRFKEY = 'ContractXrfkey16';

export type Method = 'get' | 'post' | 'put' | 'delete';

export interface XrfkeyOptions {
  /** The `Xrfkey` query parameter's value; null leaves it out. Default XRFKEY. */
  query?: string | null;
  /** The `X-Qlik-Xrfkey` header's value; null leaves it out. Default: the query value. */
  header?: string | null;
  /** The query parameter's name (its casing is free). Default `Xrfkey`. */
  name?: string;
  /** A raw query string sent before the Xrfkey parameter, e.g. `Xrfkey=...` to send it twice. */
  extraQuery?: string;
}

/** `path` with the Xrfkey query parameter appended. */
export function withXrfkey(path: string, key: string = XRFKEY, name = 'Xrfkey'): string {
  return `${path}${path.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(key)}`;
}

/** A supertest request carrying a matching Xrfkey parameter and header, unless told otherwise. */
export function qps(app: App, method: Method, path: string, options: XrfkeyOptions = {}): request.Test {
  const query = options.query === undefined ? XRFKEY : options.query;
  const header = options.header === undefined ? query : options.header;
  const base = options.extraQuery ? `${path}${path.includes('?') ? '&' : '?'}${options.extraQuery}` : path;
  const test = request(app)[method](query === null ? base : withXrfkey(base, query, options.name));
  return header === null ? test : test.set('X-Qlik-Xrfkey', header);
}

/** Requests that break the Xrfkey rule in each way a client can, each named for messages. */
export const BAD_XRFKEYS: ReadonlyArray<{ name: string; options: XrfkeyOptions }> = [
  { name: 'no key at all', options: { query: null, header: null } },
  { name: 'the query parameter missing', options: { query: null, header: XRFKEY } },
  { name: 'the header missing', options: { header: null } },
  { name: 'a header with another key', options: { header: 'OtherXrfkey12345' } },
  { name: 'a header differing in case only', options: { header: XRFKEY.toLowerCase() } },
  { name: 'a key of 15 characters', options: { query: XRFKEY.slice(1) } },
  { name: 'a key of 17 characters', options: { query: `${XRFKEY}x` } },
  { name: 'a key with a character outside [A-Za-z0-9]', options: { query: 'Contract-Xrfkey1' } },
  { name: 'an empty key', options: { query: '' } },
  { name: 'the parameter given twice', options: { extraQuery: `xrfkey=${XRFKEY}` } },
];
