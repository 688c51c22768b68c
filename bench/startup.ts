// Start-up: the time from spawning the compiled CLI (`node dist/cli/main.js --port 0`, the default site) to
// its first 200 from GET /qps/about (median of N runs), and its resident memory (VmRSS) idle: 1 s after that
// first answer, and settled (after 15 s without requests, once V8's memory reducer has run); in the same run, the same for Prism's mock of the seed document and json-server 0.17 (the peers), and for a
// bare node:http and Express 5 server (the floors of a Node process). Unpinned, loopback only.
// Run: npm run bench:startup [-- --runs 10 --idle-ms 1000 --settle-ms 15000 --settle-runs 3
//      --prism <folder of @stoplight/prism-cli>]
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { waitFor200 } from './lib/http-client.js';
import { ABOUT, capture, prismRequest, startSim, targetsOf } from './lib/qps.js';
import { describeMachine, fixed, median, ratio, saveResults, table } from './lib/report.js';
import { freePort, packageCommand, ROOT, rssMb, scratch } from './lib/servers.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'idle-ms': { type: 'string', default: '1000' },
    'settle-ms': { type: 'string', default: '15000' },
    'settle-runs': { type: 'string', default: '3' },
    prism: { type: 'string', default: join(ROOT, 'node_modules/@stoplight/prism-cli') },
    'json-server': { type: 'string', default: join(ROOT, 'node_modules/json-server') },
  },
});
const runs = Number(args.runs);
const idleMs = Number(args['idle-ms']);
const settleMs = Number(args['settle-ms']);
const settleRuns = Number(args['settle-runs']);
const dir = scratch('startup');

interface Contender {
  name: string;
  /** node's arguments; a port of 0 is replaced by the free port chosen for the run. */
  args: (port: number) => string[];
  ready: { path: string; headers?: Record<string, string> };
  /** Let it pick its port (--port 0) and read the address from what it prints. */
  printsUrl?: boolean;
}

/** One start: the process once it has answered its first 200, and the milliseconds that took. */
async function start(c: Contender): Promise<{ ms: number; child: ChildProcess }> {
  const port = c.printsUrl ? 0 : await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, c.args(port), { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  let printed = '';
  const origin = new Promise<string>((resolve) => {
    if (!c.printsUrl) resolve(`http://127.0.0.1:${port}`);
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const url = /listening on (\S+)/.exec(printed)?.[1];
      if (url) resolve(url);
    });
  });
  await waitFor200((await origin) + c.ready.path, c.ready.headers, 30_000, 1);
  return { ms: performance.now() - started, child };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGKILL');
  await exited;
}

const idle = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** One start, timed, and its RSS after `idleMs`. */
async function startOnce(c: Contender): Promise<{ ms: number; rssMb: number }> {
  const { ms, child } = await start(c);
  await idle(idleMs);
  const rss = rssMb(child.pid!);
  await stop(child);
  return { ms, rssMb: rss };
}

/** RSS once settled: `settleRuns` processes started together, read after `settleMs` without a request. */
async function settledRss(c: Contender): Promise<number> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < settleRuns; i++) children.push((await start(c)).child);
  await idle(settleMs);
  const rss = children.map((child) => rssMb(child.pid!));
  await Promise.all(children.map(stop));
  return median(rss);
}

// json-server serves the simulator's own about document and sessions list.
const sim = await startSim('capture', dir);
const [sessions, about] = await targetsOf(sim);
const db = join(dir, 'db.json');
writeFileSync(
  db,
  JSON.stringify({
    about: JSON.parse((await capture(sim.origin, about!.request)).body) as unknown,
    session: JSON.parse((await capture(sim.origin, sessions!.request)).body) as unknown,
  }),
);
await sim.stop();

const prism = packageCommand(args.prism);
const jsonServer = packageCommand(args['json-server']);
const seedDocument = join(ROOT, 'src/openapi/seed.yaml');
const floor = (app: string) => (port: number) => ['--input-type=module', '-e', `${app}.listen(${port}, '127.0.0.1')`];
const contenders: Contender[] = [
  { name: 'qps-sim', args: () => ['dist/cli/main.js', '--port', '0'], ready: ABOUT, printsUrl: true },
  {
    name: `prism ${prism.version}`,
    args: (port) => [prism.bin, 'mock', '-h', '127.0.0.1', '-p', String(port), seedDocument],
    ready: prismRequest(ABOUT),
  },
  {
    name: `json-server ${jsonServer.version}`,
    args: (port) => [jsonServer.bin, db, '-H', '127.0.0.1', '-p', String(port)],
    ready: { path: '/about' },
  },
  {
    name: 'node:http (floor)',
    args: floor(`import { createServer } from 'node:http'; createServer((q, s) => s.end('{}'))`),
    ready: { path: '/' },
  },
  {
    name: 'express 5 (floor)',
    args: floor(`import express from 'express'; express().get('/', (q, s) => s.send('{}'))`),
    ready: { path: '/' },
  },
];

const info = await describeMachine(
  `${runs} starts each, RSS after ${idleMs} ms idle; settled RSS of ${settleRuns} after ${settleMs} ms idle`,
);
const results = [];
for (const c of contenders) {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const one = await startOnce(c);
    times.push(one.ms);
    rss.push(one.rssMb);
  }
  results.push({
    name: c.name,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    rssMb: median(rss),
    settledRssMb: await settledRss(c),
  });
  const last = results.at(-1)!;
  console.log(
    `  ${c.name}: ${fixed(last.medianMs)} ms, ${fixed(last.rssMb, 1)} MB, settled ${fixed(last.settledRssMb, 1)} MB`,
  );
}

const [ours] = results;
console.log('\nfrom spawn to the first 200 (median); RSS 1 s after it, and settled (medians)');
console.log(
  table(
    ['server', 'start-up ms', 'min-max ms', 'RSS MB', 'settled RSS MB', 'start-up / qps-sim', 'settled / qps-sim'],
    results.map((r) => [
      r.name,
      fixed(r.medianMs),
      `${fixed(r.minMs)}-${fixed(r.maxMs)}`,
      fixed(r.rssMb, 1),
      fixed(r.settledRssMb, 1),
      ratio(r.medianMs / ours!.medianMs),
      ratio(r.settledRssMb / ours!.settledRssMb),
    ]),
  ),
);
const goals = {
  startupUnder300Ms: ours!.medianMs < 300,
  idleRssUnder80Mb: ours!.settledRssMb < 80,
};
console.log(
  `\nqps-sim: start-up ${fixed(ours!.medianMs)} ms (target < 300 ms: ${goals.startupUnder300Ms ? 'met' : 'NOT met'}), ` +
    `idle RSS ${fixed(ours!.settledRssMb, 1)} MB settled, ${fixed(ours!.rssMb, 1)} MB 1 s after start ` +
    `(target < 80 MB idle: ${goals.idleRssUnder80Mb ? 'met' : 'NOT met'})`,
);
const file = saveResults('startup', { runs, idleMs, settleMs, settleRuns, results, goals }, info);
console.log(`results: ${file} and bench/results/latest.json`);
rmSync(dir, { recursive: true });
