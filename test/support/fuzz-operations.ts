import fc from 'fast-check';
import { loadDocument, type DocumentName, type Operation } from '../../src/openapi/documents.js';
import {
  body,
  header,
  junkSegment,
  live,
  method,
  paramSegment,
  queryPart,
  shape,
  strayBody,
  xrfkey,
  type BodySpec,
  type HeaderSpec,
  type HttpMethod,
  type Live,
  type LiveKind,
  type QueryPart,
  type Segment,
  type Shape,
  type XrfkeySpec,
} from './fuzz-arbitraries.js';
import { stateEdit } from './fuzz-state.js';

/** A request aimed at one operation of a document, as data: resolved and sent by fuzz-http.ts. */
export interface FuzzRequest {
  /** The operation aimed at (the request may well miss it: that is the point). */
  target: string;
  document: DocumentName;
  method: HttpMethod;
  /** Where the document is mounted: an index into the layouts of the operation's area (modulo). */
  layout: number;
  params: Record<string, Segment>;
  shape: Shape;
  xrfkey: XrfkeySpec;
  query: QueryPart[];
  headers: HeaderSpec[];
  /** A valid body with live values in it (undefined for operations without one). */
  template?: unknown;
  body: BodySpec;
}

/**
 * The mounts of each area, the documented ones first (and most often drawn), then near misses:
 * another case, an unknown or mis-placed prefix, no mount at all.
 */
export const LAYOUTS: Record<string, string[]> = {
  'seed:backend': [
    '/qps',
    '/hdr/qps',
    '/QPS',
    '/Hdr/qps',
    '/nosuch/qps',
    '//qps',
    '/qps/hdr',
    '/hdr/hdr/qps',
    '/%68dr/qps',
    '',
  ],
  'qlik:backend': [
    '/qps',
    '/qps/hdr',
    '/hdr/qps',
    '/QPS',
    '/qps/HDR',
    '/HDR/qps',
    '/nosuch/qps',
    '/qps/nosuch',
    '//qps',
    '',
  ],
  'qlik:personal': ['/qps', '/hdr/qps', '/QPS', '/HDR/qps', '/nosuch/qps', '/qps/hdr', '', '/hdr', '/hdr/hdr/qps'],
  'qlik:front': ['', '/hdr', '/hdr', '/HDR', '/nosuch', '/qps', '/hdr/hdr', '/hdr%2F'],
  'qlik:module': ['', '', '', '/qps', '/hdr', '/hdr/qps', '/__sim'],
  'qlik:engine': ['', '', '', '/qps', '/hdr', '/hdr/qps'],
  'control:backend': ['/__sim', '/__SIM', '/__Sim', '/qps/__sim', '/hdr/__sim', '/__sim/__sim', ''],
};

export const layoutsOf = (document: DocumentName, op: Operation): string[] =>
  LAYOUTS[`${document}:${op.area}`] ?? LAYOUTS[`${document}:backend`] ?? [''];

/** What a path parameter holds when it is not junk. */
const PARAM_KINDS: Record<string, LiveKind[]> = {
  id: ['sessionId'],
  userDirectory: ['userDirectory'],
  userId: ['userId'],
  engine: ['engineHost', 'engineId', 'enginePosition'],
  engineId: ['engineId', 'engineHost'],
  faultId: ['faultId'],
  file: ['scenarioFile'],
  document: ['document'],
};

const paramArbitrary = (name: string): fc.Arbitrary<Segment> => {
  const kinds = PARAM_KINDS[name];
  return kinds ? fc.oneof(...kinds.map((kind) => paramSegment(kind))) : junkSegment;
};

/** A user's directory and id from the same pick mostly (a real user), from different picks sometimes. */
const userPair = (directoryKey: string, idKey: string, variants = 5) =>
  fc
    .tuple(live('userDirectory', variants), live('userId', variants), fc.nat(3))
    .map(([d, u, mix]) => ({ [directoryKey]: d, [idKey]: mix === 0 ? u : { ...u, pick: d.pick } }));

const attributes = fc.array(
  fc.oneof(
    fc.constantFrom({ Group: 'Sales' }, { Group: 'HR' }, { Email: 'a@b.c' }, { role: 'admin' }, { '': '' }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()), {
      minKeys: 1,
      maxKeys: 1,
    }),
  ),
  { maxLength: 4 },
);

const junkString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '\\', 'a\\b', '\u202E', '\u0000', 'x'.repeat(300), '__proto__', 'constructor'),
);

const engineUris = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: live('engineUri') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'https://unknown.example:4747',
        'not a uri',
        '',
        'https://',
        '://x',
        'https://[::1]:4747',
        'http://%ZZ/',
        'wss://QLIK-NODE-1.QPS-SIM.LOCAL/app',
      ),
    },
  ),
  { maxLength: 6 },
);

const OPERATION_IDS = [
  'getSessions',
  'getSession',
  'addSession',
  'getProxyHealth',
  'getHealth',
  'prioritizeEngines',
  '*',
];

/** Valid bodies, with values of the live state in them, for every operation that takes a body. */
const VALID_BODIES: Record<string, fc.Arbitrary<unknown>> = {
  prioritizeLoadBalancing: fc
    .tuple(userPair('userDirectory', 'userId', 3), live('appId', 3))
    .map(([user, appId]) => ({ ...user, appId })),
  addTicket: fc
    .tuple(
      userPair('UserDirectory', 'UserId'),
      fc.record({ Attributes: attributes, TargetId: fc.oneof(fc.uuid(), junkString) }, { requiredKeys: [] }),
    )
    .map(([user, rest]) => ({ ...user, ...rest })),
  addSession: fc
    .tuple(
      userPair('UserDirectory', 'UserId'),
      fc.oneof({ weight: 3, arbitrary: fc.uuid() }, { weight: 1, arbitrary: live('sessionId', 3) }),
      fc.option(attributes, { nil: undefined }),
    )
    .map(([user, SessionId, Attributes]) => ({ ...user, SessionId, ...(Attributes ? { Attributes } : {}) })),
  logError: fc
    .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), fc.option(userPair('UserDirectory', 'UserId')))
    .map(([Message, user]) => ({ Message, ...(user ?? {}) })),
  prioritizeEngines: fc.record({
    AppName: fc.oneof(live('appName', 3), live('appId', 3), junkString),
    QlikSenseEngines: engineUris,
  }),
  setClock: fc.record(
    { paused: fc.boolean(), speed: fc.oneof(fc.double({ min: 0.001, max: 100_000, noNaN: true }), fc.constant(1)) },
    { requiredKeys: [] },
  ),
  advanceClock: fc.record({
    ms: fc.oneof(
      { weight: 6, arbitrary: fc.nat(3_600_000) },
      { weight: 1, arbitrary: fc.constantFrom(0, 86_400_000, 604_800_000, 604_800_001, -1, 1.5) },
    ),
  }),
  setSimHealth: fc.record(
    { healthy: fc.boolean(), reason: fc.string({ minLength: 1, maxLength: 30 }) },
    { requiredKeys: ['healthy'] },
  ),
  setEngine: fc.record(
    { status: fc.constantFrom('up', 'down', 'draining'), cpuSpike: fc.integer({ min: 0, max: 100 }) },
    { requiredKeys: [] },
  ),
  setLoadBalancing: fc.record(
    {
      strategy: fc.constantFrom('round-robin', 'least-load', 'sticky'),
      virtualProxy: fc.oneof(live('proxyPrefix', 1), junkString),
    },
    { requiredKeys: ['strategy'] },
  ),
  loadScenario: fc.oneof(
    { weight: 2, arbitrary: live('scenarioText', 1) },
    {
      weight: 2,
      arbitrary: fc.record({
        name: fc.string({ minLength: 1, maxLength: 10 }),
        description: fc.string({ maxLength: 10 }),
        steps: fc.array(
          fc.oneof(
            fc.record({
              at: fc.constantFrom('0s', '1s', '5m'),
              engineDown: fc.record({ engine: fc.integer({ min: 0, max: 6 }) }),
            }),
            fc.record({ at: fc.constantFrom('0s', '10s'), for: fc.constant('30s'), healthFailure: fc.constant({}) }),
            fc.record({
              at: fc.constant('1s'),
              dropSessions: fc.record({ fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
            }),
            fc.record({
              at: fc.constant('2s'),
              loginSurge: fc.record({ users: fc.integer({ min: 1, max: 20 }), over: fc.constant('1m') }),
            }),
          ),
          { maxLength: 3 },
        ),
      }),
    },
  ),
  addFault: fc.oneof(
    fc.record(
      {
        errors: fc.record(
          {
            operations: fc.array(fc.constantFrom(...OPERATION_IDS), { minLength: 1, maxLength: 2 }),
            status: fc.integer({ min: 400, max: 599 }),
            probability: fc.double({ min: 0, max: 1, noNaN: true }),
          },
          { requiredKeys: ['operations', 'status'] },
        ),
        ttl: fc.constantFrom('30s', '5m', 1_000),
      },
      { requiredKeys: ['errors'] },
    ),
    fc.record({ latency: fc.record({ operations: fc.constant(['*']), ms: fc.nat(5) }) }),
    fc.record({ dropConnection: fc.record({ operations: fc.constant(['getSessions']), firstCalls: fc.nat(3) }) }),
  ),
  importState: fc
    .array(stateEdit, { minLength: 1, maxLength: 3 })
    .map((edits) => ({ $live: 'exportedState', pick: 0, variant: 0, edits })),
  startSurge: fc.record(
    {
      users: fc.integer({ min: 1, max: 20 }),
      over: fc.oneof(fc.constantFrom('1m', '30s', '1h30m'), fc.nat(600_000)),
      virtualProxy: live('proxyPrefix', 1),
    },
    { requiredKeys: ['users', 'over'] },
  ),
};

/** A ticket of the run in the query (a redemption) mostly, on the hub's requests. */
const ticketQuery: fc.Arbitrary<QueryPart[]> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('qlikTicket', 'QLIKTICKET', 'X-Qlik-Ticket'), live('ticket', 3))
      .map(([name, value]) => [{ name, value }]),
  },
  { weight: 1, arbitrary: fc.constant<QueryPart[]>([]) },
);

/** Any request aimed at `op` of `document`: every part drawn from the arbitraries above. */
export function requestFor(document: DocumentName, op: Operation): fc.Arbitrary<FuzzRequest> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const params = fc.tuple(...names.map(paramArbitrary)).map((segments) => {
    const out = Object.fromEntries(names.map((name, i) => [name, segments[i] as Segment]));
    // A real user's directory and id go together (from the same pick), as a client would send them.
    const [d, u] = [out.userDirectory, out.userId];
    if (d && u && '$live' in d && '$live' in u) out.userId = { ...u, pick: d.pick } as Live;
    return out;
  });
  const valid = VALID_BODIES[op.operationId];
  const takesBody = op.requestSchema !== undefined || op.acceptsYaml;
  return fc.record({
    target: fc.constant(op.operationId),
    document: fc.constant(document),
    method: method(op.method),
    layout: fc.oneof({ weight: 6, arbitrary: fc.nat(2) }, { weight: 2, arbitrary: fc.nat(20) }),
    params,
    shape,
    xrfkey,
    query:
      op.operationId === 'openHub'
        ? fc.tuple(fc.array(queryPart, { maxLength: 2 }), ticketQuery).map(([parts, ticket]) => [...ticket, ...parts])
        : fc.array(queryPart, { maxLength: 3 }),
    headers: fc.array(header, { maxLength: 4 }),
    template: valid ?? fc.constant(undefined),
    body: takesBody ? body(valid !== undefined) : strayBody,
  });
}

/** Requests aimed at any operation of a document. */
export const anyRequest = (document: DocumentName): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(...loadDocument(document).operations.map((op) => requestFor(document, op)));
