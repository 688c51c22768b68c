import { fileURLToPath } from 'node:url';
import type { RequestListener as App } from 'node:http';
import request from 'supertest';
import { createSimulator, type Simulator } from '../../src/simulator.js';
import type { SimulatorOptions } from '../../src/options.js';
import { resolveOptions } from '../../src/options.js';
import { buildWorld } from '../../src/site/build-world.js';
import type { SiteFixture } from '../../src/site/fixture.js';
import { loadFixtureFile } from '../../src/site/load-fixture.js';
import type { World } from '../../src/domain/world.js';

/** A valid Xrfkey: 16 letters and digits, sent as both the query parameter and the header. */
export const XRFKEY = 'abcdefgh12345678';

export const MINUTE = 60_000;

export const SMALL_SITE = fileURLToPath(new URL('../../fixtures/small-site.yaml', import.meta.url));

/** The session ids fixtures/small-site.yaml declares. */
export const SMALL_SITE_IDS = {
  aliceDefault: '11111111-1111-4111-8111-111111111111',
  aliceHdr: '22222222-2222-4222-8222-222222222222',
  carolDefault: '33333333-3333-4333-8333-333333333333',
} as const;

export const withXrfkey = (path: string): string => `${path}${path.includes('?') ? '&' : '?'}Xrfkey=${XRFKEY}`;

/** Requests to a QPS path with a valid Xrfkey pair. */
export function qps(app: App) {
  return {
    get: (path: string) => request(app).get(withXrfkey(path)).set('X-Qlik-Xrfkey', XRFKEY),
    delete: (path: string) => request(app).delete(withXrfkey(path)).set('X-Qlik-Xrfkey', XRFKEY),
  };
}

/**
 * Without simulated users (`traffic: false`) sessions change only through the API and the clock,
 * so a test can say exactly what must happen. Pass `traffic: true` to have them.
 */
const QUIET: SimulatorOptions = { traffic: false };

/** A simulator of fixtures/small-site.yaml (manual clock, no simulated users unless asked). */
export async function smallSiteSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return createSimulator({ ...QUIET, fixture: await loadFixtureFile(SMALL_SITE), ...options });
}

/** The starting world of fixtures/small-site.yaml, without HTTP (no simulated users unless asked). */
export async function smallSiteWorld(options: SimulatorOptions = {}): Promise<World> {
  return buildWorld(resolveOptions({ ...QUIET, fixture: await loadFixtureFile(SMALL_SITE), ...options }));
}

/** The starting world of an inline fixture (no simulated users unless asked). */
export function worldOf(fixture: SiteFixture, options: SimulatorOptions = {}): World {
  return buildWorld(resolveOptions({ ...QUIET, fixture, ...options }));
}

/** The event types of sessions and users (leaving out engines and apps, which the cluster records). */
export const SESSION_EVENTS = new Set(['session.started', 'session.ended', 'user.loggedOut', 'login.denied']);

/** The session and user events of a world since `seq` (exclusive). */
export const sessionEventsOf = (world: World, since = 0) =>
  world.events.query({ since }).filter((e) => SESSION_EVENTS.has(e.type));
