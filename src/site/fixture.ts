import { STRATEGIES, type Strategy } from '../domain/load-balancer.js';
import { compileSchema, describeProblems } from '../schema/validate.js';

/** A site described by hand instead of generated: users, virtual proxies and optional sessions. */
export interface SiteFixture {
  users: Array<{
    userDirectory: string;
    userId: string;
    name?: string;
    /** As on Qlik's wire: single-key objects, a key may repeat (`[{group: Sales}, {group: HR}]`). */
    attributes?: Array<Record<string, string>>;
  }>;
  virtualProxies?: Array<{
    prefix: string;
    description?: string;
    sessionInactivityTimeoutMinutes?: number;
    loadBalancing?: Strategy;
    anonymousAccess?: boolean;
    hostAllowList?: string[];
  }>;
  engines?: Array<{ hostName?: string; port?: number; memoryTotalMb?: number }>;
  apps?: Array<{ id?: string; name: string; sizeMb?: number; popularity?: number }>;
  sessions?: Array<{
    userDirectory: string;
    userId: string;
    virtualProxy?: string;
    sessionId?: string;
    startedMinutesAgo?: number;
    idleMinutes?: number;
  }>;
}

const uuid = {
  type: 'string',
  title: 'a UUID such as 3f2b1c4e-8d7a-4b6e-9f10-2a3b4c5d6e7f',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
};
/** Ten years, so that every time a fixture implies stays a valid date. */
const MAX_MINUTES = 10 * 365 * 24 * 60;
const name = { type: 'string', minLength: 1, maxLength: 256, pattern: '^[^\\\\\\u0000-\\u001f]+$' };
export const prefixSchema = {
  type: 'string',
  title:
    'a virtual proxy prefix: up to 64 letters, digits, - _ . ~ and inner /, with no segment named qps, not starting with __sim',
  pattern: '^(?!/)(?!.*/$)(?!(.*/)?[qQ][pP][sS](/|$))(?!__[sS][iI][mM](/|$))[A-Za-z0-9_.~/-]{1,64}$',
};

export const fixtureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['users'],
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    users: {
      type: 'array',
      minItems: 1,
      maxItems: 100_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['userDirectory', 'userId'],
        properties: {
          userDirectory: name,
          userId: name,
          name: { type: 'string', maxLength: 256 },
          attributes: {
            type: 'array',
            items: {
              type: 'object',
              minProperties: 1,
              maxProperties: 1,
              additionalProperties: { type: 'string', maxLength: 4096 },
            },
          },
        },
      },
    },
    virtualProxies: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['prefix'],
        properties: {
          prefix: { anyOf: [{ const: '' }, prefixSchema] },
          description: { type: 'string', maxLength: 256 },
          sessionInactivityTimeoutMinutes: { type: 'integer', minimum: 1, maximum: 525_600 },
          loadBalancing: { enum: STRATEGIES },
          anonymousAccess: { type: 'boolean' },
          hostAllowList: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 253 } },
        },
      },
    },
    engines: {
      type: 'array',
      minItems: 1,
      maxItems: 256,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          hostName: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+$' },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          memoryTotalMb: { type: 'integer', minimum: 1024, maximum: 16_777_216 },
        },
      },
    },
    apps: {
      type: 'array',
      minItems: 1,
      maxItems: 10_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          id: uuid,
          name: { type: 'string', minLength: 1, maxLength: 256 },
          sizeMb: { type: 'integer', minimum: 1, maximum: 1_048_576 },
          popularity: { type: 'number', exclusiveMinimum: 0 },
        },
      },
    },
    sessions: {
      type: 'array',
      maxItems: 1_000_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['userDirectory', 'userId'],
        properties: {
          userDirectory: name,
          userId: name,
          virtualProxy: { type: 'string' },
          sessionId: uuid,
          startedMinutesAgo: { type: 'number', minimum: 0, maximum: MAX_MINUTES },
          idleMinutes: { type: 'number', minimum: 0, maximum: MAX_MINUTES },
        },
      },
    },
  },
} as const;

const checkFixture = compileSchema<SiteFixture>(fixtureSchema);

export class FixtureError extends Error {
  override readonly name = 'FixtureError';
}

/** Checks a parsed fixture; throws a FixtureError naming every bad field. */
export function parseFixture(value: unknown): SiteFixture {
  const result = checkFixture(value);
  if (!result.ok) throw new FixtureError(`invalid site fixture: ${describeProblems(result.problems)}`);
  return result.value;
}
