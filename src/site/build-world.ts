import { generateApp } from '../domain/apps.js';
import { Cluster } from '../domain/cluster.js';
import { createEngine } from '../domain/engine.js';
import { populateSessions } from '../domain/population.js';
import { adoptStartingSession } from '../domain/traffic.js';
import { stream } from '../domain/rng.js';
import { buildProxies, generateIdentity, type ProxySpec, type Site } from '../domain/site.js';
import type { Attribute, User } from '../domain/users.js';
import { userKey } from '../domain/users.js';
import { World } from '../domain/world.js';
import { DEFAULTS, type ResolvedOptions } from '../options.js';
import { FixtureError, type SiteFixture } from './fixture.js';

const MINUTE = 60_000;

function proxySpecs(options: ResolvedOptions): ProxySpec[] {
  if (options.virtualProxies) return [{ prefix: '' }, ...options.virtualProxies.map((prefix) => ({ prefix }))];
  if (options.fixture?.virtualProxies) return checkUniquePrefixes(options.fixture.virtualProxies);
  return [{ prefix: '' }, ...DEFAULTS.virtualProxies.map((prefix) => ({ prefix }))];
}

/** The fixture's users; one listed twice (directory and id match without case) is an error. */
function fixtureIdentity(fixture: SiteFixture): Pick<Site, 'directories' | 'users'> {
  const users = new Map<string, User>();
  const directories = new Map<string, string>();
  fixture.users.forEach((u, i) => {
    const key = userKey(u.userDirectory, u.userId);
    if (users.has(key)) throw new FixtureError(`users[${i}]: ${u.userDirectory}\\${u.userId} is listed twice`);
    users.set(key, {
      userDirectory: u.userDirectory,
      userId: u.userId,
      name: u.name ?? u.userId,
      attributes: (u.attributes ?? []).flatMap((a) => Object.entries(a) as Attribute[]),
    });
    if (!directories.has(u.userDirectory.toLowerCase()))
      directories.set(u.userDirectory.toLowerCase(), u.userDirectory);
  });
  return { directories: [...directories.values()], users };
}

function checkUniquePrefixes(specs: readonly ProxySpec[]): ProxySpec[] {
  const seen = new Set<string>();
  specs.forEach((spec, i) => {
    if (seen.has(spec.prefix))
      throw new FixtureError(`virtualProxies[${i}].prefix: ${JSON.stringify(spec.prefix)} is listed twice`);
    seen.add(spec.prefix);
  });
  return [...specs];
}

function addFixtureSessions(world: World, seed: string, sessions: NonNullable<SiteFixture['sessions']>): void {
  sessions.forEach((s, i) => {
    const where = `sessions[${i}]`;
    const user = world.site.users.get(userKey(s.userDirectory, s.userId));
    if (!user) throw new FixtureError(`${where}: no user ${s.userDirectory}\\${s.userId} among the fixture's users`);
    const proxy = world.proxy(s.virtualProxy ?? '');
    if (!proxy) throw new FixtureError(`${where}.virtualProxy: no virtual proxy ${JSON.stringify(s.virtualProxy)}`);
    const id = (s.sessionId ?? stream(seed, `fixture-session/${i}`).uuid()).toLowerCase();
    if (world.sessions.get(id)) throw new FixtureError(`${where}.sessionId: ${id} is used twice`);
    const start = world.now - (s.startedMinutesAgo ?? 0) * MINUTE;
    const lastActive = Math.max(start, world.now - (s.idleMinutes ?? 0) * MINUTE);
    const session = world.startSession({ id, proxy: proxy.prefix, user, start, lastActive });
    if (!session) {
      throw new FixtureError(`${where}: user ${user.userDirectory}\\${user.userId} would exceed the session limit`);
    }
    adoptStartingSession(world, session, stream(seed, `fixture-session/${i}/life`));
  });
}

function buildCluster({ seed, fixture, startTime, ...options }: ResolvedOptions): Cluster {
  const engineSpecs = fixture?.engines ?? Array.from({ length: options.engines }, () => ({}));
  const engines = engineSpecs.map((spec, index) => createEngine(seed, index, spec, startTime));
  const apps = fixture?.apps
    ? fixture.apps.map((spec, index) => ({ ...generateApp(seed, index), ...spec }))
    : Array.from({ length: options.apps }, (_, index) => generateApp(seed, index));
  return new Cluster(engines, apps, options.decisionLimit);
}

/** The seeded starting state: a generated or fixture site and its first sessions. */
export function buildWorld(options: ResolvedOptions): World {
  const { fixture, seed } = options;
  const identity = fixture ? fixtureIdentity(fixture) : generateIdentity(seed, options.users);
  const site = {
    ...identity,
    proxies: buildProxies(proxySpecs(options), options.sessionTimeoutMinutes, options.lbStrategy),
  };
  const world = new World(
    {
      seed,
      dialect: options.dialect,
      start: options.startTime,
      maxSessionsPerUser: options.maxSessionsPerUser,
      eventCapacity: options.eventLimit,
      decisionCapacity: options.decisionLimit,
      journalCapacity: options.journalLimit,
      appCacheMs: options.appCacheMinutes * MINUTE,
      skipSaturated: options.skipSaturated,
      traffic: { enabled: options.traffic, peakLoginsPerHour: options.peakLoginsPerHour },
    },
    site,
    buildCluster(options),
  );
  if (fixture?.sessions) addFixtureSessions(world, seed, fixture.sessions);
  else populateSessions(world, options.sessions);
  world.advanceTo(world.now); // the engines' first sample
  return world;
}
