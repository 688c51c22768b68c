import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';

export interface Problem {
  /** Where, as a path such as `users[3].userId` ('' for the whole value). */
  field: string;
  reason: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

// One compiler for the process: compiled validators are pure functions, so sharing them never
// lets two simulators interact. Unknown keywords (OpenAPI's `example`, `x-*`) are ignored. Loaded
// when the first schema is compiled (ajv is CommonJS, so require() can load it then, synchronously).
let compiler: Ajv2020 | undefined;
function ajv(): Ajv2020 {
  if (!compiler) {
    const require = createRequire(import.meta.url);
    const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const addFormats = require('ajv-formats') as { default: (ajv: Ajv2020) => unknown };
    compiler = new Ajv({ allErrors: true, strict: false, coerceTypes: false, verbose: true });
    addFormats.default(compiler);
  }
  return compiler;
}

const fieldOf = (error: ErrorObject): string => {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
  const missing = error.keyword === 'required' ? `.${String(error.params.missingProperty)}` : '';
  const extra = error.keyword === 'additionalProperties' ? `.${String(error.params.additionalProperty)}` : '';
  return `${path}${missing}${extra}`.replace(/^\./, '');
};

const reasonOf = (error: ErrorObject): string => {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'anyOf':
    case 'pattern':
    case 'format': {
      // A schema's title says in words what a pattern or format means.
      const title = (error.parentSchema as { title?: string } | undefined)?.title;
      if (title) return `must be ${title}`;
      if (error.keyword === 'anyOf') return 'matches none of the allowed forms';
      return error.keyword === 'format'
        ? `must be a valid ${String(error.params.format)}`
        : (error.message ?? 'is invalid');
    }
    default:
      return error.message ?? 'is invalid';
  }
};

/**
 * A checker for a JSON Schema (2020-12, as in OpenAPI 3.1), compiled once, on its first use: compiling
 * every schema at start would cost start-up a third of its time for checks most runs never make.
 */
export function compileSchema<T>(schema: object): (value: unknown) => Validation<T> {
  let compiled: ReturnType<Ajv2020['compile']> | undefined;
  return (value) => {
    const check = (compiled ??= ajv().compile(schema));
    if (check(value)) return { ok: true, value: value as T };
    const seen = new Set<string>();
    const problems: Problem[] = [];
    const all = check.errors ?? [];
    // An anyOf speaks for its branches: their own complaints are noise beside it.
    const branches = all.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
    for (const error of all) {
      if (branches.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
      const problem = { field: fieldOf(error), reason: reasonOf(error) };
      const key = `${problem.field} ${problem.reason}`;
      if (!seen.has(key)) problems.push(problem);
      seen.add(key);
    }
    return { ok: false, problems };
  };
}

export const describeProblems = (problems: readonly Problem[]): string =>
  problems.map((p) => (p.field ? `${p.field} ${p.reason}` : p.reason)).join('; ');
