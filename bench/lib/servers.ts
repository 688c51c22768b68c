import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor200 } from './http-client.js';

/** The repository's root: servers run from there. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A scratch folder for this run's logs, routes and databases. */
export const scratch = (name: string) => mkdtempSync(join(tmpdir(), `qps-sim-${name}-`));

export interface Running {
  name: string;
  origin: string;
  pid: number;
  logFile: string;
  /** Resident memory now, from /proc/<pid>/status. */
  rssMb(): number;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

export interface Launch {
  name: string;
  /** Arguments to node (a script and its arguments, node's own options first). */
  args: string[];
  port: number;
  /** The core to pin the server to (taskset -c); unpinned without. */
  cpu?: number;
  /** A path that answers 200 once the server is ready, with its headers. */
  ready: { path: string; headers?: Record<string, string> };
  logDir: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Starts a server (its output goes to a log file, never through this process) and waits until it is ready. */
export async function launch(spec: Launch): Promise<Running> {
  const logFile = join(spec.logDir, `${spec.name.replace(/\W+/g, '-')}.log`);
  const out = openSync(logFile, 'w');
  const argv = [process.execPath, ...spec.args];
  const [command, ...rest] = spec.cpu === undefined ? argv : ['taskset', '-c', String(spec.cpu), ...argv];
  const child = spawn(command!, rest, { cwd: ROOT, stdio: ['ignore', out, out] });
  closeSync(out);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(`exited (${signal ?? code})`)),
  );
  const origin = `http://127.0.0.1:${spec.port}`;
  const failed = exited.then((how) => {
    throw new Error(`${spec.name} ${how} before it was ready:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
  });
  try {
    await Promise.race([waitFor200(origin + spec.ready.path, spec.ready.headers), failed]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  failed.catch(() => undefined);
  return {
    name: spec.name,
    origin,
    pid: child.pid!,
    logFile,
    rssMb: () => rssMb(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The installed version and entry point of a package's command (a folder holding its package.json). */
export function packageCommand(dir: string): { version: string; bin: string } {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string;
    bin: string | Record<string, string>;
  };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : Object.values(pkg.bin)[0]!;
  return { version: pkg.version, bin: join(dir, bin) };
}
