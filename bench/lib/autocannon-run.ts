// The fallback load generator (when wrk is missing), in its own process so that it can be pinned to a core.
// Run: autocannon-run.ts '{"url", "connections", "duration", "requests": [{method, path, headers, body}]}'
import { createRequire } from 'node:module';

interface Result {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: object) => Promise<Result>;

const config = JSON.parse(process.argv[2]!) as { url: string; connections: number; duration: number; requests: [] };
const result = await autocannon(config);
const report = {
  rps: result.requests.total / result.duration,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  requests: result.requests.total,
  errors: result.errors + result.timeouts + result.non2xx,
};
console.log(`@@result ${JSON.stringify(report)}`);
