import { readFile } from 'node:fs/promises';
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
