import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { FixtureError, parseFixture, type SiteFixture } from './fixture.js';

/** Reads a site fixture from a YAML or JSON file (YAML is a superset of JSON). */
export async function loadFixtureFile(file: string): Promise<SiteFixture> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FixtureError(`${file}: cannot read the fixture (${(error as Error).message})`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new FixtureError(`${file}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  try {
    return parseFixture(data);
  } catch (error) {
    throw new FixtureError(`${file}: ${(error as Error).message}`);
  }
}
