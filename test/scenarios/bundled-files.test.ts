import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { loadDocument } from '../../src/openapi/documents.js';
import { formatProblem } from '../../src/scenario/parse.js';
import { validateScenarioFiles } from '../../src/scenario/validate-files.js';
import { SCENARIOS_DIR } from '../support/scenarios.js';

const TESTS_DIR = fileURLToPath(new URL('./', import.meta.url));
const OPERATIONS = new Set(loadDocument('seed').operations.map((op) => op.operationId));
const FILES = readdirSync(SCENARIOS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
/** Test files here that are about the format, not one bundled scenario. */
const GENERAL_TESTS = new Set(['bundled-files.test.ts', 'format.test.ts']);

describe('the bundled scenarios in scenarios/', () => {
  test('there are at least seven, engine-outage.yaml among them', () => {
    assert.ok(FILES.length >= 7, FILES.join(', '));
    assert.ok(FILES.includes('engine-outage.yaml'));
  });

  test('each starts with a comment saying what it demonstrates, then the schema line for editors', () => {
    for (const file of FILES) {
      const [first = '', second = ''] = readFileSync(`${SCENARIOS_DIR}${file}`, 'utf8').split('\n');
      assert.match(first, /^# \S.{20,}/, `${file}: the first line is a comment saying what it demonstrates`);
      assert.equal(second, '# yaml-language-server: $schema=./scenario.schema.json', file);
    }
  });

  test('each passes validation against the site it sets up (as `qps-sim validate` checks it)', async () => {
    const verdicts = await validateScenarioFiles(
      FILES.map((f) => `${SCENARIOS_DIR}${f}`),
      {},
      OPERATIONS,
    );
    assert.equal(verdicts.length, FILES.length);
    for (const verdict of verdicts) {
      assert.deepEqual(verdict.problems.map(formatProblem), [], verdict.file);
      assert.ok(verdict.summary, verdict.file);
    }
  });

  test('each sets a seed, so that it plays the same way every time', () => {
    for (const file of FILES) {
      assert.match(readFileSync(`${SCENARIOS_DIR}${file}`, 'utf8'), /^seed: \S+$/m, file);
    }
  });

  test('each is covered by a test file of the same name in test/scenarios/, and each such file by a scenario', () => {
    const tests = readdirSync(TESTS_DIR).filter((f) => f.endsWith('.test.ts'));
    for (const file of FILES) {
      assert.ok(tests.includes(file.replace(/\.yaml$/, '.test.ts')), `test/scenarios/ has no test for ${file}`);
    }
    for (const testFile of tests.filter((t) => !GENERAL_TESTS.has(t))) {
      assert.ok(FILES.includes(testFile.replace(/\.test\.ts$/, '.yaml')), `${testFile} tests no bundled scenario`);
    }
  });
});
