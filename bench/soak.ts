// Soak: the compiled simulator (default site, --clock manual --no-traffic) under full load for a bounded
// time, over the four hot operations in turn; no errors, no crash, and resident memory sampled every 5 s,
// flat after the warm-up. Server pinned to core 0, load generator to core 1, loopback only.
// Run: npm run bench:soak [-- --duration 60 --warmup 15 --connections 32 --load wrk|autocannon]
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { request } from './lib/http-client.js';
import { pickLoadGenerator, runLoad } from './lib/load.js';
import { ABOUT, startSim, targetsOf } from './lib/qps.js';
import { describeMachine, fixed, saveResults, table } from './lib/report.js';
import { scratch } from './lib/servers.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '15' },
    connections: { type: 'string', default: '32' },
    load: { type: 'string' },
  },
});
const seconds = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const generator = pickLoadGenerator(args.load);
const dir = scratch('soak');
const SAMPLE_MS = 5000;

const info = await describeMachine(
  `${generator}, ${connections} connections, ${seconds} s over the four operations in turn; ` +
    'qps-sim --clock manual --no-traffic on core 0, load on core 1',
);
const sim = await startSim('qps-sim', dir);
const targets = await targetsOf(sim);
const samples: Array<{ s: number; rssMb: number }> = [];
const started = performance.now();
const sample = () => samples.push({ s: Math.round((performance.now() - started) / 1000), rssMb: sim.rssMb() });
sample();
const sampler = setInterval(sample, SAMPLE_MS);
const load = await runLoad(generator, {
  origin: sim.origin,
  requests: targets.map((t) => t.request),
  connections,
  seconds,
  cpu: 1,
  scratchDir: dir,
});
clearInterval(sampler);
if (performance.now() - started - samples.at(-1)!.s * 1000 > 1000) sample();
const alive =
  (await request(sim.origin + ABOUT.path, { headers: ABOUT.headers }).catch(() => undefined))?.status === 200;
await sim.stop();

const settled = samples.find((s) => s.s >= warmup) ?? samples[0]!;
const last = samples.at(-1)!;
const growthMb = last.rssMb - settled.rssMb;
// RSS swings with each garbage collection, so two samples can differ by chance: flat means the highest
// sample of the second half after the warm-up is at most 5 MB (or 5 %) above the highest of the first.
const after = samples.filter((s) => s.s >= settled.s);
const half = Math.ceil(after.length / 2);
const peak = (list: typeof samples) => Math.max(...list.map((s) => s.rssMb));
const peakGrowthMb = after.length > 1 ? peak(after.slice(half)) - peak(after.slice(0, half)) : 0;
const goals = { noErrors: load.errors === 0, alive, flat: peakGrowthMb <= Math.max(5, settled.rssMb * 0.05) };
console.log(
  table(
    ['s', 'RSS MB'],
    samples.map((s) => [s.s, fixed(s.rssMb, 1)]),
  ),
);
console.log(
  `\n${fixed(load.requests)} requests, ${fixed(load.rps)} req/s, p50 ${fixed(load.p50Ms, 2)} ms, ` +
    `p99 ${fixed(load.p99Ms, 2)} ms, ${load.errors} errors; alive after: ${alive ? 'yes' : 'NO'}`,
);
console.log(
  `RSS ${fixed(settled.rssMb, 1)} MB at ${settled.s} s (after the ${warmup} s warm-up), ${fixed(last.rssMb, 1)} MB at ` +
    `the end: ${growthMb >= 0 ? '+' : ''}${fixed(growthMb, 1)} MB; highest sample of the second half vs the first: ` +
    `${peakGrowthMb >= 0 ? '+' : ''}${fixed(peakGrowthMb, 1)} MB (${goals.flat ? 'flat' : 'GROWING'}: at most +5 MB or +5 %)`,
);
const file = saveResults(
  'soak',
  { loadGenerator: generator, seconds, warmup, connections, load, samples, growthMb, peakGrowthMb, goals },
  info,
);
console.log(`results: ${file} and bench/results/latest.json`);
rmSync(dir, { recursive: true });
if (!goals.noErrors || !alive) process.exitCode = 1;
