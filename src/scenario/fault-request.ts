import type { FaultSpec } from '../domain/faults.js';
import { compileSchema, describeProblems, type Validation } from '../schema/validate.js';
import { FAULT_KINDS, faultBodyProblem, faultOf, type FaultKind } from './actions.js';
import { durationMs } from './duration.js';
import { scenarioSchema } from './schema.js';

// A definition of the scenario schema, made a schema of its own: its `#/$defs/...` references still resolve.
const { $defs } = scenarioSchema as { $defs: Record<string, object> };
const definition = (name: string) => ({ ...$defs[name], $defs });
const checks = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, compileSchema(definition(kind))])) as Record<
  FaultKind,
  (value: unknown) => Validation<unknown>
>;
const checkTtl = compileSchema(definition('duration'));

/** A run-time fault from the control API, written like a scenario step's fault; problems as text. */
export function parseFaultRequest(
  body: Record<string, unknown>,
  operations: ReadonlySet<string>,
): { ok: true; spec: FaultSpec; ttlMs: number | undefined } | { ok: false; problem: string } {
  const kinds = FAULT_KINDS.filter((kind) => body[kind] !== undefined);
  if (kinds.length !== 1) return { ok: false, problem: `body needs exactly one of ${FAULT_KINDS.join(', ')}` };
  const kind = kinds[0] as FaultKind;
  const shape = checks[kind](body[kind]);
  if (!shape.ok)
    return {
      ok: false,
      problem: describeProblems(shape.problems.map((p) => ({ ...p, field: `${kind}.${p.field}`.replace(/\.$/, '') }))),
    };
  const spec = faultOf(kind, body[kind] as Record<string, unknown>);
  const unknown = spec.operations.find((op) => op !== '*' && !operations.has(op));
  if (unknown !== undefined)
    return { ok: false, problem: `${kind}.operations: ${JSON.stringify(unknown)} is not an operation` };
  const problem = faultBodyProblem(kind, body[kind] as Record<string, unknown>);
  if (problem) return { ok: false, problem: `${kind}${problem.field} ${problem.reason}` };
  if (body.ttl !== undefined && !checkTtl(body.ttl).ok)
    return { ok: false, problem: 'ttl must be a duration such as 30s or 5m' };
  return { ok: true, spec, ttlMs: body.ttl === undefined ? undefined : durationMs(body.ttl as string) };
}
