import { isTime, type ClockMode } from './domain/clock.js';
import { STRATEGIES, type Strategy } from './domain/load-balancer.js';
import { compileSchema, describeProblems } from './schema/validate.js';
import { parseFixture, prefixSchema, type SiteFixture } from './site/fixture.js';

/** `seed`: the contract the product was specified from; `qlik`: a real QPS's wire behaviour. */
export type Dialect = 'seed' | 'qlik';

export interface SimulatorOptions {
  /** Everything generated derives from it. Default `qps-sim`. */
  seed?: string | number;
  /** Users to generate (ignored with a fixture). Default 50. */
  users?: number;
  /** Sessions the site starts with. Default 20. */
  sessions?: number;
  /** A site to load instead of generating one (see fixtures/). */
  fixture?: SiteFixture;
  /** Prefixes of the virtual proxies besides the default one. Default `['hdr']`. */
  virtualProxies?: string[];
  /** Session inactivity timeout, unless a virtual proxy says otherwise. Default 30. */
  sessionTimeoutMinutes?: number;
  /** Most sessions one user may hold at once. Default 5. */
  maxSessionsPerUser?: number;
  /** `manual` moves only when told (tests); `realtime` follows the wall clock times `speed`. Default manual. */
  clock?: ClockMode;
  speed?: number;
  /** Simulated start time, ISO 8601 or ms since the epoch. Default 2026-01-05T09:00:00Z (a Monday). */
  startTime?: string | number;
  /** Serve the /__sim control API. Default true. */
  control?: boolean;
  /** How many domain events to keep. Default 1000. */
  eventLimit?: number;
  /** The wall clock used by the realtime clock; injectable for tests. */
  wallNow?: () => number;
  /** Engines in the cluster (ignored when the fixture lists engines). Default 4. */
  engines?: number;
  /** Apps in the catalogue (ignored when the fixture lists apps). Default 12. */
  apps?: number;
  /** Load-balancing strategy of every virtual proxy a fixture does not set. Default round-robin. */
  lbStrategy?: Strategy;
  /** Leave saturated engines out of rankings (default: rank them last). */
  skipSaturated?: boolean;
  /** Simulated users log in, open apps and leave. Default true. */
  traffic?: boolean;
  /** Logins per hour at the busiest time of a working day. Default 0.8 per user. */
  peakLoginsPerHour?: number;
  /** Minutes an app with no open session stays loaded on an engine. Default 480 (Qlik's 8 hours). */
  appCacheMinutes?: number;
  /** How many load-balancing decisions to keep. Default 500. */
  decisionLimit?: number;
  /** How many requests the journal keeps. Default 1000. */
  journalLimit?: number;
  /** Required by the control API when set; without it the control API answers only on loopback. */
  controlToken?: string;
  /** `seed` (the contract the product was specified from) or `qlik` (a real QPS's wire behaviour). Default seed. */
  dialect?: Dialect;
}

export interface ResolvedOptions {
  seed: string;
  users: number;
  sessions: number;
  fixture: SiteFixture | undefined;
  virtualProxies: string[] | undefined;
  sessionTimeoutMinutes: number;
  maxSessionsPerUser: number;
  clock: ClockMode;
  speed: number;
  startTime: number;
  control: boolean;
  eventLimit: number;
  wallNow: () => number;
  engines: number;
  apps: number;
  lbStrategy: Strategy;
  skipSaturated: boolean;
  traffic: boolean;
  peakLoginsPerHour: number;
  appCacheMinutes: number;
  decisionLimit: number;
  journalLimit: number;
  dialect: Dialect;
  controlToken: string | undefined;
}

export const DEFAULTS = {
  seed: 'qps-sim',
  users: 50,
  sessions: 20,
  virtualProxies: ['hdr'],
  sessionTimeoutMinutes: 30,
  maxSessionsPerUser: 5,
  clock: 'manual' as ClockMode,
  speed: 1,
  startTime: '2026-01-05T09:00:00.000Z',
  eventLimit: 1000,
  engines: 4,
  apps: 12,
  lbStrategy: 'round-robin' as Strategy,
  loginsPerUserHour: 0.8,
  appCacheMinutes: 480,
  decisionLimit: 500,
  journalLimit: 1000,
};

const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    wallNow: {},
    seed: { type: ['string', 'number'], minLength: 1, maxLength: 256 },
    users: { type: 'integer', minimum: 0, maximum: 100_000 },
    sessions: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    fixture: { type: 'object' },
    virtualProxies: {
      type: 'array',
      maxItems: 100,
      uniqueItems: true,
      items: prefixSchema,
    },
    sessionTimeoutMinutes: { type: 'integer', minimum: 1, maximum: 525_600 },
    maxSessionsPerUser: { type: 'integer', minimum: 1, maximum: 1000 },
    clock: { enum: ['manual', 'realtime'] },
    speed: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 },
    startTime: { type: ['string', 'integer'] },
    control: { type: 'boolean' },
    eventLimit: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    engines: { type: 'integer', minimum: 1, maximum: 256 },
    apps: { type: 'integer', minimum: 1, maximum: 10_000 },
    lbStrategy: { enum: STRATEGIES },
    skipSaturated: { type: 'boolean' },
    traffic: { type: 'boolean' },
    peakLoginsPerHour: { type: 'number', exclusiveMinimum: 0, maximum: 10_000_000 },
    appCacheMinutes: { type: 'number', minimum: 0, maximum: 525_600 },
    decisionLimit: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    journalLimit: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    dialect: { enum: ['seed', 'qlik'] },
    controlToken: { type: 'string', minLength: 8, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' },
  },
};

const checkOptions = compileSchema<SimulatorOptions>(optionsSchema);

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

function parseStartTime(value: string | number): number {
  const time = typeof value === 'number' ? value : Date.parse(value);
  if (!isTime(time)) {
    throw new OptionsError(`startTime ${JSON.stringify(value)} is not an ISO 8601 date-time within the range of dates`);
  }
  return time;
}

/** Fills in defaults and checks every option; throws an OptionsError naming each bad one. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const checked = checkOptions(options);
  if (!checked.ok) throw new OptionsError(`invalid options: ${describeProblems(checked.problems)}`);
  return {
    seed: String(options.seed ?? DEFAULTS.seed),
    users: options.users ?? DEFAULTS.users,
    sessions: options.sessions ?? DEFAULTS.sessions,
    fixture: options.fixture === undefined ? undefined : parseFixture(options.fixture),
    virtualProxies: options.virtualProxies,
    sessionTimeoutMinutes: options.sessionTimeoutMinutes ?? DEFAULTS.sessionTimeoutMinutes,
    maxSessionsPerUser: options.maxSessionsPerUser ?? DEFAULTS.maxSessionsPerUser,
    clock: options.clock ?? DEFAULTS.clock,
    speed: options.speed ?? DEFAULTS.speed,
    startTime: parseStartTime(options.startTime ?? DEFAULTS.startTime),
    control: options.control ?? true,
    eventLimit: options.eventLimit ?? DEFAULTS.eventLimit,
    wallNow: options.wallNow ?? Date.now,
    engines: options.engines ?? DEFAULTS.engines,
    apps: options.apps ?? DEFAULTS.apps,
    lbStrategy: options.lbStrategy ?? DEFAULTS.lbStrategy,
    skipSaturated: options.skipSaturated ?? false,
    traffic: options.traffic ?? true,
    peakLoginsPerHour:
      options.peakLoginsPerHour ??
      Math.max(1, (options.fixture?.users.length ?? options.users ?? DEFAULTS.users) * DEFAULTS.loginsPerUserHour),
    appCacheMinutes: options.appCacheMinutes ?? DEFAULTS.appCacheMinutes,
    decisionLimit: options.decisionLimit ?? DEFAULTS.decisionLimit,
    journalLimit: options.journalLimit ?? DEFAULTS.journalLimit,
    dialect: options.dialect ?? 'seed',
    controlToken: options.controlToken,
  };
}
