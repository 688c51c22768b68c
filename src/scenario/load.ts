import { readdir, readFile } from 'node:fs/promises';
import { parseScenario, type ParsedScenario, type ScenarioProblem } from './parse.js';

/** Reads a scenario file's text: the only place that reads scenario files. */
export async function readScenarioText(
  file: string,
): Promise<{ ok: true; text: string } | { ok: false; problems: ScenarioProblem[] }> {
  try {
    return { ok: true, text: await readFile(file, 'utf8') };
  } catch (error) {
    return {
      ok: false,
      problems: [{ source: file, line: 0, field: '', reason: `cannot read: ${(error as Error).message}` }],
    };
  }
}

export async function readScenarioFile(file: string, operations: ReadonlySet<string>): Promise<ParsedScenario> {
  const read = await readScenarioText(file);
  return read.ok ? parseScenario(read.text, file, operations) : read;
}

const BUNDLED = new URL('../../scenarios/', import.meta.url);

export interface BundledScenario {
  file: string;
  /** The first line's comment: what the scenario demonstrates. */
  summary: string;
}

/** The scenarios shipped in scenarios/, each with what its first line says it demonstrates. */
export async function listBundledScenarios(): Promise<BundledScenario[]> {
  const files = (await readdir(BUNDLED)).filter((f) => /\.ya?ml$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(new URL(file, BUNDLED), 'utf8');
      return { file, summary: (text.split('\n')[0] ?? '').replace(/^#\s*/, '') };
    }),
  );
}

/** A bundled scenario's text, by file name (only names listBundledScenarios gives). */
export async function readBundledScenario(file: string): Promise<string | undefined> {
  const known = await listBundledScenarios();
  if (!known.some((s) => s.file === file)) return undefined;
  return readFile(new URL(file, BUNDLED), 'utf8');
}
