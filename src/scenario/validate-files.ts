import type { ScenarioProblem } from './parse.js';
import { checkAgainstSite } from './check-site.js';
import { readScenarioFile } from './load.js';
import { resolveOptions, type SimulatorOptions } from '../options.js';
import { buildWorld } from '../site/build-world.js';

export interface FileVerdict {
  file: string;
  problems: ScenarioProblem[];
  summary?: string;
}

/**
 * Checks scenario files as loading them would: syntax, schema, rules, and what they name on the site
 * they would run on (the scenario's own seed and site settings over `base`).
 */
export async function validateScenarioFiles(
  files: readonly string[],
  base: SimulatorOptions,
  operations: ReadonlySet<string>,
): Promise<FileVerdict[]> {
  const verdicts: FileVerdict[] = [];
  for (const file of files) {
    const parsed = await readScenarioFile(file, operations);
    if (!parsed.ok) {
      verdicts.push({ file, problems: parsed.problems });
      continue;
    }
    const { scenario, locate } = parsed;
    let problems: ScenarioProblem[];
    try {
      const world = buildWorld(resolveOptions({ ...base, ...scenario.site, seed: scenario.seed ?? base.seed }));
      problems = checkAgainstSite(scenario, world, file, locate);
    } catch (error) {
      problems = [{ source: file, line: locate('site'), field: 'site', reason: (error as Error).message }];
    }
    verdicts.push({ file, problems, summary: `${scenario.name}: ${scenario.steps.length} steps` });
  }
  return verdicts;
}
