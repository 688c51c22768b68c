import type { ClockSnapshot } from '../../domain/clock.js';
import type { Cluster, Decision } from '../../domain/cluster.js';
import { explain, rankedEngines } from '../../domain/decisions.js';
import type { Engine } from '../../domain/engine.js';
import type { FaultRule } from '../../domain/faults.js';
import type { JournalEntry } from '../../domain/journal.js';
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
    dialect: world.config.dialect,
    clock: clockOf(clock),
    health: world.health(),
    counts: {
      users: world.site.users.size,
      sessions: world.sessions.size,
      sessionsByProxy: Object.fromEntries(proxies.map((p) => [p.prefix, world.sessions.ofProxy(p.prefix).length])),
      events: world.events.size,
      engines: world.cluster.engines.length,
      enginesUp: world.cluster.engines.filter((e) => e.status === 'up').length,
      apps: world.cluster.apps.length,
      decisions: world.cluster.decisions.size,
    },
    virtualProxies: proxies.map((p) => ({
      prefix: p.prefix,
      description: p.description,
      sessionCookieHeaderName: p.sessionCookieHeaderName,
      sessionInactivityTimeoutMinutes: p.sessionInactivityTimeoutMs / 60_000,
      loadBalancing: p.loadBalancing,
    })),
    userDirectories: world.site.directories,
  };
}

export function engineOf(engine: Engine, cluster: Cluster) {
  return {
    id: engine.id,
    hostName: engine.hostName,
    port: engine.port,
    status: engine.status,
    saturated: engine.saturated,
    cpu: engine.cpu,
    cpuSpike: engine.spikeCpu,
    memory: {
      totalMb: engine.memoryTotalMb,
      usedMb: engine.memoryUsedMb,
      freeMb: engine.memoryTotalMb - engine.memoryUsedMb,
    },
    sessions: engine.sessions.size,
    users: engine.users.size,
    apps: [...engine.apps.values()].map((a) => ({
      appId: a.appId,
      name: cluster.app(a.appId)?.name ?? a.appId,
      openSessions: a.openSessions,
      loadedAt: iso(a.loadedAt),
    })),
    history: engine.history.map((sample) => ({ ...sample, at: iso(sample.at) })),
  };
}

export const clusterOf = (cluster: Cluster) => ({
  engines: cluster.engines.map((e) => engineOf(e, cluster)),
  apps: cluster.apps,
});

export function decisionOf(decision: Decision, cluster: Cluster) {
  const { seq, at, source, proxy, userDirectory, userId, appId, appName, strategy, chosen } = decision;
  return {
    seq,
    at: iso(at),
    source,
    proxy,
    userDirectory,
    userId,
    appId,
    appName,
    strategy,
    ranking: rankedEngines(decision, cluster),
    chosen,
    reason: explain(decision, cluster),
  };
}

export const loadBalancingOf = (world: World) => ({
  skipSaturated: world.config.skipSaturated,
  virtualProxies: [...world.site.proxies.values()].map((p) => ({ prefix: p.prefix, strategy: p.loadBalancing })),
});

export function faultOf(rule: FaultRule) {
  const { id, source, step, operations, probability, firstCalls, expiresAt, calls, effect } = rule;
  return {
    id,
    source,
    ...(step === undefined ? {} : { step }),
    kind: effect.kind,
    operations,
    ...(effect.kind === 'error' ? { status: effect.status } : {}),
    ...(effect.kind === 'latency' ? { latency: effect.latency } : {}),
    ...(probability === undefined ? {} : { probability }),
    ...(firstCalls === undefined ? {} : { firstCalls }),
    ...(expiresAt === undefined ? {} : { expiresAt: iso(expiresAt) }),
    calls,
  };
}

export const journalEntryOf = (entry: JournalEntry) => ({
  ...entry,
  operationId: entry.operationId ?? null,
  at: iso(entry.at),
});
