import assert from 'node:assert/strict';
import type { RequestListener as App } from 'node:http';
import request from 'supertest';
import { createSimulator, type Simulator } from '../../src/index.js';
import type { SimulatorOptions } from '../../src/options.js';
import type { SiteFixture } from '../../src/site/fixture.js';
import { qps } from './xrfkey.js';

/** What a real QPS answers to a failed Xrfkey check, to the letter (qps-wire.md §4.1). */
export const XSRF_TEXT = 'XSRF prevention check failed. Possible XSRF discovered.';

export const TICKET_TTL_MS = 60_000;
export const MINUTE = 60_000;

/** A session id the caller chooses, as add-session takes it: a GUID, fixed by `n`. */
export const sessionId = (n: number): string => `5e55c0de-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A qlik-dialect simulator: manual clock, no simulated users, a fixed seed unless told otherwise. */
export function qlikSimulator(options: SimulatorOptions = {}): Simulator {
  return createSimulator({ seed: 'qlik-tests', dialect: 'qlik', traffic: false, ...options });
}

/** Two users, the default virtual proxy and `anon` (anonymous access); no starting sessions. */
export const ANONYMOUS_SITE: SiteFixture = {
  users: [
    { userDirectory: 'CORP', userId: 'alice', name: 'Alice Admin', attributes: [{ group: 'IT' }] },
    { userDirectory: 'CORP', userId: 'bob', name: 'Bob Builder' },
  ],
  virtualProxies: [{ prefix: '' }, { prefix: 'anon', anonymousAccess: true }],
  sessions: [],
};

export interface QlikUser {
  userDirectory: string;
  userId: string;
}

/** POST {backend}/ticket with a valid Xrfkey; the ticket's code (asserting the 201). */
export async function issueTicket(app: App, backend: string, user: QlikUser, extra: object = {}): Promise<string> {
  const response = await qps(app, 'post', `${backend}/ticket`).send({ ...user, ...extra });
  assert.equal(response.status, 201, `POST ${backend}/ticket: ${response.text}`);
  const { Ticket } = response.body as { Ticket: string };
  return Ticket;
}

/** GET {front}{path} with the ticket in the query (the parameter name as given). */
export function redeem(app: App, front: string, ticket: string, name = 'qlikTicket', path = '/hub/'): request.Test {
  const at = `${front}${path}`;
  return request(app).get(`${at}${at.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(ticket)}`);
}

export interface SetCookie {
  name: string;
  value: string;
  /** The attributes, names lower-cased (`path`, `httponly`, `expires`, ...); a flag maps to ''. */
  attributes: Map<string, string>;
}

/** The Set-Cookie headers of a response, parsed. */
export function setCookies(headers: Record<string, unknown>): SetCookie[] {
  const raw = headers['set-cookie'];
  const lines = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return lines.map((line) => {
    const [pair = '', ...rest] = line.split(';');
    const at = pair.indexOf('=');
    const attributes = new Map(
      rest.map((part) => {
        const eq = part.indexOf('=');
        return eq === -1
          ? [part.trim().toLowerCase(), '']
          : [part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim()];
      }),
    );
    return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim(), attributes };
  });
}

/** Redeems a ticket and answers the session cookie it sets (asserting the 302), as `Cookie` header text. */
export async function login(
  app: App,
  front: string,
  ticket: string,
): Promise<{ cookie: string; name: string; id: string }> {
  const response = await redeem(app, front, ticket);
  assert.equal(response.status, 302, `redeeming on ${front}/hub/: ${response.text}`);
  const [set] = setCookies(response.headers);
  assert.ok(set, 'the redemption sets a cookie');
  return { cookie: `${set.name}=${set.value}`, name: set.name, id: set.value };
}

/** A plain-text error: the type is text/plain and the body says something (or exactly `text`). */
export function assertText(response: { headers: Record<string, unknown>; text: string }, text?: string | RegExp) {
  assert.match(String(response.headers['content-type']), /^text\/plain/, `a text/plain error: ${response.text}`);
  assert.ok(response.text.trim().length > 0, 'the error says why');
  if (typeof text === 'string') assert.equal(response.text, text);
  else if (text) assert.match(response.text, text);
}

/** The keys of a JSON body (deep, for arrays of objects) that do not start with a capital letter. */
export function lowerCaseKeys(body: unknown): string[] {
  const items = Array.isArray(body) ? body : [body];
  return items.flatMap((item) =>
    item !== null && typeof item === 'object' ? Object.keys(item as object).filter((key) => !/^[A-Z]/.test(key)) : [],
  );
}
