// How long simulating 24 hours takes: a 16-engine site starting with 10,000 sessions and the logins
// that keep it near that size, against a baseline of the same cluster with no users (engine samples
// only) measured in the same run, on the compiled code. Run: npm run bench:day
import { performance } from 'node:perf_hooks';
import { createSimulator, type SimulatorOptions } from '../dist/index.js';

const DAY = 24 * 3_600_000;

function timeDay(options: SimulatorOptions) {
  const built = performance.now();
  const sim = createSimulator({ seed: 'bench', engines: 16, ...options });
  const started = performance.now();
  sim.advance(DAY);
  const ms = performance.now() - started;
  return {
    buildMs: started - built,
    ms,
    events: sim.world.events.lastSeq,
    decisions: sim.world.cluster.decisions.lastSeq,
  };
}

const runs = Number(process.argv[2] ?? 3);
const best = (options: SimulatorOptions) =>
  Array.from({ length: runs }, () => timeDay(options)).reduce((a, b) => (b.ms < a.ms ? b : a));

const baseline = best({ users: 10_000, sessions: 0, traffic: false });
const site = best({ users: 10_000, sessions: 10_000, peakLoginsPerHour: 13_000, eventLimit: 1000 });
console.log(`node ${process.version}, best of ${runs}`);
console.log(`baseline (16 engines, no users):        ${baseline.ms.toFixed(0)} ms for 24 h`);
console.log(
  `16 engines, 10,000 sessions, traffic:   ${site.ms.toFixed(0)} ms for 24 h ` +
    `(${(site.ms / baseline.ms).toFixed(1)} x baseline; ${site.events} events, ${site.decisions} decisions; ` +
    `site built in ${site.buildMs.toFixed(0)} ms)`,
);
