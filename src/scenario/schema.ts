import { readFileSync } from 'node:fs';
import { compileSchema } from '../schema/validate.js';

/** The scenario JSON Schema, shipped in scenarios/ for editors too; read and compiled once. */
export const scenarioSchema = JSON.parse(
  readFileSync(new URL('../../scenarios/scenario.schema.json', import.meta.url), 'utf8'),
) as object;

export const checkScenarioShape = compileSchema<RawScenario>(scenarioSchema);

export interface RawScenario {
  name: string;
  description: string;
  seed?: string | number;
  site?: Record<string, unknown>;
  steps: Array<Record<string, unknown>>;
}
