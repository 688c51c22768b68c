import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, release, type } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './servers.js';

/** The commit measured, marked dirty when src/ differs from it (src/ changes while others work on it). */
function commit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', 'src') ? ' + uncommitted src' : ''}`;
  } catch {
    return 'unknown';
  }
}

export function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  return { nproc: availableParallelism(), cpu, node: process.version, os: `${type()} ${release()}` };
}

function cpuTimes(): { idle: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: fields[3]! + fields[4]!, total: fields.reduce((a, b) => a + b, 0) };
}

/** Cores kept busy by other processes over `ms` (figures measured on a busy machine come out low). */
export async function otherLoad(ms = 1000): Promise<number> {
  const before = cpuTimes();
  await new Promise((done) => setTimeout(done, ms));
  const after = cpuTimes();
  return (1 - (after.idle - before.idle) / (after.total - before.total)) * availableParallelism();
}

/** Prints the machine and warns when other processes keep it busy; returns both for the results. */
export async function describeMachine(detail: string) {
  const info = { ...machine(), busyCoresBefore: await otherLoad() };
  console.log(`${info.nproc} cores (${info.cpu}), node ${info.node}; ${detail}`);
  if (info.busyCoresBefore > 0.2) {
    console.log(`WARNING: other processes keep ${info.busyCoresBefore.toFixed(2)} cores busy: the figures will be low`);
  }
  return info;
}

/** Writes bench/results/<kind>-<date>.json and the <kind> entry of bench/results/latest.json (committed). */
export function saveResults(kind: string, results: object, info: object = machine()): string {
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const file = join(dir, `${kind}-${date}.json`);
  // A path outside the project is this machine's own: recorded as what it names, not where it was.
  const passed = process.argv
    .slice(2)
    .map((arg) =>
      arg.startsWith('/') && !arg.startsWith(ROOT) ? `<${arg.split('/').slice(-2).join('/')} folder>` : arg,
    )
    .map((arg) => (arg.startsWith(`${ROOT}/`) ? arg.slice(ROOT.length + 1) : arg));
  const entry = {
    date: new Date().toISOString(),
    command: `npm run bench:${kind}${passed.length > 0 ? ` -- ${passed.join(' ')}` : ''}`,
    commit: commit(),
    machine: info,
    ...results,
  };
  writeFileSync(file, `${JSON.stringify(entry, null, 2)}\n`);
  const latestFile = join(dir, 'latest.json');
  const latest = existsSync(latestFile)
    ? (JSON.parse(readFileSync(latestFile, 'utf8')) as Record<string, unknown>)
    : {};
  writeFileSync(latestFile, `${JSON.stringify({ ...latest, [kind]: entry }, null, 2)}\n`);
  return file;
}

/** A plain text table: columns of numbers (and ratios) right-aligned, others left-aligned. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((row) => row.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const numeric = head.map((_, i) => rows.every((row) => /^[-\d,.]+( ?x| %| ms| MB)?$/.test(String(row[i]))));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

export const fixed = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const ratio = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : '-');
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
}
