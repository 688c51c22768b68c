import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RequestListener as App } from 'node:http';
import request from 'supertest';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../src/index.js';

/** A valid Xrfkey: sent as the `Xrfkey` query parameter and the `X-Qlik-Xrfkey` header. */
export const XRFKEY = 'abcdefghij012345';

export const SECOND = 1_000;
export const MINUTE = 60_000;

/** The bundled scenarios folder. */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** The text of a bundled scenario, `scenarios/<name>.yaml`. */
export const bundledText = (name: string): string => readFileSync(`${SCENARIOS_DIR}${name}.yaml`, 'utf8');

type Method = 'get' | 'post' | 'put' | 'delete';

export interface EngineView {
  id: string;
  hostName: string;
  status: 'up' | 'down' | 'draining';
  saturated: boolean;
  cpu: number;
  cpuSpike: number;
  sessions: number;
  apps: Array<{ appId: string; name: string; openSessions: number }>;
}

export interface SimEventView {
  seq: number;
  at: string;
  type: string;
  [detail: string]: unknown;
}

export interface JournalView {
  seq: number;
  at: string;
  operationId: string | null;
  status: number;
  durationMs: number;
  shapedBy: Array<{ id: string; source: string; kind: string; step?: number }>;
}

export interface RankedView {
  engineId: string;
  hostName: string;
  priority: number;
  isAppOpen: boolean;
  /** In /__sim/decisions only. */
  saturated?: boolean;
}

/** The public API of one simulator, as a client sees it: the QPS with a valid Xrfkey, and /__sim. */
export function client(app: App) {
  const withKey = (path: string) => `${path}${path.includes('?') ? '&' : '?'}Xrfkey=${XRFKEY}`;
  const api = {
    /** A QPS call (path from the virtual proxy on, e.g. `/qps/session`) with a valid Xrfkey pair. */
    qps: (method: Method, path: string) => request(app)[method](withKey(path)).set('X-Qlik-Xrfkey', XRFKEY),
    health: async () => (await api.qps('get', '/qps/health')).status,
    putScenario: (text: string, type = 'application/yaml') =>
      request(app).put('/__sim/scenario').set('content-type', type).send(text),
    /** Loads a scenario and fails the test unless it loaded; the progress. */
    async load(text: string, type = 'application/yaml') {
      const res = await api.putScenario(text, type);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as Progress;
    },
    restart: () => request(app).post('/__sim/scenario/restart'),
    clear: () => request(app).delete('/__sim/scenario'),
    getScenario: () => request(app).get('/__sim/scenario'),
    addFault: (body: object) => request(app).post('/__sim/faults').send(body),
    deleteFault: (id: string) => request(app).delete(`/__sim/faults/${id}`),
    async progress() {
      const res = await request(app).get('/__sim/scenario').expect(200);
      return res.body as Progress;
    },
    async advance(ms: number) {
      if (ms > 0) await request(app).post('/__sim/clock/advance').send({ ms }).expect(200);
    },
    /** Moves the clock to `elapsedMs` after the scenario started (never backwards). */
    async at(elapsedMs: number) {
      const { elapsedMs: now } = await api.progress();
      assert.ok(elapsedMs >= now, `the clock is at ${now} ms already, past ${elapsedMs} ms`);
      await api.advance(elapsedMs - now);
    },
    state: async () => (await request(app).get('/__sim/state').expect(200)).body,
    clock: async () => (await request(app).get('/__sim/clock').expect(200)).body as { now: string; nowMs: number },
    engines: async () => (await request(app).get('/__sim/cluster').expect(200)).body.engines as EngineView[],
    apps: async () => (await request(app).get('/__sim/cluster').expect(200)).body.apps as Array<{ id: string }>,
    async events(query: { type?: string; since?: number } = {}) {
      const params = new URLSearchParams();
      if (query.type !== undefined) params.set('type', query.type);
      if (query.since !== undefined) params.set('since', String(query.since));
      params.set('limit', '10000');
      return (await request(app).get(`/__sim/events?${params}`).expect(200)).body as SimEventView[];
    },
    /** The sequence number of the newest event (0 when there is none). */
    lastEventSeq: async () => (await api.events()).at(-1)?.seq ?? 0,
    async decisions(since = 0) {
      return (await request(app).get(`/__sim/decisions?since=${since}&limit=10000`).expect(200)).body as Array<{
        seq: number;
        source: string;
        strategy: string;
        ranking: RankedView[];
        chosen: string | null;
        reason: string;
      }>;
    },
    async requests(operation?: string) {
      const query = operation === undefined ? '' : `?operation=${operation}`;
      return (await request(app).get(`/__sim/requests${query}`).expect(200)).body as JournalView[];
    },
    faults: async () => (await request(app).get('/__sim/faults').expect(200)).body as Array<Record<string, unknown>>,
    /** The engines the load balancer ranks for a user and an app, best first. */
    async prioritize(appId: string, userId = 'tester') {
      const res = await api
        .qps('post', '/qps/loadbalancing/prioritize')
        .send({ userDirectory: 'TEST', userId, appId })
        .expect(200);
      return res.body.engineServices as RankedView[];
    },
  };
  return api;
}

export type Api = ReturnType<typeof client>;

export interface Progress {
  name: string;
  source: string;
  startedAt: string;
  elapsedMs: number;
  resetsSite: boolean;
  done: number;
  active: number[];
  next: { step: number; at: string } | null;
  steps: Array<{
    step: number;
    kind: string;
    label: string | null;
    atMs: number;
    runs: number;
    state: 'pending' | 'active' | 'repeating' | 'done';
    lastRunAt: string | null;
    nextRunAt: string | null;
  }>;
}

/** A new simulator (manual clock) playing a bundled scenario loaded through PUT /__sim/scenario. */
export async function playBundled(
  name: string,
  options: SimulatorOptions = {},
): Promise<{ sim: Simulator; api: Api; loaded: Progress }> {
  const sim = createSimulator(options);
  const api = client(sim.app);
  const loaded = await api.load(bundledText(name));
  return { sim, api, loaded };
}
