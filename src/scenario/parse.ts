import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { UNDOABLE, type Scenario, type Step } from '../domain/scenario.js';
import { ACTION_KINDS, actionOf, faultBodyProblem, isFaultKind } from './actions.js';
import { durationMs } from './duration.js';
import { checkScenarioShape } from './schema.js';

export interface ScenarioProblem {
  /** The file (or `request body`). */
  source: string;
  /** 1-based; 0 when unknown. */
  line: number;
  /** A path such as `steps[2].engineDown.engine` ('' for the whole document). */
  field: string;
  reason: string;
}

export type Located = (field: string) => number;

export type ParsedScenario =
  { ok: true; scenario: Scenario; locate: Located } | { ok: false; problems: ScenarioProblem[] };

export const formatProblem = (p: ScenarioProblem): string =>
  `${p.source}:${p.line}: ${p.field === '' ? '' : `${p.field}: `}${p.reason}`;

/** `steps[2].engineDown.engine` as the path segments the YAML document uses. */
const segments = (field: string): Array<string | number> =>
  field
    .split(/\.|(?=\[)/)
    .filter(Boolean)
    .map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));

function locator(doc: Document, lines: LineCounter): Located {
  return (field) => {
    const path = segments(field);
    // The deepest node that exists on the path (a missing field is reported where its parent is).
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return 0;
  };
}

function stepOf(raw: Record<string, unknown>, index: number, problem: (field: string, reason: string) => void) {
  const kinds = ACTION_KINDS.filter((kind) => raw[kind] !== undefined);
  const field = `steps[${index}]`;
  if (kinds.length !== 1) {
    problem(
      field,
      `needs exactly one action, one of ${ACTION_KINDS.join(', ')}${kinds.length ? ` (has ${kinds.join(', ')})` : ''}`,
    );
    return undefined;
  }
  const kind = kinds[0] as (typeof ACTION_KINDS)[number];
  const body = raw[kind] as Record<string, unknown>;
  const faultProblem = isFaultKind(kind) ? faultBodyProblem(kind, body) : undefined;
  if (faultProblem) problem(`${field}.${kind}${faultProblem.field}`, faultProblem.reason);
  if (kind === 'dropSessions' && body.fraction !== undefined && body.count !== undefined) {
    problem(`${field}.dropSessions`, 'takes fraction or count, not both');
  }
  if (raw.times !== undefined && raw.every === undefined) problem(`${field}.times`, 'needs every');
  const every = raw.every === undefined ? undefined : durationMs(raw.every as string);
  if (every !== undefined && every < 1_000) problem(`${field}.every`, 'must be at least 1s');
  if (raw.for !== undefined && !UNDOABLE.has(kind))
    problem(`${field}.for`, `has no effect on ${kind}, which is not undone`);
  const step: Step = { at: durationMs(raw.at as string), action: actionOf(kind, body) };
  if (every !== undefined) step.every = every;
  if (raw.times !== undefined) step.times = raw.times as number;
  if (raw.for !== undefined) step.for = durationMs(raw.for as string);
  if (raw.label !== undefined) step.label = raw.label as string;
  if (step.for !== undefined && every !== undefined && step.for >= every) {
    problem(`${field}.for`, `must be shorter than every (${raw.every}), or the runs would overlap`);
  }
  return step;
}

/**
 * A scenario from YAML or JSON text: syntax, the schema, then the rules a schema cannot say; every
 * problem with its line and field. Known operation names are checked too.
 */
export function parseScenario(text: string, source: string, operations: ReadonlySet<string>): ParsedScenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        source,
        line: e.linePos?.[0].line ?? lines.linePos(e.pos[0]).line,
        field: '',
        reason: e.message.split('\n')[0] ?? 'invalid YAML',
      })),
    };
  }
  const locate = locator(doc, lines);
  const problems: ScenarioProblem[] = [];
  const problem = (field: string, reason: string) => problems.push({ source, line: locate(field), field, reason });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // An alias bomb, say: refused as a problem of the text, not a failure of the simulator.
    problem('', (error as Error).message);
    return { ok: false, problems };
  }
  const shape = checkScenarioShape(data);
  if (!shape.ok) {
    for (const p of shape.problems) problem(p.field, p.reason);
    return { ok: false, problems };
  }
  const raw = shape.value;
  const steps = raw.steps.map((s, i) => stepOf(s, i, problem));
  steps.forEach((step, i) => {
    if (step && 'fault' in step.action) {
      step.action.fault.operations.forEach((op, j) => {
        if (op !== '*' && !operations.has(op)) {
          problem(
            `steps[${i}].${step.action.kind}.operations[${j}]`,
            `is not an operation; one of ${[...operations].join(', ')} or *`,
          );
        }
      });
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  const scenario: Scenario = { name: raw.name, description: raw.description, steps: steps as Step[] };
  if (raw.seed !== undefined) scenario.seed = String(raw.seed);
  if (raw.site !== undefined) scenario.site = raw.site;
  return { ok: true, scenario, locate };
}
