import fc from 'fast-check';
import type { StateEdit } from './fuzz-state.js';

/**
 * Request parts for fuzzing, as plain data (so that fast-check can print and shrink them). Values
 * taken from the live state are `Live` descriptors, resolved against the simulator when the request
 * is sent (fuzz-http.ts): the n-th session id, user, engine, app, ticket... of the moment.
 */
export type LiveKind =
  | 'sessionId'
  | 'userDirectory'
  | 'userId'
  | 'engineId'
  | 'engineHost'
  | 'enginePosition'
  | 'engineUri'
  | 'appId'
  | 'appName'
  | 'proxyPrefix'
  | 'ticket'
  | 'faultId'
  | 'scenarioFile'
  | 'scenarioText'
  | 'document'
  /** The whole saved state (GET /__sim/state/export), as an object. */
  | 'exportedState';

export interface Live {
  $live: LiveKind;
  pick: number;
  /** 0: as is; 1: upper case; 2: lower case; 3: with a junk suffix; 4: surrounded by spaces. */
  variant: number;
  /** For `exportedState`: edits made to the saved state before it is sent. */
  edits?: StateEdit[];
}

export const live = (kind: LiveKind, variants = 5): fc.Arbitrary<Live> =>
  fc.record({
    $live: fc.constant(kind),
    pick: fc.nat(40),
    variant: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(variants - 1) }),
  });

export const isLive = (value: unknown): value is Live =>
  value !== null && typeof value === 'object' && typeof (value as Live).$live === 'string';

/** Path segments that are not what they look like: bad percent-encoding, dot segments, NULs, prototype names. */
export const JUNK_SEGMENTS = [
  '%ZZ',
  '%',
  '%0',
  '%00',
  '%E2%80',
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F',
  '..%2F..%2Fetc%2Fpasswd',
  '%2F',
  '%5C',
  '%C0%AF',
  '%ED%A0%80',
  '%FF%FE',
  '%E2%80%AE',
  '%E2%80%8F',
  '%E2%80%8Fhdr',
  '%F0%9F%98%80',
  '%F4%8F%BF%BF',
  '%EF%BB%BF',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'qps',
  'hub',
  'user',
  'session',
  'hdr',
  'HDR',
  'null',
  'NaN',
  '-1',
  '0',
  '1',
  '4',
  '5',
  '99999999999999999999',
  '1e3',
  '%20',
  '+',
  ';',
  ':',
  '@',
  "'",
  '*',
  '%3F',
  '%23',
  'seed.yaml',
  'control.yaml',
  'engine-outage.yaml',
  '..%2Fpackage.json',
];

/** Unicode worth a look: RTL and zero-width marks, astral characters, case-folding oddities. */
export const ODD_TEXT = [
  '\u200F',
  '\u200E',
  '\u202E',
  '\u2066',
  '\u200B',
  '\uFEFF',
  '\u{1F600}',
  '\u{10FFFF}',
  '\u{1D11E}',
  '\u0000',
  'İ',
  'ß',
  'ﬀ',
  'Ω',
  'e\u0301',
  'K',
  '\u0130stanbul',
  'עברית',
  'مرحبا',
];

/** Percent-encodes a string's UTF-8 bytes, leaving unreserved characters as they are. */
export function encodeText(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A path segment as sent: a live value (encoded), junk written as it is, or any text encoded. */
export type Segment = Live | { raw: string } | { text: string } | { long: number; unit: string };

export const junkSegment: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...JUNK_SEGMENTS).map((raw) => ({ raw })) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_TEXT).map((text) => ({ text })) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).map((text) => ({ text })) },
  {
    weight: 1,
    arbitrary: fc.record({
      long: fc.constantFrom(256, 2_048, 6_000),
      unit: fc.constantFrom('a', '%F0%9F%98%80', '%E2%80%AE', '%00', '..%2F'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 8 })
      .map((bytes) => ({ raw: [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') })),
  },
);

/** A path parameter: usually a value of the live state, often junk. */
export const paramSegment = (kind: LiveKind | undefined): fc.Arbitrary<Segment> =>
  kind === undefined
    ? junkSegment
    : fc.oneof({ weight: 4, arbitrary: live(kind) }, { weight: 1, arbitrary: junkSegment });

/** How the path is bent after it is built. */
export type Shape =
  | { shape: 'exact' }
  | { shape: 'trailingSlash' }
  | { shape: 'upperCase' }
  | { shape: 'extraSegment'; segment: Segment }
  | { shape: 'dropLastSegment' }
  | { shape: 'doubleSlash'; at: number }
  | { shape: 'junkPrefix'; segment: Segment }
  | { shape: 'junkPath'; segments: Segment[] };

export const shape: fc.Arbitrary<Shape> = fc.oneof(
  { weight: 24, arbitrary: fc.constant({ shape: 'exact' as const }) },
  { weight: 2, arbitrary: fc.constant({ shape: 'trailingSlash' as const }) },
  { weight: 2, arbitrary: fc.constant({ shape: 'upperCase' as const }) },
  { weight: 1, arbitrary: junkSegment.map((segment) => ({ shape: 'extraSegment' as const, segment })) },
  { weight: 1, arbitrary: fc.constant({ shape: 'dropLastSegment' as const }) },
  { weight: 1, arbitrary: fc.nat(20).map((at) => ({ shape: 'doubleSlash' as const, at })) },
  { weight: 1, arbitrary: junkSegment.map((segment) => ({ shape: 'junkPrefix' as const, segment })) },
  {
    weight: 1,
    arbitrary: fc
      .array(junkSegment, { minLength: 0, maxLength: 4 })
      .map((segments) => ({ shape: 'junkPath' as const, segments })),
  },
);

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The operation's method mostly, any other sometimes. */
export const method = (own: string): fc.Arbitrary<HttpMethod> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(own as HttpMethod) },
    { weight: 1, arbitrary: fc.constantFrom(...HTTP_METHODS) },
  );

const KEY = fc.stringMatching(/^[A-Za-z0-9]{16}$/);

/** The Xrfkey query parameter (raw query parts) and header, valid or broken in one of the ways a client can. */
export interface XrfkeySpec {
  query: string[];
  header: string | null;
}

export const xrfkey: fc.Arbitrary<XrfkeySpec> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(KEY, fc.constantFrom('Xrfkey', 'xrfkey', 'XRFKEY', 'xRfKeY', '%58rfkey'))
      .map(([key, name]) => ({ query: [`${name}=${key}`], header: key })),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(KEY, KEY, fc.nat(11)).map(([key, other, variant]): XrfkeySpec => {
      switch (variant) {
        case 0:
          return { query: [], header: null };
        case 1:
          return { query: [], header: key };
        case 2:
          return { query: [`Xrfkey=${key}`], header: null };
        case 3:
          return { query: [`Xrfkey=${key}`], header: other };
        case 4:
          return {
            query: [`Xrfkey=${key}`],
            header: key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase(),
          };
        case 5:
          return { query: [`Xrfkey=${key.slice(1)}`], header: key.slice(1) };
        case 6:
          return { query: [`Xrfkey=${key}x`], header: `${key}x` };
        case 7:
          return { query: [`Xrfkey=${key}`, `xrfkey=${key}`], header: key };
        case 8:
          return { query: [`Xrfkey[]=${key}`], header: key };
        case 9:
          return { query: [`Xrfkey=${encodeText(`${key.slice(2)}\u{1F600}`)}`], header: `${key.slice(2)}ab` };
        case 10:
          return { query: ['Xrfkey='], header: '' };
        default:
          return { query: [`Xrfkey=%ZZ${key.slice(3)}`], header: key };
      }
    }),
  },
);

/** Extra query parameters, raw: junk, prototype names, tickets, target URIs, control filters. */
export type QueryPart = string | { name: string; value: Live };

export const queryPart: fc.Arbitrary<QueryPart> = fc.oneof(
  fc.constantFrom(
    'a=1',
    '%ZZ=%ZZ',
    '__proto__[polluted]=1',
    '__proto__=x',
    'constructor[prototype][polluted]=1',
    'hasOwnProperty=1',
    'qlikTicket=',
    'qlikTicket=AAAAAAAAAAAAAAAA',
    'QLIKTICKET=%00',
    'x-qlik-ticket=%ZZ',
    'targetUri=http%3A%2F%2Flocalhost%2Fhub',
    'targetUri=https%3A%2F%2Fevil.example%2F',
    'targetUri=javascript%3Aalert(1)',
    'targetUri=%ZZ',
    'targetUri=',
    'targetUri=a&targetUri=b',
    'since=0',
    'since=-1',
    'since=abc',
    'since=99999999999999999999',
    'limit=0',
    'limit=1',
    'limit=10001',
    'limit=%F0%9F%98%80',
    'limit=1&limit=2',
    'type=session.started',
    'type[]=x',
    'operation=getSessions',
    'operation=',
    'interval=5',
    'interval=abc',
    'interval=100000',
    `x=${'a'.repeat(3_000)}`,
    'a=1&'.repeat(300).slice(0, -1),
  ),
  fc.string({ unit: 'binary', maxLength: 10 }).map((text) => `q=${encodeText(text)}`),
  fc
    .tuple(fc.constantFrom('qlikTicket', 'QlikTicket', 'X-Qlik-Ticket', 'x-qlik-ticket'), live('ticket'))
    .map(([name, value]) => ({ name, value })),
);

/** A header value: fixed text, or a live value (session cookies). */
export type HeaderValue = string | { cookie: string; id: Live } | { qlikUser: [Live, Live] };
export type HeaderSpec = [string, HeaderValue];

/** Only what Node's HTTP client lets through: no control characters, nothing above U+00FF. */
const headerText = fc
  .string({ unit: 'binary', maxLength: 40 })
  .map((text) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=x-junk',
  'application/json;;;',
  'application/jsonx',
  'text/json',
  'text/plain',
  'text/yaml',
  'application/yaml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  '*/*',
  '',
  ';',
  'json',
  `application/json; ${'x'.repeat(500)}`,
];

export const header: fc.Arbitrary<HeaderSpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES).map((v): HeaderSpec => ['Content-Type', v]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('X-Qlik-Session', 'X-Qlik-Session-hdr', 'x-qlik-session'), live('sessionId'))
      .map(([cookie, id]): HeaderSpec => ['Cookie', { cookie, id }]),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'X-Qlik-Session=%ZZ',
        'X-Qlik-Session=',
        '=;=;;',
        '__proto__=x; constructor=y',
        'X-Qlik-Session="unterminated',
        `X-Qlik-Session=${'a'.repeat(4_000)}`,
        'X-Qlik-Session=a; X-Qlik-Session=b',
      )
      .map((v): HeaderSpec => ['Cookie', v]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(live('userDirectory', 1), live('userId', 1))
      .map(([d, u]): HeaderSpec => ['X-Qlik-User', { qlikUser: [d, u] }]),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'UserDirectory=CORP; UserId=alice',
        'UserDirectory=%ZZ; UserId=%E2%80%AE',
        'UserDirectory=;UserId=',
        ';',
        '',
        'UserId=x',
        'userdirectory = D ; userid = u ; extra',
        '__proto__=x; UserDirectory=D; UserId=u',
      )
      .map((v): HeaderSpec => ['X-Qlik-User', v]),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('', 'hdr', '/hdr/', 'HDR', 'nosuch', '__proto__', '/', '//', 'hdr/qps')
      .map((v): HeaderSpec => ['X-Qlik-Virtual-Proxy-Prefix', v]),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('localhost', 'evil.example', 'evil.example:1234', '[::1]:80', '', 'a'.repeat(300), '%ZZ', '[')
      .map((v): HeaderSpec => ['Host', v]),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('gzip', 'deflate', 'br', 'identity', 'x-junk', 'gzip, gzip')
      .map((v): HeaderSpec => ['Content-Encoding', v]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('Accept', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'X-Qlik-Xrfkey', 'constructor', 'X-Junk'),
        headerText,
      )
      .map(([name, v]): HeaderSpec => [name, v]),
  },
);

/** How a valid body is spoiled before it is sent. */
export type Mutation =
  | { mutation: 'none' }
  | { mutation: 'dropKey'; index: number }
  | { mutation: 'wrongType'; index: number; value: unknown }
  | { mutation: 'renameKeys'; style: 'lower' | 'upper' | 'pascal' | 'camel' }
  | { mutation: 'protoKey'; payload: string }
  | { mutation: 'extraKey'; key: string; value: unknown }
  | { mutation: 'duplicateKey'; index: number }
  | { mutation: 'wrapInArray' }
  | { mutation: 'stringified' }
  | { mutation: 'truncate'; at: number }
  | { mutation: 'trailingGarbage'; garbage: string }
  | { mutation: 'singleQuotes' }
  /** Somewhere inside: the path picks a key (or item) at each level, modulo; then that value is replaced or removed. */
  | { mutation: 'deep'; path: number[]; action: 'set' | 'delete'; value: unknown };

const WRONG_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  true,
  false,
  '',
  ' ',
  'x',
  [],
  {},
  [[[]]],
  { a: { b: { c: {} } } },
  'a'.repeat(2_000),
  '\u202E\u0000',
  '99999999999999999999',
];

export const PROTO_PAYLOADS = [
  '"__proto__":{"polluted":"yes"}',
  '"__proto__":{"appId":"x","healthy":false,"ms":1}',
  '"constructor":{"prototype":{"polluted":"yes"}}',
  '"prototype":{"polluted":"yes"}',
  '"__proto__":null',
  '"__proto__":[1,2]',
];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ mutation: 'none' as const }) },
  { weight: 2, arbitrary: fc.nat(5).map((index) => ({ mutation: 'dropKey' as const, index })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.nat(5), fc.oneof(fc.constantFrom(...WRONG_VALUES), fc.jsonValue({ maxDepth: 3 })))
      .map(([index, value]) => ({ mutation: 'wrongType' as const, index, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('lower' as const, 'upper' as const, 'pascal' as const, 'camel' as const)
      .map((style) => ({ mutation: 'renameKeys' as const, style })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...PROTO_PAYLOADS).map((payload) => ({ mutation: 'protoKey' as const, payload })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('__proto__', 'constructor', 'toString', 'extra', 'ms', ''), fc.jsonValue({ maxDepth: 2 }))
      .map(([key, value]) => ({ mutation: 'extraKey' as const, key, value })),
  },
  { weight: 1, arbitrary: fc.nat(5).map((index) => ({ mutation: 'duplicateKey' as const, index })) },
  { weight: 1, arbitrary: fc.constant({ mutation: 'wrapInArray' as const }) },
  { weight: 1, arbitrary: fc.constant({ mutation: 'stringified' as const }) },
  { weight: 1, arbitrary: fc.nat(200).map((at) => ({ mutation: 'truncate' as const, at })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('}', ',', ' x', '\u0000', '{}', '/* c */', '\n\n\n')
      .map((garbage) => ({ mutation: 'trailingGarbage' as const, garbage })),
  },
  { weight: 1, arbitrary: fc.constant({ mutation: 'singleQuotes' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      mutation: fc.constant('deep' as const),
      path: fc.array(fc.nat(400), { minLength: 1, maxLength: 6 }),
      action: fc.constantFrom('set' as const, 'delete' as const),
      value: fc.oneof(fc.constantFrom(...WRONG_VALUES), fc.jsonValue({ maxDepth: 2 })),
    }),
  },
);

/** 100 kB: the QPS and control limit on JSON bodies. */
export const LIMIT = 100 * 1024;

/** A request body, before it is resolved to bytes (null content type: no Content-Type header). */
export type BodySpec = { contentType: string | null } & (
  | { kind: 'none' }
  | { kind: 'valid'; mutation: Mutation; encoding: 'utf8' | 'latin1' | 'utf16le' | 'bom' }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: number[] }
  | { kind: 'deep'; depth: number; open: string; close: string; balanced: boolean }
  | { kind: 'huge'; size: number; wrap: 'string' | 'key' | 'array' | 'valid' }
  | { kind: 'proto'; payload: string }
);

const MALFORMED = [
  '',
  ' ',
  '{',
  '}',
  '{"a":',
  "{'a':1}",
  '{a:1}',
  'nul',
  'undefined',
  'NaN',
  'Infinity',
  '[1,]',
  '{"a":1,}',
  '{"a":1}}',
  '\u0000',
  '\uFEFF{}',
  '"\\ud800"',
  '"\\u00"',
  '{"a":"\\x"}',
  '0x10',
  '1e999999',
  '-',
  '// comment\n{}',
  '---\nfoo: [',
  '&a [*a, *a]',
  'a: &a [x]\nb: *a\nc: *a',
  'steps: [{at: 1s, engineDown: {engine: 99}}]\nname: x\ndescription: y',
  'name: x\ndescription: y\nsteps: []',
  '%YAML 1.1\n--- !!binary',
  '!!js/function "function(){}"',
];

const WRONG_TYPES = ['true', 'false', '42', '-0', '"string"', 'null', '[]', '[{}]', '[null]', '{}', '""', '[[]]'];

/** A body for an operation that takes one (`valid` when it has a valid form). */
export const body = (hasValid: boolean): fc.Arbitrary<BodySpec> => {
  const contentType = fc.oneof(
    { weight: 10, arbitrary: fc.constant('application/json') },
    { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  const kinds: Array<fc.WeightedArbitrary<Omit<BodySpec, 'contentType'>>> = [
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...MALFORMED, ...WRONG_TYPES).map((text) => ({ kind: 'text' as const, text })),
    },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((text) => ({ kind: 'text' as const, text })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.uint8Array({ minLength: 1, maxLength: 32 }).map((b) => [...b]),
          fc.constantFrom(
            [0xff, 0xfe, 0x7b, 0x7d],
            [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d],
            [0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d],
            [0x22, 0xf0, 0x28, 0x8c, 0xbc, 0x22],
            [0xc0, 0xaf],
            [0x00, 0x7b, 0x00, 0x7d],
          ),
        )
        .map((bytes) => ({ kind: 'bytes' as const, bytes })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          depth: fc.constantFrom(1_000, 10_000),
          pair: fc.constantFrom(
            { open: '[', close: ']' },
            { open: '{"a":', close: '}' },
            { open: '{"UserDirectory":', close: '}' },
            { open: '[{"x":', close: '}]' },
            { open: '- ', close: '' },
          ),
          balanced: fc.boolean(),
        })
        .map(({ depth, pair, balanced }) => ({ kind: 'deep' as const, depth, ...pair, balanced })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          size: fc.constantFrom(LIMIT - 300, LIMIT - 40, LIMIT, LIMIT + 1, LIMIT + 4_000, 3 * LIMIT, 1_048_576 + 1),
          wrap: fc.constantFrom('string' as const, 'key' as const, 'array' as const, 'valid' as const),
        })
        .map((huge) => ({ kind: 'huge' as const, ...huge })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...PROTO_PAYLOADS, '"__proto__":{"__proto__":{"polluted":"deep"}}')
        .map((payload) => ({ kind: 'proto' as const, payload })),
    },
  ];
  if (hasValid) {
    kinds.push({
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('valid' as const),
        mutation,
        encoding: fc.oneof(
          { weight: 10, arbitrary: fc.constant('utf8' as const) },
          { weight: 1, arbitrary: fc.constantFrom('latin1' as const, 'utf16le' as const, 'bom' as const) },
        ),
      }),
    });
  }
  return fc.tuple(contentType, fc.oneof(...kinds)).map(([type, spec]) => ({ contentType: type, ...spec }) as BodySpec);
};

/** Bodies sent to operations that take none: they must be ignored. */
export const strayBody: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ contentType: null, kind: 'none' as const }) },
  { weight: 1, arbitrary: body(false) },
);
