import { stream } from './rng.js';

export type EngineStatus = 'up' | 'down' | 'draining';

export interface LoadedApp {
  appId: string;
  loadedAt: number;
  /** Sessions that have it open on this engine. */
  openSessions: number;
  lastUsed: number;
}

export interface EngineSample {
  at: number;
  cpu: number;
  memoryUsedMb: number;
  sessions: number;
  users: number;
  apps: number;
  saturated: boolean;
}

export interface Engine {
  /** Position in the cluster: round robin walks engines in this order. */
  index: number;
  id: string;
  hostName: string;
  port: number;
  memoryTotalMb: number;
  /** Seeded per engine: how much CPU the same work costs it. */
  cpuFactor: number;
  status: EngineStatus;
  started: number;
  cpu: number;
  memoryUsedMb: number;
  /** Since when CPU has been above the saturation threshold, if it is. */
  cpuHighSince: number | undefined;
  saturated: boolean;
  /** Extra CPU put on it by a scenario or the control API. */
  spikeCpu: number;
  apps: Map<string, LoadedApp>;
  /** Proxy sessions with an app open here, with how many apps each. */
  sessions: Map<string, number>;
  /** Users with a session here, with how many sessions each. */
  users: Map<string, number>;
  /** Recent samples, oldest first, bounded. */
  history: EngineSample[];
  /** Since the engine started: app opens (`lookups`, `hits` when already loaded), loads, unloads. */
  counters: { lookups: number; hits: number; added: number; replaced: number; bytesAdded: number };
}

export interface EngineSpec {
  hostName?: string;
  port?: number;
  memoryTotalMb?: number;
}

export const HISTORY_SAMPLES = 120;

const MEMORY_SIZES_MB = [32_768, 32_768, 65_536];

/** Engine number `index`: its own stream for id and hardware. */
export function createEngine(seed: string, index: number, spec: EngineSpec, now: number): Engine {
  const random = stream(seed, `engine/${index}`);
  const id = random.uuid();
  const memoryTotalMb = spec.memoryTotalMb ?? random.pick(MEMORY_SIZES_MB);
  const cpuFactor = Math.round((0.85 + random.next() * 0.3) * 100) / 100;
  return {
    index,
    id,
    hostName: spec.hostName ?? `qlik-node-${index + 1}.qps-sim.local`,
    port: spec.port ?? 4747,
    memoryTotalMb,
    cpuFactor,
    status: 'up',
    started: now,
    cpu: 0,
    memoryUsedMb: 0,
    cpuHighSince: undefined,
    saturated: false,
    spikeCpu: 0,
    apps: new Map(),
    sessions: new Map(),
    users: new Map(),
    history: [],
    counters: { lookups: 0, hits: 0, added: 0, replaced: 0, bytesAdded: 0 },
  };
}

/** Can take new sessions: up (draining engines keep theirs but take none). */
export const isEligible = (engine: Engine): boolean => engine.status === 'up';

export function recordSample(engine: Engine, at: number): void {
  engine.history.push({
    at,
    cpu: engine.cpu,
    memoryUsedMb: engine.memoryUsedMb,
    sessions: engine.sessions.size,
    users: engine.users.size,
    apps: engine.apps.size,
    saturated: engine.saturated,
  });
  if (engine.history.length > HISTORY_SAMPLES) engine.history.shift();
}
