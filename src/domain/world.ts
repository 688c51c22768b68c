import type { App } from './apps.js';
import { Cluster, type Decision } from './cluster.js';
import type { Engine, EngineStatus } from './engine.js';
import { errors } from './errors.js';
import { EventLog } from './events.js';
import type { Strategy } from './load-balancer.js';
import { LOAD } from './load-model.js';
import { Faults } from './faults.js';
import { Journal } from './journal.js';
import { TICKET_TTL_MS, TicketStore, ticketCode, type Ticket } from './tickets.js';
import { isTime } from './clock.js';
import { hashString, keyed } from './rng.js';
import type { Scenario } from './scenario.js';
import { runStep, scheduleScenario, surgeLogin, undoActive, undoStep, type ScenarioRun } from './scenario-run.js';
import { SessionStore, UUID, type Session } from './sessions.js';
import type { Site, VirtualProxy } from './site.js';
import { Timeline, type Job, type JobRunner } from './timeline.js';
import { arrive, sessionStep, type TrafficConfig } from './traffic.js';
import type { Attribute, User } from './users.js';
import { userKey } from './users.js';

/** Keys the draws of tickets and their sessions, and of anonymous users' ids (see rng.ts `keyed`). */
const TICKET = 8;
const ANONYMOUS = 9;

/** The step number that keys the draws of surges started through the control API. */
const API_SURGE = 1_000_000;

const TICKET_REFUSALS = {
  unknown: 'unknown or already used',
  expired: 'expired',
  otherProxy: 'for another virtual proxy',
};

export type WorldState = ReturnType<World['dump']>;

export interface WorldConfig {
  seed: string;
  /** The wire dialect the site is served in (the domain does not depend on it; the state shows it). */
  dialect: string;
  start: number;
  maxSessionsPerUser: number;
  eventCapacity: number;
  decisionCapacity: number;
  journalCapacity: number;
  /** How long an app with no open session stays loaded on an engine. */
  appCacheMs: number;
  /** Leave saturated engines out of rankings instead of ranking them last. */
  skipSaturated: boolean;
  traffic: TrafficConfig;
}

export type EndReason = 'deleted' | 'userDeleted' | 'timeout' | 'logout' | 'dropped';

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
  /** The scenario step (1-based) that makes the proxy unhealthy, if one does. */
  step?: number;
}

export interface PrioritizeRequest {
  userDirectory: string;
  userId: string;
  appId: string;
}

/**
 * The simulated site and everything that happens to it, on simulated time.
 * Pure: it never reads a clock of its own; time moves only through advanceTo().
 */
export class World {
  readonly sessions = new SessionStore();
  readonly events: EventLog;
  readonly seedHash: number;
  private readonly timeline = new Timeline();
  /** Runs the jobs the timeline takes out: those it keeps compact by their fields, any other by run(). */
  private readonly runner: JobRunner = {
    expireSession: (sessionId) => this.expire(sessionId),
    sample: (tick) => this.sample(tick),
    arrival: (n, accept) => arrive(this, n, accept),
    sessionStep: (sessionId, step, memo) => sessionStep(this, sessionId, step, memo),
    other: (job) => this.run(job),
  };
  readonly faults: Faults;
  readonly tickets = new TicketStore();
  /** Since the start: logins, and sessions ended by each reason (rates are their differences over time). */
  readonly totals = {
    logins: 0,
    loginsDenied: 0,
    ended: { deleted: 0, userDeleted: 0, timeout: 0, logout: 0, dropped: 0 },
  };
  private ticketSerial = 0;
  private surges = 0;
  private anonymous = 0;
  readonly journal: Journal;
  private healthOverride: Health | undefined;
  /** Health failures scripted by scenario steps, by step index. */
  private readonly scenarioHealth = new Map<number, string>();
  private playing: ScenarioRun | undefined;
  private runs = 0;
  private time: number;
  private serial = 0;
  private users: User[] | undefined;
  /** See keyOf(). */
  private readonly userKeys = new WeakMap<User, string>();

  constructor(
    readonly config: WorldConfig,
    readonly site: Site,
    readonly cluster: Cluster,
  ) {
    this.time = config.start;
    this.events = new EventLog(config.eventCapacity);
    this.seedHash = hashString(config.seed);
    this.faults = new Faults(this.seedHash);
    this.journal = new Journal(config.journalCapacity);
    this.schedule(this.time, { type: 'sample', tick: 0 });
    if (config.traffic.enabled) this.schedule(this.time, { type: 'arrival', n: 0, accept: false });
  }

  get now(): number {
    return this.time;
  }

  /** Everything that changes, as plain data (JSON-safe), to save and restore the simulation. */
  dump() {
    return {
      time: this.time,
      serial: this.serial,
      ticketSerial: this.ticketSerial,
      surges: this.surges,
      anonymous: this.anonymous,
      runs: this.runs,
      totals: this.totals,
      healthOverride: this.healthOverride ?? null,
      scenarioHealth: [...this.scenarioHealth],
      proxies: [...this.site.proxies.values()].map((p) => [p.prefix, p.loadBalancing] as const),
      sessions: [...this.sessions.all()].map((s) => ({ ...s, apps: [...s.apps], engineId: s.engineId ?? null })),
      timeline: this.timeline.dump(),
      events: this.events.dump(),
      journal: this.journal.dump(),
      faults: this.faults.dump(),
      tickets: this.tickets.dump(),
      cluster: this.cluster.dump(),
      playing: this.playing
        ? { run: this.playing.run, startedAt: this.playing.startedAt, steps: this.playing.steps }
        : null,
    };
  }

  /** Takes a dumped state over (into a world built from the same options); `scenario` is the one playing. */
  load(state: WorldState, scenario: Scenario | undefined): void {
    Object.assign(this, {
      time: state.time,
      serial: state.serial,
      ticketSerial: state.ticketSerial,
      surges: state.surges,
      anonymous: state.anonymous,
      runs: state.runs,
      healthOverride: state.healthOverride ?? undefined,
    });
    Object.assign(this.totals, state.totals);
    this.scenarioHealth.clear();
    for (const [step, reason] of state.scenarioHealth) this.scenarioHealth.set(step, reason);
    for (const [prefix, strategy] of state.proxies) {
      const proxy = this.site.proxies.get(prefix);
      if (proxy) proxy.loadBalancing = strategy;
    }
    if (!isTime(state.time) || state.timeline.heap.some((job) => !isTime(job.at))) {
      throw new Error('its times are not all within the range of dates');
    }
    this.cluster.load(state.cluster);
    for (const s of [...this.sessions.all()]) this.sessions.remove(s);
    for (const saved of state.sessions) {
      const session = this.restoredSession(saved);
      this.cluster.track(session);
      this.sessions.add(session);
    }
    this.timeline.load(state.timeline);
    this.events.load(state.events);
    this.journal.load(state.journal);
    this.faults.load(state.faults);
    this.tickets.load(state.tickets);
    this.playing =
      state.playing && scenario
        ? { ...state.playing, scenario, steps: state.playing.steps.map((s) => ({ ...s })) }
        : undefined;
  }

  /** A saved session, checked: its proxy exists, its id is a unique UUID, its fields have their types. */
  private restoredSession(saved: WorldState['sessions'][number]): Session {
    const id = typeof saved.id === 'string' ? saved.id.toLowerCase() : '';
    const fail = (why: string) => {
      throw new Error(`session ${JSON.stringify(saved.id)} ${why}`);
    };
    if (!UUID.test(id)) fail('has no UUID for an id');
    if (this.sessions.get(id)) fail('is listed twice');
    if (!this.site.proxies.has(saved.proxy))
      fail(`is on ${JSON.stringify(saved.proxy)}, a virtual proxy the site does not have`);
    for (const text of [saved.userDirectory, saved.userId, saved.userName])
      if (typeof text !== 'string') fail('has a user that is not text');
    if (!isTime(saved.start) || !isTime(saved.lastActive)) fail('has a start or last activity that is not a time');
    if (!Number.isInteger(saved.serial)) fail('has no serial number');
    const pairs = (value: unknown) =>
      Array.isArray(value) &&
      value.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string'));
    if (!pairs(saved.attributes) || !pairs(saved.apps)) fail('has attributes or apps that are not pairs of text');
    return {
      ...saved,
      id,
      userKey: userKey(saved.userDirectory, saved.userId),
      apps: new Map(saved.apps),
      engineId: saved.engineId ?? undefined,
    };
  }

  /** Runs every job due up to `time`, each at its own time, in order. */
  advanceTo(time: number): void {
    for (let at = this.timeline.nextAt(); at !== undefined && at <= time; at = this.timeline.nextAt()) {
      this.time = Math.max(this.time, at);
      this.timeline.runNext(this.runner);
    }
    this.time = Math.max(this.time, time);
  }

  schedule(at: number, job: Job): void {
    this.timeline.schedule(at, job);
  }

  /** schedule() for a simulated user's next step, without a job object (there are millions a day); see Timeline. */
  scheduleSessionStep(at: number, sessionId: string, step: number, memo?: unknown): void {
    this.timeline.scheduleSessionStep(at, sessionId, step, memo);
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

  /**
   * A user's userKey, made once per user: every session of the user then holds the very same string,
   * which maps keyed by it compare by reference rather than character by character. (Weakly held:
   * a user made up for a ticket or an added session is not kept for it.)
   */
  private keyOf(user: User): string {
    let key = this.userKeys.get(user);
    if (key === undefined) this.userKeys.set(user, (key = userKey(user.userDirectory, user.userId)));
    return key;
  }

  /** The site's users in a stable order (cached: the identity never changes). */
  userList(): User[] {
    return (this.users ??= [...this.site.users.values()]);
  }

  listSessions(prefix: string): Session[] {
    return this.sessions.ofProxy(prefix);
  }

  getSession(prefix: string, id: string): Session {
    if (!UUID.test(id)) throw errors.malformedSessionId(id);
    const session = this.sessions.get(id.toLowerCase());
    if (!session || session.proxy !== prefix) throw errors.sessionNotFound(id, prefix);
    return session;
  }

  /** Adds a session; undefined when the user already holds the most sessions allowed on that proxy. */
  startSession(spec: NewSession): Session | undefined {
    const { user } = spec;
    const key = this.keyOf(user);
    if (this.sessions.countOfUser(spec.proxy, key) >= this.config.maxSessionsPerUser) return undefined;
    const session: Session = {
      id: spec.id.toLowerCase(),
      serial: this.serial++,
      proxy: spec.proxy,
      userDirectory: user.userDirectory,
      userId: user.userId,
      userKey: key,
      userName: user.name,
      attributes: spec.attributes ?? user.attributes,
      start: spec.start,
      lastActive: spec.lastActive,
      apps: new Map(),
      engineId: undefined,
    };
    this.sessions.add(session);
    this.scheduleExpiry(session);
    return session;
  }

  /** A login now: a new session with an event, or a `login.denied` event at the session limit. */
  login(prefix: string, user: User, id: string, attributes?: Attribute[]): Session | undefined {
    const spec = { id, proxy: prefix, user, start: this.time, lastActive: this.time };
    const session = this.startSession(attributes ? { ...spec, attributes } : spec);
    const { userDirectory, userId } = user;
    if (!session) {
      this.totals.loginsDenied++;
      this.events.record(this.time, 'login.denied', { proxy: prefix, userDirectory, userId, reason: 'sessionLimit' });
      return undefined;
    }
    this.totals.logins++;
    this.events.record(this.time, 'session.started', { sessionId: id, proxy: prefix, userDirectory, userId });
    return session;
  }

  /** A user of the site, or one a ticket or an added session names (a proxy keeps no user store). */
  identify(userDirectory: string, userId: string): User {
    return this.findUser(userDirectory, userId) ?? { userDirectory, userId, name: userId, attributes: [] };
  }

  /** A login ticket for a user on a virtual proxy: 16 characters, good once, for a minute. */
  issueTicket(prefix: string, spec: Omit<Ticket, 'ticket' | 'proxy' | 'expiresAt'>): Ticket {
    this.requireProxy(prefix);
    const code = ticketCode(keyed(this.seedHash, TICKET, this.ticketSerial++));
    const ticket: Ticket = { ...spec, ticket: code, proxy: prefix, expiresAt: this.time + TICKET_TTL_MS };
    this.tickets.issue(ticket, this.time);
    const { userDirectory, userId } = spec;
    this.events.record(this.time, 'ticket.issued', { proxy: prefix, userDirectory, userId });
    return ticket;
  }

  /** Redeems a ticket on a virtual proxy's front end: a new session for its user, or an error. */
  redeemTicket(prefix: string, code: string): Session {
    const redemption = this.tickets.redeem(code, prefix, this.time);
    if (!redemption.ok) {
      this.events.record(this.time, 'ticket.refused', { proxy: prefix, why: redemption.why });
      throw errors.ticketRefused(TICKET_REFUSALS[redemption.why]);
    }
    const { userDirectory, userId, attributes } = redemption.ticket;
    const id = keyed(this.seedHash, TICKET, this.ticketSerial++).uuid();
    return this.loginOrRefuse(prefix, this.identify(userDirectory, userId), id, attributes);
  }

  /** Adds a session with the caller's id (the add-session API); `newUser` when the user had none here. */
  addSession(prefix: string, spec: { userDirectory: string; userId: string; attributes: Attribute[]; id: string }) {
    this.requireProxy(prefix);
    if (this.sessions.get(spec.id.toLowerCase())) throw errors.sessionExists(spec.id);
    const newUser = this.sessions.countOfUser(prefix, userKey(spec.userDirectory, spec.userId)) === 0;
    const session = this.loginOrRefuse(
      prefix,
      this.identify(spec.userDirectory, spec.userId),
      spec.id,
      spec.attributes,
    );
    return { session, newUser };
  }

  markActive(session: Session): void {
    this.sessions.markActive(session, this.time);
  }

  logout(session: Session): void {
    this.end(session, 'logout');
  }

  endSession(prefix: string, id: string, reason: EndReason = 'deleted'): Session {
    const session = this.getSession(prefix, id);
    this.end(session, reason);
    return session;
  }

  /**
   * A user's sessions on one virtual proxy. An unknown user (not of the site, no session) is a 404,
   * unless `unknownIsEmpty` (a real QPS keeps no user store: it answers an empty list).
   */
  userSessions(prefix: string, userDirectory: string, userId: string, unknownIsEmpty = false): Session[] {
    const sessions = this.sessions.ofUser(prefix, userDirectory, userId);
    if (sessions.length === 0 && !unknownIsEmpty && !this.findUser(userDirectory, userId)) {
      throw errors.userNotFound(userDirectory, userId);
    }
    return sessions;
  }

  endUserSessions(prefix: string, userDirectory: string, userId: string, unknownIsEmpty = false): Session[] {
    const sessions = this.userSessions(prefix, userDirectory, userId, unknownIsEmpty);
    for (const session of sessions) this.end(session, 'userDeleted');
    return sessions;
  }

  countUserSessions(prefix: string, userDirectory: string, userId: string): number {
    return this.sessions.countOfUser(prefix, userKey(userDirectory, userId));
  }

  /** The load balancer's ranking for a prioritize call, recorded like every decision. */
  prioritize(prefix: string, request: PrioritizeRequest): Decision {
    const app = this.cluster.app(request.appId);
    if (!app) throw errors.invalidBody('appId', 'is not an app of this site (GET /__sim/cluster lists them)');
    return this.decide('api', this.requireProxy(prefix), request, app);
  }

  /**
   * The load-balancing module's ranking of the engines it is given (by host name in their URIs):
   * the app may be named by id or name, or be one the site does not know.
   */
  prioritizeEngines(prefix: string, user: PrioritizeRequest, appName: string, engines: Engine[]): Decision {
    const app = this.cluster.app(appName) ?? this.cluster.apps.find((a) => a.name === appName);
    return this.decide('api', this.requireProxy(prefix), user, app ?? { id: appName, name: appName }, engines);
  }

  /** A simulated user opens an app: the load balancer places it; nothing to place it on is an event. */
  openApp(session: Session, app: App): void {
    const decision = this.decide('simulation', this.requireProxy(session.proxy), session, app);
    if (decision.chosen === null) {
      const { id: sessionId, userDirectory, userId } = session;
      this.events.record(this.time, 'app.openFailed', { sessionId, userDirectory, userId, appId: app.id });
      return;
    }
    this.cluster.openApp(session, app, this.cluster.engine(decision.chosen), this.time, this.events);
  }

  setEngineStatus(engineId: string, status: EngineStatus): Engine {
    const engine = this.cluster.engine(engineId);
    this.watchHealth(() =>
      this.cluster.setStatus(engine, status, this.time, this.events, (id) => this.sessions.get(id)),
    );
    return engine;
  }

  /** Extra CPU on an engine (a load spike); it shows from the next sample on. */
  setEngineSpike(engineId: string, cpu: number): Engine {
    const engine = this.cluster.engine(engineId);
    engine.spikeCpu = cpu;
    return engine;
  }

  setStrategy(strategy: Strategy, prefix?: string): void {
    const proxies = prefix === undefined ? [...this.site.proxies.values()] : [this.requireProxy(prefix)];
    for (const proxy of proxies) proxy.loadBalancing = strategy;
  }

  health(): Health {
    if (this.healthOverride) return this.healthOverride;
    for (const [index, reason] of this.scenarioHealth) return { healthy: false, reason, step: index + 1 };
    if (!this.cluster.anyUp()) return { healthy: false, reason: 'no engine is up' };
    return { healthy: true, reason: 'the proxy is running' };
  }

  /** Marks the proxy unhealthy (with a reason) or clears the mark. */
  setHealth(healthy: boolean, reason?: string): Health {
    this.watchHealth(() => {
      this.healthOverride = healthy
        ? undefined
        : { healthy, reason: reason ?? 'marked unhealthy through the control API' };
    });
    return this.health();
  }

  private loginOrRefuse(prefix: string, user: User, id: string, attributes: Attribute[]): Session {
    const session = this.login(prefix, user, id, attributes);
    if (!session) throw errors.sessionLimit(user.userDirectory, user.userId, this.config.maxSessionsPerUser);
    return session;
  }

  /** An anonymous user's id, as a proxy that allows anonymous access makes one: `anonymous` and a GUID. */
  anonymousUserId(): string {
    return `anonymous${keyed(this.seedHash, ANONYMOUS, this.anonymous++).uuid()}`;
  }

  /** A login surge now: `users` logins spread evenly over `overMs`, each then a simulated user. */
  surge(users: number, overMs: number, virtualProxy?: string): void {
    if (virtualProxy !== undefined) this.requireProxy(virtualProxy);
    const rep = this.surges++;
    for (let i = 0; i < users; i++) {
      const job = { type: 'surgeLogin' as const, run: 0, step: API_SURGE, rep, i };
      const at = this.time + Math.floor((i * overMs) / users);
      this.schedule(at, virtualProxy === undefined ? job : { ...job, virtualProxy });
    }
    this.advanceTo(this.time); // the first login is now
  }

  /** A client's error report (POST /qps/error), kept as an event. */
  logClientError(report: { userDirectory?: string; userId?: string; message: string }): void {
    this.events.record(this.time, 'client.error', { ...report });
  }

  /** A scenario step's health failure (a reason), or its end (undefined). */
  setScenarioHealth(step: number, reason: string | undefined): void {
    this.watchHealth(() => {
      if (reason === undefined) this.scenarioHealth.delete(step);
      else this.scenarioHealth.set(step, reason);
    });
  }

  /** Ends a session as a scenario drops it, with the reason it gives. */
  dropSession(session: Session, note: string): void {
    this.end(session, 'dropped', note);
  }

  get scenario(): ScenarioRun | undefined {
    return this.playing;
  }

  /** Plays a scenario from now, replacing the one playing (whose effects are undone first). */
  startScenario(scenario: Scenario): ScenarioRun {
    this.clearScenario(false);
    this.playing = {
      run: ++this.runs,
      scenario,
      startedAt: this.time,
      steps: scenario.steps.map(() => ({ runs: 0, active: 0, lastAt: undefined })),
    };
    this.events.record(this.time, 'scenario.loaded', { name: scenario.name, steps: scenario.steps.length });
    scheduleScenario(this, this.playing);
    return this.playing;
  }

  /** Stops the scenario and undoes what it did (its fault rules, health failures, engine changes). */
  clearScenario(record = true): void {
    if (!this.playing) return;
    undoActive(this, this.playing);
    if (record) this.events.record(this.time, 'scenario.cleared', { name: this.playing.scenario.name });
    this.playing = undefined;
  }

  private decide(
    source: Decision['source'],
    proxy: VirtualProxy,
    user: Pick<PrioritizeRequest, 'userDirectory' | 'userId'>,
    app: { id: string; name: string },
    candidates?: Engine[],
  ): Decision {
    const { userDirectory, userId } = user;
    const base = {
      source,
      proxy: proxy.prefix,
      strategy: proxy.loadBalancing,
      skipSaturated: this.config.skipSaturated,
      userDirectory,
      userId,
      app,
    };
    return this.cluster.decide(candidates ? { ...base, candidates } : base, this.time);
  }

  private watchHealth(change: () => void): void {
    const before = this.health();
    change();
    const after = this.health();
    if (before.healthy !== after.healthy || before.reason !== after.reason) {
      this.events.record(this.time, 'proxy.healthChanged', { ...after });
    }
  }

  private end(session: Session, reason: EndReason, note?: string): void {
    this.cluster.closeApps(session, this.time);
    this.sessions.remove(session);
    this.totals.ended[reason]++;
    const { id: sessionId, proxy, userDirectory, userId } = session;
    const details = { sessionId, proxy, userDirectory, userId, reason };
    this.events.record(this.time, 'session.ended', note === undefined ? details : { ...details, note });
    if (this.sessions.countOfUser(proxy, session.userKey) === 0) {
      this.events.record(this.time, 'user.loggedOut', { proxy, userDirectory, userId, reason });
    }
  }

  private stepDetails(index: number) {
    const step = this.playing?.scenario.steps[index];
    return { scenario: this.playing?.scenario.name, step: index + 1, kind: step?.action.kind, label: step?.label };
  }

  private scheduleExpiry(session: Session): void {
    const timeout = this.requireProxy(session.proxy).sessionInactivityTimeoutMs;
    this.timeline.scheduleExpiry(session.lastActive + timeout, session.id);
  }

  /** Ends a session idle for its proxy's timeout; one active since has its expiry moved on instead. */
  private expire(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    const timeout = this.requireProxy(session.proxy).sessionInactivityTimeoutMs;
    if (session.lastActive + timeout <= this.time) this.end(session, 'timeout');
    else this.scheduleExpiry(session);
  }

  /** Samples the engines, and schedules the next sample. */
  private sample(tick: number): void {
    this.watchHealth(() => this.cluster.sample(this.time, tick, this.seedHash, this.config.appCacheMs, this.events));
    this.schedule(this.time + LOAD.sampleMs, { type: 'sample', tick: tick + 1 });
  }

  private run(job: Job): void {
    switch (job.type) {
      case 'expireSession':
        return this.expire(job.sessionId);
      case 'sample':
        return this.sample(job.tick);
      case 'arrival':
        return arrive(this, job.n, job.accept);
      case 'sessionStep':
        return sessionStep(this, job.sessionId, job.step);
      case 'scenarioStep':
        if (this.playing?.run !== job.run) return;
        this.events.record(this.time, 'scenario.step', this.stepDetails(job.index));
        runStep(this, this.playing, job.index, job.rep);
        return;
      case 'scenarioUndo':
        if (this.playing?.run !== job.run) return;
        this.events.record(this.time, 'scenario.stepUndone', this.stepDetails(job.index));
        undoStep(this, this.playing, job.index);
        return;
      case 'surgeLogin':
        // run 0: a surge started through the control API, tied to no scenario.
        if (job.run !== 0 && this.playing?.run !== job.run) return;
        surgeLogin(this, job.step, job.rep, job.i, job.virtualProxy);
        return;
    }
  }
}
