import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './servers.js';

export interface LoadRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts and answers other than 2xx or 3xx. */
  errors: number;
}

export type LoadGenerator = 'wrk' | 'autocannon';

export interface LoadRun {
  origin: string;
  /** Sent in turn, one per request. */
  requests: LoadRequest[];
  connections: number;
  seconds: number;
  /** The core the load generator is pinned to. */
  cpu: number;
  scratchDir: string;
}

/** wrk when it is installed (apt-get install wrk), autocannon (a devDependency) otherwise. */
export function pickLoadGenerator(asked?: string): LoadGenerator {
  if (asked === 'wrk' || asked === 'autocannon') return asked;
  if (asked) throw new Error(`--load must be wrk or autocannon, not ${asked}`);
  return spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk';
}

export function runLoad(generator: LoadGenerator, run: LoadRun): Promise<LoadResult> {
  return generator === 'wrk' ? runWrk(run) : runAutocannon(run);
}

function run(command: string[], cpu: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', String(cpu), ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command[0]} failed (${code}): ${out}`)),
    );
  });
}

const lua = (value: string) => JSON.stringify(value); // a JSON string of ASCII is a Lua string literal too

/** A wrk script: one request as wrk's static request, several in turn; done() reports JSON on one line. */
function wrkScript(requests: LoadRequest[]): string {
  const [only] = requests;
  const setup =
    requests.length === 1 && only
      ? [
          `wrk.method = ${lua(only.method)}`,
          ...(only.body === undefined ? [] : [`wrk.body = ${lua(only.body)}`]),
          ...Object.entries(only.headers).map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`),
        ]
      : [
          'local requests, i = {}, 0',
          'init = function(args)',
          ...requests.map(
            (r) =>
              `  table.insert(requests, wrk.format(${lua(r.method)}, ${lua(r.path)}, {${Object.entries(r.headers)
                .map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
                .join(', ')}}, ${r.body === undefined ? 'nil' : lua(r.body)}))`,
          ),
          'end',
          'request = function() i = i % #requests + 1; return requests[i] end',
        ];
  return [
    ...setup,
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'@@result {"requests":%d,"us":%d,"errors":%d,"p50":%d,"p99":%d}\\n\',',
    '    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,',
    '    latency:percentile(50), latency:percentile(99)))',
    'end',
    '',
  ].join('\n');
}

async function runWrk({ origin, requests, connections, seconds, cpu, scratchDir }: LoadRun): Promise<LoadResult> {
  const script = join(scratchDir, 'wrk.lua');
  writeFileSync(script, wrkScript(requests));
  const url = origin + (requests.length === 1 ? requests[0]!.path : '/');
  const duration = `${Math.max(1, Math.round(seconds))}s`;
  const out = await run(['wrk', '-t1', `-c${connections}`, `-d${duration}`, '--timeout', '5s', '-s', script, url], cpu);
  const line = /@@result (\{.*\})/.exec(out)?.[1];
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(line) as { requests: number; us: number; errors: number; p50: number; p99: number };
  return {
    rps: r.requests / (r.us / 1e6),
    p50Ms: r.p50 / 1000,
    p99Ms: r.p99 / 1000,
    requests: r.requests,
    errors: r.errors,
  };
}

async function runAutocannon({ origin, requests, connections, seconds, cpu }: LoadRun): Promise<LoadResult> {
  const config = JSON.stringify({ url: origin, connections, duration: seconds, requests });
  const out = await run([process.execPath, '--import', 'tsx', join(ROOT, 'bench/lib/autocannon-run.ts'), config], cpu);
  const line = /@@result (\{.*\})/.exec(out)?.[1];
  if (!line) throw new Error(`autocannon printed no result:\n${out}`);
  return JSON.parse(line) as LoadResult;
}
