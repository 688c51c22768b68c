// Where the server's time goes: the compiled simulator under load with node --cpu-prof, one run per target
// (the four hot operations on the default site, the session list of a 1,000-session site), next to the
// tuned Express floor serving the same bytes, profiled the same way (after a warm-up; the samples of the
// start and the warm-up are left out). Self time is shown in microseconds
// per request (share of the samples x 1 / req/s: the server's core is busy throughout), by area (the
// simulator, express and its router, node's internals, the garbage collector) and by function.
// Server on core 0, load generator on core 1, loopback only.
// Run: npm run bench:profile [-- --duration 10 --warmup 5 --top 15 --load wrk|autocannon --keep]
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pickLoadGenerator, runLoad, type LoadRequest } from './lib/load.js';
import { monotonicUs, summarizeProfile } from './lib/profile.js';
import { capture, startBaseline, startSim, targetsOf } from './lib/qps.js';
import { describeMachine, fixed, table } from './lib/report.js';
import { scratch, type Running } from './lib/servers.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    top: { type: 'string', default: '15' },
    connections: { type: 'string', default: '32' },
    load: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const generator = pickLoadGenerator(args.load);
const dir = scratch('profile');
const sites = [
  { name: 'default', options: [] as string[], only: undefined as string | undefined },
  { name: '1000 sessions', options: ['--sessions', '1000', '--users', '1000'], only: 'getSessions' },
];

/** Loads a server started with --cpu-prof, stops it and summarises its main thread's profile in µs per request. */
async function profile(start: (nodeArgs: string[]) => Promise<Running>, request: LoadRequest, name: string) {
  const profDir = join(dir, name);
  const server = await start(['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', profDir]);
  const run = { origin: server.origin, requests: [request], connections: Number(args.connections), cpu: 1 };
  await runLoad(generator, { ...run, seconds: Number(args.warmup), scratchDir: dir });
  const fromUs = monotonicUs(); // only the samples of the measured run count: not the start, not the warm-up
  const load = await runLoad(generator, { ...run, seconds: Number(args.duration), scratchDir: dir });
  const toUs = monotonicUs();
  await server.stop(); // SIGTERM: the server exits and node writes the profile
  // The largest profile is the main thread's (tsx's loader thread writes one too).
  const [file] = readdirSync(profDir)
    .map((f) => join(profDir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!file) throw new Error(`no profile written in ${profDir}`);
  const usPerRequest = 1e6 / load.rps;
  const { top, byArea } = summarizeProfile(file, { fromUs, toUs });
  return {
    rps: load.rps,
    areas: new Map(byArea.map((a) => [a.area, a.share * usPerRequest])),
    functions: new Map(top.map((h) => [`${h.name} ${h.where}`, { ...h, us: h.share * usPerRequest }])),
  };
}

await describeMachine(`${generator}, ${args.duration} s per target and server`);
for (const site of sites) {
  const probe = await startSim('probe', dir, site.options);
  const targets = (await targetsOf(probe)).filter((t) => !site.only || t.operationId === site.only);
  const replies = await Promise.all(targets.map((t) => capture(probe.origin, t.request)));
  await probe.stop();
  const routes = targets.map((t, i) => ({
    method: t.request.method,
    path: t.request.path.replace(/\?.*/, ''),
    contentType: replies[i]!.contentType,
    body: replies[i]!.body,
  }));
  for (const [i, target] of targets.entries()) {
    const slug = `${site.name.replace(/\W+/g, '-')}-${i}`;
    const sim = await profile((nodeArgs) => startSim('qps-sim', dir, site.options, nodeArgs), target.request, slug);
    const floor = await profile(
      (nodeArgs) => startBaseline('express', routes, dir, nodeArgs),
      target.request,
      `${slug}-express`,
    );
    console.log(
      `\n${target.name} (${site.name} site): qps-sim ${fixed(sim.rps)} req/s (${fixed(1e6 / sim.rps, 1)} µs/req), ` +
        `tuned Express ${fixed(floor.rps)} req/s (${fixed(1e6 / floor.rps, 1)} µs/req), while profiled`,
    );
    /** Both servers' self time by key, the largest differences first. */
    const compare = <T>(ours: Map<string, T>, theirs: Map<string, T>, us: (v: T | undefined) => number) =>
      [...new Set([...ours.keys(), ...theirs.keys()])]
        .map((key) => ({ key, sim: us(ours.get(key)), floor: us(theirs.get(key)) }))
        .sort((a, b) => b.sim - b.floor - (a.sim - a.floor));
    const row = (name: string, c: { sim: number; floor: number }) => [
      name,
      fixed(c.sim, 1),
      fixed(c.floor, 1),
      fixed(c.sim - c.floor, 1),
    ];
    const areas = compare(sim.areas, floor.areas, (v) => v ?? 0).slice(0, 10);
    console.log(
      table(
        ['area (self time)', 'qps-sim µs/req', 'Express µs/req', 'difference'],
        areas.map((a) => row(a.key, a)),
      ),
    );
    console.log();
    const functions = compare(sim.functions, floor.functions, (v) => v?.us ?? 0).slice(0, Number(args.top));
    console.log(
      table(
        ['function (self time)', 'qps-sim µs/req', 'Express µs/req', 'difference', 'where'],
        functions.map((f) => {
          const { name, where } = (sim.functions.get(f.key) ?? floor.functions.get(f.key))!;
          return [...row(name, f), where];
        }),
      ),
    );
  }
}
if (args.keep) console.log(`\nprofiles kept in ${dir} (open them in Chrome DevTools)`);
else rmSync(dir, { recursive: true });
