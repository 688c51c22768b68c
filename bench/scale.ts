// Scale: a site of 100,000 sessions over 10,000 users built in-process on the compiled code (no simulated
// traffic): the heap it takes, and the time to find a session by id and a user's sessions, for the first
// and the last session, against a site of 1,000 sessions over 1,000 / 10 users built in the same run
// (indexed lookups take the same time at both sizes; a scan would take 100 times longer).
// Run: npm run bench:scale [-- --sessions 100000 --users 10000] (node --expose-gc)
import { parseArgs } from 'node:util';
import { createSimulator, type Session, type World } from '../dist/index.js';
import { describeMachine, fixed, ratio, saveResults, table } from './lib/report.js';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100000' },
    users: { type: 'string', default: '10000' },
  },
});
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:scale does)');

const heapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** Nanoseconds per call of `lookup`, the best of 5 rounds of `calls` calls. */
function nsPerCall(lookup: () => number, calls = 200_000): number {
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) sink += lookup();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / calls);
  }
  if (sink < 0) console.log(sink); // keeps the lookups from being optimised away
  return best;
}

function lookups(world: World, session: Session) {
  const { proxy, id, userDirectory, userId } = session;
  return {
    byIdNs: nsPerCall(() => world.getSession(proxy, id).start),
    userSessionsNs: nsPerCall(() => world.userSessions(proxy, userDirectory, userId).length),
  };
}

/** Builds a site (traffic off, room for 20 sessions a user) and times lookups of its first and last session. */
function measure(sessions: number, users: number) {
  const before = heapMb();
  const built = performance.now();
  // 10 sessions a user on average, 70 % of them on the default proxy: above the default limit of 5.
  const sim = createSimulator({ sessions, users, traffic: false, maxSessionsPerUser: 20 });
  const buildMs = performance.now() - built;
  const heapGrowthMb = heapMb() - before;
  const all = [...sim.world.sessions.all()];
  return {
    sessions: sim.world.sessions.size,
    users,
    buildMs,
    heapGrowthMb,
    first: lookups(sim.world, all[0]!),
    last: lookups(sim.world, all.at(-1)!),
  };
}

const sessions = Number(args.sessions);
const users = Number(args.users);
const perUser = sessions / users;
const info = await describeMachine('in-process, compiled code, traffic off');
const small = measure(1000, Math.max(1, Math.round(1000 / perUser)));
const large = measure(sessions, users);

console.log(
  table(
    ['site', 'sessions', 'build ms', 'heap growth MB', 'by id ns (first/last)', 'user sessions ns (first/last)'],
    [small, large].map((s) => [
      `${fixed(s.sessions)} sessions over ${fixed(s.users)} users`,
      fixed(s.sessions),
      fixed(s.buildMs),
      fixed(s.heapGrowthMb, 1),
      `${fixed(s.first.byIdNs)} / ${fixed(s.last.byIdNs)}`,
      `${fixed(s.first.userSessionsNs)} / ${fixed(s.last.userSessionsNs)}`,
    ]),
  ),
);
const worst = (s: typeof small, key: 'byIdNs' | 'userSessionsNs') => Math.max(s.first[key], s.last[key]);
const byIdRatio = worst(large, 'byIdNs') / worst(small, 'byIdNs');
const userRatio = worst(large, 'userSessionsNs') / worst(small, 'userSessionsNs');
// A scan of 100 times the sessions would take ~100x; 3x leaves room for cache effects of a larger heap.
const goals = {
  heapGrowthUnder150Mb: large.heapGrowthMb < 150,
  byIdIndexed: byIdRatio < 3,
  userSessionsIndexed: userRatio < 3,
};
console.log(
  `\n${fixed(large.sessions)} sessions: heap growth ${fixed(large.heapGrowthMb, 1)} MB ` +
    `(target < 150 MB: ${goals.heapGrowthUnder150Mb ? 'met' : 'NOT met'}); ` +
    `lookups at ${fixed(large.sessions)} vs ${fixed(small.sessions)} sessions (slower of first and last): ` +
    `by id ${ratio(byIdRatio)}, a user's sessions ${ratio(userRatio)} ` +
    `(indexed, target < 3x: ${goals.byIdIndexed && goals.userSessionsIndexed ? 'met' : 'NOT met'})`,
);
const file = saveResults('scale', { small, large, byIdRatio, userRatio, goals }, info);
console.log(`results: ${file} and bench/results/latest.json`);
