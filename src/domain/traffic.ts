import { rhythm, rhythmBound } from './load-model.js';
import { KeyedStream, keyed, type Random } from './rng.js';
import type { Session } from './sessions.js';
import type { World } from './world.js';

/** Keys of the simulation's keyed streams, one per kind of draw. */
const ARRIVAL = 2;
const LIFE = 3;
const STEP = 4;
const MINUTE = 60_000;

export interface TrafficConfig {
  enabled: boolean;
  /** Logins per hour at the busiest time of a working day. */
  peakLoginsPerHour: number;
}

// The streams of a life and of a step, re-keyed for each session and step rather than made anew
// (a day has close to a million steps); each is used up within one call that never comes back here.
const lifeDraws = new KeyedStream();
const stepDraws = new KeyedStream();

/** A simulated user's life: how long they stay, how they leave and how often they act. */
interface Life {
  /** The session's serial: whose life this is. */
  serial: number;
  durationMs: number;
  logsOut: boolean;
  stepMs: number;
}

/** A session's life, drawn from its own stream (so the same each time it is drawn). */
function lifeOf(world: World, session: Session): Life {
  const random = lifeDraws.rekey(world.seedHash, LIFE, session.serial);
  const gauss = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return {
    serial: session.serial,
    durationMs: Math.min(8 * 60, Math.max(2, Math.exp(Math.log(35) + 0.8 * gauss))) * MINUTE,
    logsOut: random.chance(0.65),
    stepMs: random.int(5, 20) * MINUTE,
  };
}

/**
 * Logins arrive at `peak × rhythm(t)` per hour: candidates come at the hour's upper bound of that
 * rate and each becomes a login with the chance rate/bound (thinning), so quiet hours cost little.
 * A candidate that would fall past the hour starts over at the hour's end (arrivals have no memory).
 */
export function arrive(world: World, n: number, accept: boolean): void {
  const { peakLoginsPerHour } = world.config.traffic;
  const random = keyed(world.seedHash, ARRIVAL, n);
  const { bound, hourEnds } = rhythmBound(world.now);
  if (accept && bound > 0 && random.chance(rhythm(world.now) / bound)) login(world, random);
  const gapMs = (-Math.log(1 - random.next()) * 3_600_000) / (peakLoginsPerHour * Math.max(bound, 1e-6));
  const next = world.now + Math.max(1, Math.round(gapMs));
  if (next < hourEnds) world.schedule(next, { type: 'arrival', n: n + 1, accept: true });
  else world.schedule(hourEnds, { type: 'arrival', n: n + 1, accept: false });
}

function login(world: World, random: Random): void {
  const users = world.userList();
  const proxies = [...world.site.proxies.values()];
  const user = users[random.int(0, users.length - 1)];
  const proxy = proxies.length === 1 || random.chance(0.7) ? proxies[0] : random.pick(proxies.slice(1));
  if (!user || !proxy) return;
  const session = world.login(proxy.prefix, user, random.uuid());
  if (session) startSimulatedUser(world, session, random.int(1_000, 20_000));
}

/** A simulated user behind a session: their first step after `delayMs`. */
export function startSimulatedUser(world: World, session: Session, delayMs: number): void {
  world.scheduleSessionStep(world.now + delayMs, session.id, 0);
}

/** A session the site starts with is mid-life: one app open already, and (with traffic) a user behind it. */
export function adoptStartingSession(world: World, session: Session, random: Random): void {
  const app = world.cluster.pickApp(random.next());
  if (app) world.openApp(session, app);
  if (world.config.traffic.enabled) startSimulatedUser(world, session, random.int(0, 60_000));
}

/**
 * One step of a simulated user: act (and maybe open an app), or leave when their time is up.
 * `known` is the life the previous step scheduled this one with: drawn once, not at every step.
 */
export function sessionStep(world: World, sessionId: string, step: number, known?: unknown): void {
  const session = world.sessions.get(sessionId);
  if (!session) return;
  // The id may name another session by now (an id can be taken again once its session ends).
  const life = (known as Life | undefined)?.serial === session.serial ? (known as Life) : lifeOf(world, session);
  if (world.now >= session.start + life.durationMs) {
    // Users who do not log out simply stop: the inactivity timeout ends their session.
    if (life.logsOut) world.logout(session);
    return;
  }
  world.markActive(session);
  const random = stepDraws.rekey(world.seedHash, STEP, session.serial, step);
  if (session.apps.size === 0 || random.chance(0.15)) {
    const app = world.cluster.pickApp(random.next());
    if (app) world.openApp(session, app);
  }
  const next = random.int(life.stepMs / 2, (life.stepMs * 3) / 2);
  world.scheduleSessionStep(world.now + next, sessionId, step + 1, life);
}
