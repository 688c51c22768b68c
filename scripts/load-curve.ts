// The 24-hour load curve of a fixed site, kept as a golden file by `npm run golden` (never edited by hand).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSimulator } from '../src/index.js';

export const GOLDEN_FILE = 'fixtures/golden/load-curve-24h.json';

export function loadCurve(seed = 'golden', hours = 24, everyMinutes = 15) {
  const sim = createSimulator({ seed });
  const samples = [];
  for (let minute = 0; minute <= hours * 60; minute += everyMinutes) {
    if (minute > 0) sim.advance(everyMinutes * 60_000);
    const { world } = sim;
    samples.push({
      at: new Date(world.now).toISOString(),
      sessions: world.sessions.size,
      engines: world.cluster.engines.map((e) => ({
        cpu: e.cpu,
        memoryUsedMb: e.memoryUsedMb,
        sessions: e.sessions.size,
        apps: e.apps.size,
        saturated: e.saturated,
      })),
    });
  }
  return { seed, hours, everyMinutes, samples };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GOLDEN_FILE, `${JSON.stringify(loadCurve(), null, 1)}\n`);
  console.log(`wrote ${GOLDEN_FILE}`);
}
