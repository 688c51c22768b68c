import { readFileSync } from 'node:fs';
import { ROOT } from './servers.js';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds of the monotonic clock, as V8 stamps its profiles on Linux. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export interface Hotspot {
  name: string;
  where: string;
  share: number;
}

/** Where a URL's code comes from: a package, node's internals, the simulator's build, or V8 itself. */
function areaOf(url: string): string {
  if (url === '') return 'native (V8 builtins, syscalls)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  return url.includes('/dist/') ? 'qps-sim (dist)' : url.replace(`file://${ROOT}`, '');
}

/** Self time of a .cpuprofile by function and by area, as shares of the samples taken in `window`, largest first. */
export function summarizeProfile(file: string, window: { fromUs: number; toUs: number }) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const hits = new Map<number, number>();
  let at = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < window.fromUs || at > window.toUs) return;
    hits.set(id, (hits.get(id) ?? 0) + 1);
    total++;
  });
  const functions = new Map<string, Hotspot>();
  const areas = new Map<string, number>();
  for (const { id, callFrame } of profile.nodes) {
    const hitCount = hits.get(id) ?? 0;
    if (hitCount === 0) continue;
    const short = callFrame.url.replace(`file://${ROOT}`, '').replace(/.*node_modules\//, '');
    const where = short ? `${short}:${callFrame.lineNumber + 1}` : '';
    const name = callFrame.functionName || '(anonymous)';
    const key = `${name} ${where}`;
    const entry = functions.get(key) ?? { name, where, share: 0 };
    entry.share += hitCount / total;
    functions.set(key, entry);
    const special = ['(garbage collector)', '(idle)', '(program)', '(root)'].includes(name);
    const area = special ? name : areaOf(callFrame.url);
    areas.set(area, (areas.get(area) ?? 0) + hitCount / total);
  }
  const top = [...functions.values()].sort((a, b) => b.share - a.share);
  const byArea = [...areas].map(([area, share]) => ({ area, share })).sort((a, b) => b.share - a.share);
  return { top, byArea };
}
