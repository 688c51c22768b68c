import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type DocumentName = 'seed' | 'qlik' | 'control';

export interface Operation {
  operationId: string;
  method: string;
  /** As written in the document, e.g. `/session/{id}`. */
  path: string;
  summary: string;
  description: string;
  /** Whether the operation takes the Xrfkey query parameter. */
  xrfkey: boolean;
  requestSchema: object | undefined;
  /** The request body may be YAML text (application/yaml). */
  acceptsYaml: boolean;
  /** Statuses the operation declares without a body. */
  bodilessStatuses: number[];
  /** The largest request body it takes (`x-qps-sim-body-limit`; the default otherwise). */
  bodyLimit: string | undefined;
  /** Where a dialect serves it (`x-qps-sim-area`): backend, personal, front, module, engine. */
  area: string;
}

export interface OpenApiDocument {
  name: DocumentName;
  /** The YAML as shipped, served as is (read when first asked for). */
  readonly text: string;
  spec: Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> };
  operations: Operation[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const cache = new Map<DocumentName, OpenApiDocument>();

function resolveRef(spec: Record<string, unknown>, value: unknown): Record<string, unknown> {
  const node = value as Record<string, unknown>;
  const ref = node?.$ref;
  if (typeof ref !== 'string') return node;
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Record<string, unknown>>((at, key) => at[key] as Record<string, unknown>, spec);
}

/** Inlines local `$ref`s so a schema can be compiled on its own. */
export function inlineRefs(spec: Record<string, unknown>, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => inlineRefs(spec, v));
  if (value === null || typeof value !== 'object') return value;
  const node = resolveRef(spec, value);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineRefs(spec, v)]));
}

function operationsOf(spec: OpenApiDocument['spec']): Operation[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => {
      const op = item[method] as Record<string, unknown>;
      const params = ((op.parameters as unknown[]) ?? []).map((p) => resolveRef(spec, p));
      const body = resolveRef(spec, op.requestBody) as { content?: Record<string, { schema?: unknown }> } | undefined;
      const schema = body?.content?.['application/json']?.schema;
      const responses = Object.entries((op.responses as Record<string, unknown>) ?? {});
      return {
        operationId: String(op.operationId),
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? ''),
        description: String(op.description ?? op.summary ?? '').trim(),
        xrfkey: params.some((p) => p.in === 'query' && String(p.name).toLowerCase() === 'xrfkey'),
        requestSchema: schema === undefined ? undefined : (inlineRefs(spec, schema) as object),
        acceptsYaml: body?.content?.['application/yaml'] !== undefined,
        area: String(op['x-qps-sim-area'] ?? 'backend'),
        bodyLimit: op['x-qps-sim-body-limit'] === undefined ? undefined : String(op['x-qps-sim-body-limit']),
        bodilessStatuses: responses
          .filter(([, response]) => (resolveRef(spec, response) as { content?: unknown }).content === undefined)
          .map(([status]) => Number(status)),
      };
    }),
  );
}

/** Every operationId a fault or a scenario may name: those of both dialects. */
export function knownOperations(): ReadonlySet<string> {
  return new Set([...loadDocument('seed').operations, ...loadDocument('qlik').operations].map((op) => op.operationId));
}

/** The parsed document: built code has it as JSON beside the YAML (parsing YAML costs start-up time). */
function readSpec(name: DocumentName): OpenApiDocument['spec'] {
  try {
    return JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as OpenApiDocument['spec'];
  } catch {
    return parse(readFileSync(new URL(`./${name}.yaml`, import.meta.url), 'utf8')) as OpenApiDocument['spec'];
  }
}

/** Reads and parses a bundled OpenAPI document once per process (it never changes). */
export function loadDocument(name: DocumentName): OpenApiDocument {
  let doc = cache.get(name);
  if (!doc) {
    const spec = readSpec(name);
    let text: string | undefined;
    doc = {
      name,
      get text() {
        return (text ??= readFileSync(new URL(`./${name}.yaml`, import.meta.url), 'utf8'));
      },
      spec,
      operations: operationsOf(spec),
    };
    cache.set(name, doc);
  }
  return doc;
}
