// Throughput and latency of the compiled simulator's hot operations, each against baselines measured in
// the same run on the same response bytes: a tuned bare Express 5 app (the floor no Express app can
// beat), raw node:http (the limit of the platform), and the peers people would otherwise use: Prism's
// mock of the seed document and json-server 0.17. The server is pinned to core 0, the load generator
// (wrk, or autocannon without it) to core 1, loopback only, bounded runs.
// Run: npm run bench:http [-- --duration 10 --warmup 10 --connections 32 --load wrk|autocannon
//      --prism <prism-cli package folder> --skip-peers]
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pickLoadGenerator, runLoad, type LoadRequest, type LoadResult } from './lib/load.js';
import {
  capture,
  jsonServerRequest,
  prismRequest,
  startBaseline,
  startJsonServer,
  startPrism,
  startSim,
  targetsOf,
  type Route,
  type Target,
} from './lib/qps.js';
import { describeMachine, fixed, otherLoad, ratio, saveResults, table } from './lib/report.js';
import { ROOT, scratch, type Running } from './lib/servers.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    load: { type: 'string' },
    prism: { type: 'string', multiple: true, default: [join(ROOT, 'node_modules/@stoplight/prism-cli')] },
    'json-server': { type: 'string', default: join(ROOT, 'node_modules/json-server') },
    'skip-peers': { type: 'boolean', default: false },
  },
});
const seconds = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const generator = pickLoadGenerator(args.load);
const logDir = scratch('http');

interface Measurement extends LoadResult {
  site: string;
  target: string;
  server: string;
  bytes: number;
}
const measurements: Measurement[] = [];

/** A warm-up, then the measured run, of one request against one server. */
async function measure(site: string, server: string, running: Running, target: string, request: LoadRequest) {
  const run = { origin: running.origin, requests: [request], connections, cpu: 1, scratchDir: logDir };
  const { body } = await capture(running.origin, request);
  if (warmup > 0) await runLoad(generator, { ...run, seconds: warmup });
  const result = await runLoad(generator, { ...run, seconds });
  const m = { site, target, server, bytes: Buffer.byteLength(body), ...result };
  measurements.push(m);
  console.log(`  ${server.padEnd(18)} ${target.padEnd(36)} ${fixed(m.rps).padStart(7)} req/s`);
}

/** One site: the simulator, then the baselines on the bytes it answered, then the peers. */
async function site(name: string, simOptions: string[], pick: (t: Target) => boolean, peers: boolean) {
  console.log(`site: ${name} (qps-sim ${['--clock manual --no-traffic', ...simOptions].join(' ')})`);
  const dir = join(logDir, name.replace(/\W+/g, '-'));
  mkdirSync(dir);
  const sim = await startSim('qps-sim', dir, simOptions);
  const targets = (await targetsOf(sim)).filter(pick);
  const replies = await Promise.all(targets.map((t) => capture(sim.origin, t.request)));
  for (const t of targets) await measure(name, 'qps-sim', sim, t.name, t.request);
  // targets[0] is the session list: the same bytes after the runs as before them.
  const unchanged = (await capture(sim.origin, targets[0]!.request)).body === replies[0]!.body;
  await sim.stop();

  const routes: Route[] = targets.map((t, i) => ({
    method: t.request.method,
    path: t.request.path.replace(/\?.*/, ''),
    contentType: replies[i]!.contentType,
    body: replies[i]!.body,
  }));
  for (const [kind, label] of [
    ['express', 'express (tuned)'],
    ['raw', 'node:http'],
  ] as const) {
    const baseline = await startBaseline(kind, routes, dir);
    for (const t of targets) await measure(name, label, baseline, t.name, t.request);
    await baseline.stop();
  }
  if (!peers) return { unchanged, targets, versions: { prism: [] } };

  const versions: { prism: string[]; jsonServer?: string } = { prism: [] };
  for (const folder of name === 'default' ? args.prism : []) {
    const prism = await startPrism(folder, dir);
    versions.prism.push(prism.version);
    for (const t of targets)
      await measure(name, `prism ${prism.version}`, prism.running, t.name, prismRequest(t.request));
    await prism.running.stop();
  }
  const body = (id: Target['operationId']) => {
    const i = targets.findIndex((t) => t.operationId === id);
    return i < 0 ? undefined : (JSON.parse(replies[i]!.body) as unknown);
  };
  const json = await startJsonServer(
    { about: body('getProxyAbout') ?? {}, session: body('getSessions') },
    args['json-server'],
    dir,
  );
  versions.jsonServer = json.version;
  for (const t of targets) {
    const request = jsonServerRequest(t);
    if (request) await measure(name, `json-server ${json.version}`, json.running, t.name, request);
  }
  await json.running.stop();
  return { unchanged, targets, versions };
}

const info = await describeMachine(
  `load: ${generator} (1 thread, ${connections} connections) on core 1, servers on core 0; ` +
    `warm-up ${warmup} s, measured ${seconds} s per target; loopback only`,
);
console.log('the simulator runs with --clock manual --no-traffic: its state does not change during a run');
const peers = !args['skip-peers'];
const small = await site('default', [], () => true, peers);
const large = await site(
  '1000 sessions',
  ['--sessions', '1000', '--users', '1000'],
  (t) => t.operationId === 'getSessions',
  peers,
);

const alike = (m: Measurement, server: RegExp) =>
  measurements.filter((o) => o.site === m.site && o.target === m.target && server.test(o.server));
const prismNames = [...new Set(measurements.filter((m) => m.server.startsWith('prism')).map((m) => m.server))];

/** The targets: against the tuned Express floor and Prism; a large list against the floor only. */
const verdicts = measurements
  .filter((m) => m.server === 'qps-sim')
  .map((m) => {
    const [express] = alike(m, /^express/);
    const prisms = alike(m, /^prism/);
    const large = m.site !== 'default';
    const misses: string[] = [];
    const share = m.rps / express!.rps;
    const floorShare = large ? 0.5 : 0.9;
    if (share < floorShare) misses.push(`req/s ${fixed(share * 100)} % of Express, needs ${floorShare * 100} %`);
    for (const prism of prisms) {
      if (m.rps < 4 * prism.rps) misses.push(`${ratio(m.rps / prism.rps)} ${prism.server}, needs 4x`);
    }
    if (!large && m.p99Ms > express!.p99Ms + 2)
      misses.push(`p99 ${fixed(m.p99Ms - express!.p99Ms, 2)} ms over Express, allowed 2`);
    if (m.errors > 0) misses.push(`${m.errors} errors`);
    return {
      target: large ? `${m.target} (${m.site})` : m.target,
      rps: m.rps,
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      vsExpress: share,
      vsPrism: Object.fromEntries(prisms.map((p) => [p.server, m.rps / p.rps])),
      met: misses.length === 0,
      misses,
    };
  });

console.log(
  `\nall measurements (${generator}, ${connections} connections, ${seconds} s each after ${warmup} s warm-up)`,
);
console.log(
  table(
    ['site', 'target', 'server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'bytes'],
    measurements.map((m) => [
      m.site,
      m.target,
      m.server,
      fixed(m.rps),
      fixed(m.p50Ms, 2),
      fixed(m.p99Ms, 2),
      m.errors,
      m.bytes,
    ]),
  ),
);
console.log(
  "\nqps-sim against the targets: >= 90 % of the tuned Express floor, >= 4x Prism, p99 <= the floor's + 2 ms;" +
    ' the 1,000-session list >= 50 % of the floor',
);
console.log(
  table(
    ['target', 'req/s', 'p50 ms', 'p99 ms', 'x Express', ...prismNames.map((p) => `x ${p}`), 'met', 'misses'],
    verdicts.map((v) => [
      v.target,
      fixed(v.rps),
      fixed(v.p50Ms, 2),
      fixed(v.p99Ms, 2),
      ratio(v.vsExpress),
      ...prismNames.map((p) => (v.vsPrism[p] === undefined ? '-' : ratio(v.vsPrism[p]))),
      v.met ? 'yes' : 'NO',
      v.misses.join('; ') || '-',
    ]),
  ),
);
for (const [name, s] of [
  ['default', small],
  ['1000 sessions', large],
] as const) {
  if (!s.unchanged) console.log(`WARNING: the ${name} site's session list changed during the run`);
}
const busyCoresAfter = await otherLoad();
if (busyCoresAfter > 0.2)
  console.log(`WARNING: after the run, other processes kept ${busyCoresAfter.toFixed(2)} cores busy`);
for (const version of small.versions.prism) {
  if (version.startsWith('5.16.')) continue;
  console.log(
    `Prism ${version}: 5.16 declares node >=24.18; --prism <folder of @stoplight/prism-cli 5.16> measures it`,
  );
}
const file = saveResults(
  'http',
  {
    loadGenerator: generator,
    settings: { seconds, warmup, connections, serverCpu: 0, loadCpu: 1, simulator: '--clock manual --no-traffic' },
    versions: { ...small.versions },
    stateUnchanged: small.unchanged && large.unchanged,
    busyCoresAfter,
    measurements,
    verdicts,
  },
  info,
);
console.log(`\nresults: ${file} and bench/results/latest.json`);
rmSync(logDir, { recursive: true });
