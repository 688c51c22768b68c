import { popularityPicker, type App } from './apps.js';
import { BoundedLog } from './bounded-log.js';
import { errors } from './errors.js';
import type { EventLog } from './events.js';
import { recordSample, type Engine, type EngineStatus } from './engine.js';
import { APP_OPEN, SATURATED, SEEN_WIDTH } from './decisions.js';
import { rankEngines, type RankingBasis, type Strategy } from './load-balancer.js';
import { cpuTarget, LOAD, memoryUsedMb, smoothCpu } from './load-model.js';
import { KeyedStream } from './rng.js';
import type { Session } from './sessions.js';

/** The stream of an engine's sample noise, re-keyed for each engine and tick (one draw each). */
const noiseDraws = new KeyedStream();

export interface Decision {
  seq: number;
  at: number;
  /** `api`: a prioritize call; `simulation`: a simulated user opening an app. */
  source: 'api' | 'simulation';
  proxy: string;
  userDirectory: string;
  userId: string;
  appId: string;
  appName: string;
  strategy: Strategy;
  /** Engine ids, best first (decisions.ts expands them). */
  engineIds: string[];
  /** What the balancer saw of each ranked engine: SEEN_WIDTH numbers each (cpu, free memory, flags). */
  seen: number[];
  basis: RankingBasis;
  /** Engines left out of the ranking, and why (down, draining, saturated). */
  left: Array<{ engineId: string; why: string }>;
  chosen: string | null;
}

export interface DecisionRequest {
  source: Decision['source'];
  proxy: string;
  strategy: Strategy;
  skipSaturated: boolean;
  userDirectory: string;
  userId: string;
  /** An app of the catalogue, or one the cluster does not know (it is open nowhere). */
  app: { id: string; name: string };
  /** Rank only these engines (the load-balancing module is given a list); all by default. */
  candidates?: Engine[];
}

/** The engines, the app catalogue, and every load-balancing decision made over them. */
export class Cluster {
  readonly decisions: BoundedLog<Decision>;
  /** An app by popularity, for a draw in [0, 1). */
  readonly pickApp: (draw: number) => App | undefined;
  private readonly byId: Map<string, Engine>;
  private readonly appsById: Map<string, App>;
  /** Memory each app id takes once loaded (0 for an id the catalogue does not know), looked up once. */
  private readonly sizes = new Map<string, number>();
  /** Round-robin cursor per virtual proxy. */
  private readonly cursors = new Map<string, number>();

  constructor(
    readonly engines: Engine[],
    readonly apps: App[],
    decisionCapacity: number,
  ) {
    this.decisions = new BoundedLog(decisionCapacity);
    this.pickApp = popularityPicker(apps);
    this.byId = new Map(engines.map((e) => [e.id.toLowerCase(), e]));
    this.appsById = new Map(apps.map((a) => [a.id.toLowerCase(), a]));
  }

  /** The engines' changing state, the cursors and the decisions as plain data, and back. */
  dump() {
    return {
      engines: this.engines.map((e) => ({
        status: e.status,
        started: e.started,
        cpu: e.cpu,
        memoryUsedMb: e.memoryUsedMb,
        cpuHighSince: e.cpuHighSince ?? null,
        saturated: e.saturated,
        spikeCpu: e.spikeCpu,
        apps: [...e.apps.values()],
        history: e.history,
        counters: e.counters,
      })),
      cursors: [...this.cursors],
      decisions: this.decisions.dump(),
    };
  }

  load(state: ReturnType<Cluster['dump']>): void {
    state.engines.forEach((s, i) => {
      const engine = this.engines[i];
      if (!engine) return;
      Object.assign(engine, {
        status: s.status,
        started: s.started,
        cpu: s.cpu,
        memoryUsedMb: s.memoryUsedMb,
        cpuHighSince: s.cpuHighSince ?? undefined,
        saturated: s.saturated,
        spikeCpu: s.spikeCpu,
        apps: new Map(s.apps.map((a) => [a.appId, { ...a }])),
        sessions: new Map(),
        users: new Map(),
        history: [...s.history],
        counters: { ...s.counters },
      });
    });
    this.cursors.clear();
    for (const [proxy, cursor] of state.cursors) this.cursors.set(proxy, cursor);
    this.decisions.load(state.decisions);
  }

  engine(id: string): Engine {
    const engine = this.byId.get(id.toLowerCase());
    if (!engine) throw errors.engineNotFound(id);
    return engine;
  }

  /** An engine by position (1 is the first), id or host name. */
  findEngine(ref: number | string): Engine | undefined {
    if (typeof ref === 'number') return this.engines[ref - 1];
    return this.byId.get(ref.toLowerCase()) ?? this.engines.find((e) => e.hostName.toLowerCase() === ref.toLowerCase());
  }

  requireEngine(ref: number | string): Engine {
    const engine = this.findEngine(ref);
    if (!engine) throw errors.engineNotFound(String(ref));
    return engine;
  }

  app(id: string): App | undefined {
    return this.appsById.get(id.toLowerCase());
  }

  private appSize(appId: string): number {
    let size = this.sizes.get(appId);
    if (size === undefined) this.sizes.set(appId, (size = this.app(appId)?.sizeMb ?? 0));
    return size;
  }

  anyUp(): boolean {
    return this.engines.some((e) => e.status === 'up');
  }

  /** Ranks the engines for a user and an app, records the decision, and moves the cursor. */
  decide(request: DecisionRequest, now: number): Decision {
    const { app } = request;
    const cursor = this.cursors.get(request.proxy) ?? 0;
    const pool = request.candidates ?? this.engines;
    const ranking = rankEngines(pool, app.id, request.strategy, cursor, request.skipSaturated, this.engines.length);
    this.cursors.set(request.proxy, ranking.cursor);
    // Sized up front: pushing would grow the array (copying it) a few times for every decision.
    const seen = new Array<number>(ranking.engines.length * SEEN_WIDTH);
    ranking.engines.forEach((e, i) => {
      seen[i * SEEN_WIDTH] = e.cpu;
      seen[i * SEEN_WIDTH + 1] = e.memoryTotalMb - e.memoryUsedMb;
      seen[i * SEEN_WIDTH + 2] = (e.apps.has(app.id) ? APP_OPEN : 0) | (e.saturated ? SATURATED : 0);
    });
    const left: Decision['left'] = [];
    if (ranking.engines.length < pool.length) {
      for (const e of pool) {
        if (e.status !== 'up') left.push({ engineId: e.id, why: e.status });
        else if (e.saturated && request.skipSaturated) left.push({ engineId: e.id, why: 'saturated' });
      }
    }
    return this.decisions.push({
      seq: this.decisions.nextSeq,
      at: now,
      source: request.source,
      proxy: request.proxy,
      userDirectory: request.userDirectory,
      userId: request.userId,
      appId: app.id,
      appName: app.name,
      strategy: request.strategy,
      engineIds: ranking.engines.map((e) => e.id),
      seen,
      basis: ranking.basis,
      left,
      chosen: ranking.engines[0]?.id ?? null,
    });
  }

  /** Counts a restored session's open apps on their engines (a saved state keeps only the sessions' side). */
  track(session: Session): void {
    for (const engineId of new Set(session.apps.values())) {
      const engine = this.engine(engineId);
      if (engine.status === 'down')
        throw new Error(`session ${session.id} has an app open on ${engine.hostName}, which is down`);
      const apps = [...session.apps.values()].filter((id) => id === engineId).length;
      engine.sessions.set(session.id, apps);
      engine.users.set(session.userKey, (engine.users.get(session.userKey) ?? 0) + 1);
    }
  }

  /** Opens an app for a session on an engine, loading it there first if needed. */
  openApp(session: Session, app: App, engine: Engine, now: number, events: EventLog): void {
    if (session.apps.has(app.id)) return;
    let loaded = engine.apps.get(app.id);
    engine.counters.lookups++;
    if (loaded) engine.counters.hits++;
    else {
      engine.counters.added++;
      engine.counters.bytesAdded += app.sizeMb * 1_048_576;
      loaded = { appId: app.id, loadedAt: now, openSessions: 0, lastUsed: now };
      engine.apps.set(app.id, loaded);
      events.record(now, 'app.loaded', { engineId: engine.id, hostName: engine.hostName, appId: app.id });
    }
    loaded.openSessions++;
    loaded.lastUsed = now;
    session.apps.set(app.id, engine.id);
    session.engineId = engine.id;
    const appsHere = engine.sessions.get(session.id) ?? 0;
    engine.sessions.set(session.id, appsHere + 1);
    if (appsHere === 0) engine.users.set(session.userKey, (engine.users.get(session.userKey) ?? 0) + 1);
  }

  /** Closes a session's apps (all of them, or those on one engine); returns how many closed. */
  closeApps(session: Session, now: number, onEngine?: Engine): number {
    let closed = 0;
    for (const [appId, engineId] of session.apps) {
      if (onEngine && onEngine.id !== engineId) continue;
      const engine = this.engine(engineId);
      session.apps.delete(appId);
      closed++;
      const loaded = engine.apps.get(appId);
      if (loaded) {
        loaded.openSessions--;
        loaded.lastUsed = now;
      }
      const appsHere = (engine.sessions.get(session.id) ?? 1) - 1;
      if (appsHere > 0) {
        engine.sessions.set(session.id, appsHere);
        continue;
      }
      engine.sessions.delete(session.id);
      const count = (engine.users.get(session.userKey) ?? 1) - 1;
      if (count > 0) engine.users.set(session.userKey, count);
      else engine.users.delete(session.userKey);
    }
    if (session.engineId && !session.apps.size) session.engineId = undefined;
    else if (session.engineId && onEngine?.id === session.engineId)
      session.engineId = [...session.apps.values()].at(-1);
    return closed;
  }

  /** Changes an engine's status; an engine that goes down loses every app and engine session. */
  setStatus(
    engine: Engine,
    status: EngineStatus,
    now: number,
    events: EventLog,
    sessionOf: (id: string) => Session | undefined,
  ): void {
    if (engine.status === status) return;
    const from = engine.status;
    engine.status = status;
    if (status === 'down') {
      for (const sessionId of [...engine.sessions.keys()]) {
        const session = sessionOf(sessionId);
        if (!session) continue;
        const closed = this.closeApps(session, now, engine);
        events.record(now, 'session.appsClosed', {
          sessionId,
          userDirectory: session.userDirectory,
          userId: session.userId,
          engineId: engine.id,
          apps: closed,
          reason: 'engineDown',
        });
      }
      engine.apps.clear();
      engine.cpu = 0;
      engine.memoryUsedMb = 0;
      engine.cpuHighSince = undefined;
      engine.saturated = false;
    }
    if (from === 'down') {
      engine.started = now;
      engine.counters = { lookups: 0, hits: 0, added: 0, replaced: 0, bytesAdded: 0 };
    }
    events.record(now, 'engine.statusChanged', { engineId: engine.id, hostName: engine.hostName, from, to: status });
  }

  /** One sample of every engine at `now` (sample number `tick`): CPU, memory, saturation, idle apps. */
  sample(now: number, tick: number, seedHash: number, appCacheMs: number, events: EventLog): void {
    for (const engine of this.engines) {
      if (engine.status === 'down') continue;
      // One pass over the loaded apps (by value: no [id, app] pair made for each): unload the idle ones, add up the rest.
      let appMemory = 0;
      for (const loaded of engine.apps.values()) {
        const { appId } = loaded;
        if (loaded.openSessions === 0 && now - loaded.lastUsed >= appCacheMs) {
          engine.apps.delete(appId);
          engine.counters.replaced++;
          events.record(now, 'app.unloaded', { engineId: engine.id, hostName: engine.hostName, appId });
        } else appMemory += this.appSize(appId);
      }
      const target = cpuTarget({
        time: now,
        sessions: engine.sessions.size,
        loadedApps: engine.apps.size,
        cpuFactor: engine.cpuFactor,
        spikeCpu: engine.spikeCpu,
        noise: noiseDraws.rekey(seedHash, 1, engine.index, tick).next(),
      });
      engine.cpu = tick === 0 ? Math.round(target * 100) / 100 : smoothCpu(engine.cpu, target);
      engine.memoryUsedMb = memoryUsedMb(appMemory, engine.sessions.size, engine.memoryTotalMb);
      this.updateSaturation(engine, now, events);
      recordSample(engine, now);
    }
  }

  /** Saturated: CPU above 90 % for 30 s, or memory above 90 %, as a real engine reports. */
  private updateSaturation(engine: Engine, now: number, events: EventLog): void {
    if (engine.cpu > LOAD.saturationPercent) engine.cpuHighSince ??= now;
    else engine.cpuHighSince = undefined;
    const cpuSaturated = engine.cpuHighSince !== undefined && now - engine.cpuHighSince >= LOAD.saturationHoldMs;
    const memorySaturated = engine.memoryUsedMb > (engine.memoryTotalMb * LOAD.saturationPercent) / 100;
    const saturated = cpuSaturated || memorySaturated;
    if (saturated === engine.saturated) return;
    engine.saturated = saturated;
    const why = [cpuSaturated && 'cpu', memorySaturated && 'memory'].filter(Boolean).join(' and ') || 'recovered';
    events.record(now, 'engine.saturationChanged', { engineId: engine.id, hostName: engine.hostName, saturated, why });
  }
}
