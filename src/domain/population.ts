import { stream } from './rng.js';
import { adoptStartingSession } from './traffic.js';
import type { World } from './world.js';

const MINUTE = 60_000;

/**
 * The sessions a seeded site starts with: each drawn from its own stream, spread over users
 * (skipping users at their session limit) and virtual proxies (most on the default one),
 * started up to three hours ago and active within their proxy's inactivity timeout, each with an
 * app open.
 */
export function populateSessions(world: World, count: number): void {
  const users = [...world.site.users.values()];
  const proxies = [...world.site.proxies.values()];
  if (users.length === 0 || proxies.length === 0) return;
  const now = world.now;
  for (let i = 0; i < count; i++) {
    const random = stream(world.config.seed, `session/${i}`);
    const proxy = proxies.length === 1 || random.chance(0.7) ? proxies[0] : random.pick(proxies.slice(1));
    if (!proxy) continue;
    const id = random.uuid();
    const start = now - random.int(1, 180) * MINUTE - random.int(0, 59_999);
    const idle = random.int(0, Math.max(0, proxy.sessionInactivityTimeoutMs - MINUTE));
    const lastActive = Math.max(start, now - idle);
    const first = random.int(0, users.length - 1);
    for (let step = 0; step < users.length; step++) {
      const user = users[(first + step) % users.length];
      const session = user && world.startSession({ id, proxy: proxy.prefix, user, start, lastActive });
      if (session) {
        adoptStartingSession(world, session, random);
        break;
      }
    }
  }
}
