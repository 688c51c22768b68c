import type { ClockSnapshot } from '../../domain/clock.js';
import type { SimEvent } from '../../domain/events.js';
import type { World } from '../../domain/world.js';

const iso = (ms: number) => new Date(ms).toISOString();

export const clockOf = (clock: ClockSnapshot) => ({
  now: iso(clock.now),
  nowMs: clock.now,
  mode: clock.mode,
  speed: clock.speed,
  paused: clock.paused,
});

export const eventOf = (event: SimEvent) => ({ ...event, at: iso(event.at) });

export function stateOf(world: World, clock: ClockSnapshot) {
  const proxies = [...world.site.proxies.values()];
  return {
    seed: world.config.seed,
    clock: clockOf(clock),
    health: world.health(),
    counts: {
      users: world.site.users.size,
      sessions: world.sessions.size,
      sessionsByProxy: Object.fromEntries(proxies.map((p) => [p.prefix, world.sessions.ofProxy(p.prefix).length])),
      events: world.events.size,
    },
    virtualProxies: proxies.map((p) => ({
      prefix: p.prefix,
      description: p.description,
      sessionCookieHeaderName: p.sessionCookieHeaderName,
      sessionInactivityTimeoutMinutes: p.sessionInactivityTimeoutMs / 60_000,
    })),
    userDirectories: world.site.directories,
  };
}
