import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const BIN = 'dist/cli/main.js';
const KEY = 'abcdefghij012345';
const running = new Set<ChildProcess>();

/** Starts the built CLI and resolves with the URL it prints once listening. */
async function start(...args: string[]): Promise<{ child: ChildProcess; url: string; banner: string }> {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    const match = /listening on (http:\/\/\S+)/.exec(out);
    if (match?.[1] && out.includes('clock:')) return { child, url: match[1], banner: out };
  }
  throw new Error(`the CLI exited before listening: ${out}`);
}

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

const qps = (url: string, path: string) => fetch(`${url}${path}?Xrfkey=${KEY}`, { headers: { 'X-Qlik-Xrfkey': KEY } });

after(() => {
  for (const child of running) child.kill('SIGKILL');
});

describe('the qps-sim binary', () => {
  test('starts on a free port, prints the URL and seed, and serves the seeded site', async () => {
    const { child, url, banner } = await start('--clock', 'manual', '--seed', 'cli-test', '--sessions', '7');
    assert.match(banner, /seed "cli-test": 50 users, 7 sessions/);
    const all = [
      ...((await (await qps(url, '/qps/session')).json()) as unknown[]),
      ...((await (await qps(url, '/hdr/qps/session')).json()) as unknown[]),
    ];
    assert.equal(all.length, 7);
    const state = (await (await fetch(`${url}/__sim/state`)).json()) as { seed: string };
    assert.equal(state.seed, 'cli-test');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, 'SIGTERM shuts down cleanly');
  });

  test('loads a fixture and honours --no-control and --virtual-proxy', async () => {
    const { url } = await start('--fixture', 'fixtures/small-site.yaml', '--no-control', '--virtual-proxy', 'hdr');
    const sessions = (await (await qps(url, '/qps/session')).json()) as Array<{ userId: string }>;
    assert.deepEqual(sessions.map((s) => s.userId).sort(), ['alice', 'carol']);
    assert.equal((await fetch(`${url}/__sim/state`)).status, 404);
  });

  test('--state-file saves the whole state on SIGTERM and restores it at the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qps-sim-state-'));
    const file = join(dir, 'state.json');
    const first = await start('--clock', 'manual', '--seed', 'saved', '--state-file', file);
    const advanced = await fetch(`${first.url}/__sim/clock/advance`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ms: 3_600_000 }),
    });
    assert.equal(advanced.status, 200);
    first.child.kill('SIGTERM');
    assert.deepEqual(await once(first.child, 'exit'), [0, null]);
    assert.deepEqual(readdirSync(dir), ['state.json'], 'written whole: no temporary file is left');
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { format: string }).format, 'qps-sim/state@1');
    const second = await start('--clock', 'manual', '--state-file', file);
    assert.match(second.banner, /seed "saved"/);
    const state = (await (await fetch(`${second.url}/__sim/state`)).json()) as { clock: { now: string } };
    assert.equal(state.clock.now, '2026-01-05T10:00:00.000Z');
    writeFileSync(file, '{"format": "something else"}');
    const { status, stderr } = run('--port', '0', '--state-file', file);
    assert.notEqual(status, 0);
    assert.match(stderr, /--state-file/);
  });

  test('--help documents every option', () => {
    const { status, stdout } = run('--help');
    assert.equal(status, 0);
    for (const option of ['--port', '--host', '--seed', '--users', '--sessions', '--fixture', '--virtual-proxy']) {
      assert.ok(stdout.includes(option), `--help mentions ${option}`);
    }
    assert.ok(stdout.includes('--log-level') && stdout.includes('--no-control') && stdout.includes('--clock'));
  });

  for (const [args, named] of [
    [['--port', 'abc'], '--port'],
    [['--users', '-3'], '--users'],
    [['--log-level', 'loud'], '--log-level'],
    [['--bogus'], '--bogus'],
    [['--virtual-proxy', '/x/'], 'virtualProxies'],
    [['--fixture', 'no-such-file.yaml'], 'no-such-file.yaml'],
    [['--start-time', 'yesterday'], 'startTime'],
  ] as const) {
    test(`a bad option (${args.join(' ')}) exits non-zero naming it`, () => {
      const { status, stderr } = run(...args, '--port', '0');
      assert.notEqual(status, 0);
      assert.ok(stderr.includes(named), `stderr names ${named}: ${stderr}`);
    });
  }
});
