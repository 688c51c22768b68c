import type { Strategy } from './load-balancer.js';
import type { User } from './users.js';
import { generateDirectories, generateUsers, userKey } from './users.js';

export interface VirtualProxy {
  /** '' is the default virtual proxy (no prefix). */
  prefix: string;
  description: string;
  sessionCookieHeaderName: string;
  sessionInactivityTimeoutMs: number;
  /** Changeable at run time through the control API. */
  loadBalancing: Strategy;
  /** Anonymous users may use the front end (the Personal API answers the anonymous shape). */
  anonymousAccess: boolean;
  /** Hosts a Personal API targetUri may name besides the proxy's own. */
  hostAllowList: string[];
}

export interface Site {
  directories: string[];
  users: Map<string, User>;
  proxies: Map<string, VirtualProxy>;
}

export interface ProxySpec {
  prefix: string;
  description?: string;
  sessionInactivityTimeoutMinutes?: number;
  loadBalancing?: Strategy;
  anonymousAccess?: boolean;
  hostAllowList?: string[];
}

export const cookieNameFor = (prefix: string): string =>
  prefix === '' ? 'X-Qlik-Session' : `X-Qlik-Session-${prefix.replace(/\//g, '-')}`;

export function buildProxies(
  specs: readonly ProxySpec[],
  defaultTimeoutMinutes: number,
  defaultStrategy: Strategy,
): Map<string, VirtualProxy> {
  return new Map(
    specs.map((spec) => [
      spec.prefix,
      {
        prefix: spec.prefix,
        description:
          spec.description ?? (spec.prefix === '' ? 'Central Proxy (Default)' : `Virtual proxy ${spec.prefix}`),
        sessionCookieHeaderName: cookieNameFor(spec.prefix),
        sessionInactivityTimeoutMs: (spec.sessionInactivityTimeoutMinutes ?? defaultTimeoutMinutes) * 60_000,
        loadBalancing: spec.loadBalancing ?? defaultStrategy,
        anonymousAccess: spec.anonymousAccess ?? false,
        hostAllowList: spec.hostAllowList ?? ['localhost', '127.0.0.1'],
      },
    ]),
  );
}

export function indexUsers(users: readonly User[]): Map<string, User> {
  return new Map(users.map((u) => [userKey(u.userDirectory, u.userId), u]));
}

/** A generated identity: a few user directories and `userCount` users spread over them. */
export function generateIdentity(seed: string, userCount: number): Pick<Site, 'directories' | 'users'> {
  // Always three directories, so that user n is the same on a site of any size.
  const directories = generateDirectories(seed, 3);
  return { directories, users: indexUsers(generateUsers(seed, userCount, directories)) };
}
