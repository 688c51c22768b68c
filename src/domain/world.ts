import { errors } from './errors.js';
import { EventLog } from './events.js';
import { SessionStore, UUID, type Session } from './sessions.js';
import type { Site, VirtualProxy } from './site.js';
import { Timeline, type Job } from './timeline.js';
import type { Attribute, User } from './users.js';
import { userKey } from './users.js';

export interface WorldConfig {
  seed: string;
  start: number;
  maxSessionsPerUser: number;
  eventCapacity: number;
}

export type EndReason = 'deleted' | 'userDeleted' | 'timeout';

export interface NewSession {
  id: string;
  proxy: string;
  user: User;
  attributes?: Attribute[];
  start: number;
  lastActive: number;
}

export interface Health {
  healthy: boolean;
  reason: string;
}

/**
 * The simulated site and everything that happens to it, on simulated time.
 * Pure: it never reads a clock of its own; time moves only through advanceTo().
 */
export class World {
  readonly sessions = new SessionStore();
  readonly events: EventLog;
  private readonly timeline = new Timeline();
  private healthOverride: Health | undefined;
  private time: number;

  constructor(
    readonly config: WorldConfig,
    readonly site: Site,
  ) {
    this.time = config.start;
    this.events = new EventLog(config.eventCapacity);
  }

  get now(): number {
    return this.time;
  }

  /** Runs every job due up to `time`, each at its own time, in order. */
  advanceTo(time: number): void {
    for (let due = this.timeline.takeDue(time); due; due = this.timeline.takeDue(time)) {
      this.time = Math.max(this.time, due.at);
      this.run(due.job);
    }
    this.time = Math.max(this.time, time);
  }

  proxy(prefix: string): VirtualProxy | undefined {
    return this.site.proxies.get(prefix);
  }

  requireProxy(prefix: string): VirtualProxy {
    const proxy = this.proxy(prefix);
    if (!proxy) throw errors.unknownVirtualProxy(prefix, [...this.site.proxies.keys()]);
    return proxy;
  }

  findUser(userDirectory: string, userId: string): User | undefined {
    return this.site.users.get(userKey(userDirectory, userId));
  }

  listSessions(prefix: string): Session[] {
    return this.sessions.ofProxy(prefix);
  }

  getSession(prefix: string, id: string): Session {
    if (!UUID.test(id)) throw errors.malformedSessionId(id);
    const session = this.sessions.get(id);
    if (!session || session.proxy !== prefix) throw errors.sessionNotFound(id, prefix);
    return session;
  }

  /** Adds a session; false when the user already holds the most sessions allowed. */
  startSession(spec: NewSession): Session | undefined {
    const { user } = spec;
    if (this.sessions.countOfUser(user.userDirectory, user.userId) >= this.config.maxSessionsPerUser) return undefined;
    const session: Session = {
      id: spec.id,
      proxy: spec.proxy,
      userDirectory: user.userDirectory,
      userId: user.userId,
      userName: user.name,
      attributes: spec.attributes ?? user.attributes,
      start: spec.start,
      lastActive: spec.lastActive,
    };
    this.sessions.add(session);
    this.scheduleExpiry(session);
    return session;
  }

  endSession(prefix: string, id: string, reason: EndReason = 'deleted'): Session {
    const session = this.getSession(prefix, id);
    this.end(session, reason);
    return session;
  }

  /** A user's sessions on one virtual proxy; 404 only when the user is unknown altogether. */
  userSessions(prefix: string, userDirectory: string, userId: string): Session[] {
    const sessions = this.sessions.ofUser(prefix, userDirectory, userId);
    if (sessions.length === 0 && !this.findUser(userDirectory, userId)) {
      throw errors.userNotFound(userDirectory, userId);
    }
    return sessions;
  }

  endUserSessions(prefix: string, userDirectory: string, userId: string): Session[] {
    const sessions = this.userSessions(prefix, userDirectory, userId);
    for (const session of sessions) this.end(session, 'userDeleted');
    return sessions;
  }

  countUserSessions(prefix: string, userDirectory: string, userId: string): number {
    return this.sessions.ofUser(prefix, userDirectory, userId).length;
  }

  health(): Health {
    return this.healthOverride ?? { healthy: true, reason: 'the proxy is running' };
  }

  /** Marks the proxy unhealthy (with a reason) or clears the mark. */
  setHealth(healthy: boolean, reason?: string): Health {
    const before = this.health();
    this.healthOverride = healthy
      ? undefined
      : { healthy, reason: reason ?? 'marked unhealthy through the control API' };
    const after = this.health();
    if (before.healthy !== after.healthy) this.events.record(this.time, 'proxy.healthChanged', { ...after });
    return after;
  }

  private end(session: Session, reason: EndReason): void {
    this.sessions.remove(session);
    const { id: sessionId, proxy, userDirectory, userId } = session;
    this.events.record(this.time, 'session.ended', { sessionId, proxy, userDirectory, userId, reason });
    if (this.sessions.ofUser(proxy, userDirectory, userId).length === 0) {
      this.events.record(this.time, 'user.loggedOut', { proxy, userDirectory, userId, reason });
    }
  }

  private scheduleExpiry(session: Session): void {
    const timeout = this.requireProxy(session.proxy).sessionInactivityTimeoutMs;
    this.timeline.schedule(session.lastActive + timeout, { type: 'expireSession', sessionId: session.id });
  }

  private run(job: Job): void {
    switch (job.type) {
      case 'expireSession': {
        const session = this.sessions.get(job.sessionId);
        if (!session) return;
        const timeout = this.requireProxy(session.proxy).sessionInactivityTimeoutMs;
        if (session.lastActive + timeout <= this.time) this.end(session, 'timeout');
        else this.scheduleExpiry(session);
        return;
      }
    }
  }
}
