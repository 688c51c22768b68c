import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHttpOperationsFromSpec } from '@stoplight/prism-http';
import { validateOutput } from '@stoplight/prism-http/dist/validator/index.js';
import type { IHttpOperation, IHttpOperationResponse } from '@stoplight/types';

/** What `check` needs of a response: a supertest Response fits, and so does a hand-made one. */
export interface ResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body ('' or absent when there is none). */
  text?: string;
  /** Used only when `text` is absent. */
  body?: unknown;
  /** For messages: supertest's request (method and URL). */
  request?: { method?: string; url?: string };
}

/** A (operation, status) pair left out of coverage on purpose; `status` absent means every status. */
export interface Exclusion {
  operationId: string;
  status?: string;
  reason: string;
}

export interface Contract {
  /** The document's path relative to the project root, as given to loadContract. */
  readonly document: string;
  readonly operations: readonly IHttpOperation[];
  operation(operationId: string): IHttpOperation;
  /** The response codes the document declares for an operation, as written ('200', '4XX', 'default'). */
  declaredStatuses(operationId: string): string[];
  /**
   * Validates a response of `operationId` against the document with Prism (any diagnostic, error or
   * warning, fails), checks its status is declared (and is `expected`, when given), that a response
   * declared without content has no body, and records the (operation, status) pair for coverage.
   * Returns the response, for chaining.
   */
  check<T extends ResponseLike>(operationId: string, response: T, expected?: number): T;
  /** The declared (operation, code) pairs no check has reached, as `operationId code`, minus exclusions. */
  uncovered(exclusions?: readonly Exclusion[]): string[];
  /** Fails unless every declared (operation, code) pair was checked, and every exclusion is still needed. */
  assertCovered(exclusions?: readonly Exclusion[]): void;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEVERITY = ['error', 'warning', 'information', 'hint'];
const loaded = new Map<string, Promise<IHttpOperation[]>>();

/** Parses a document once per process (each contract keeps its own coverage record). */
function operationsOf(document: string): Promise<IHttpOperation[]> {
  const path = resolve(ROOT, document);
  let operations = loaded.get(path);
  if (!operations) loaded.set(path, (operations = getHttpOperationsFromSpec(path)));
  return operations;
}

/** The response a status falls under: the exact code first, then `4XX`-style ranges, then `default`. */
function responseFor(operation: IHttpOperation, status: number): IHttpOperationResponse | undefined {
  const matches = (code: string) => new RegExp(`^${code.replace(/X/gi, '\\d')}$`).test(String(status));
  const responses = operation.responses;
  return (
    responses.find((r) => r.code === String(status)) ??
    responses.find((r) => r.code !== 'default' && matches(r.code)) ??
    responses.find((r) => r.code === 'default')
  );
}

const headerOf = (response: ResponseLike, name: string): string | undefined => {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
};

const rawBodyOf = (response: ResponseLike): string => {
  if (response.text !== undefined) return response.text;
  if (response.body === undefined || response.body === null) return '';
  return typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
};

const isJson = (contentType: string | undefined) => /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType ?? '');

/** The body as Prism should see it: parsed JSON for a JSON type, the text otherwise, undefined when empty. */
function bodyOf(response: ResponseLike, problems: string[]): unknown {
  const raw = rawBodyOf(response);
  if (raw === '') return undefined;
  if (!isJson(headerOf(response, 'content-type'))) return raw;
  try {
    return JSON.parse(raw);
  } catch (error) {
    problems.push(`the body is labelled JSON but does not parse: ${(error as Error).message}`);
    return raw;
  }
}

const shorten = (text: string, max = 600) =>
  text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;

export async function loadContract(document: string): Promise<Contract> {
  const operations = await operationsOf(document);
  const byId = new Map<string, IHttpOperation>();
  for (const operation of operations) {
    const id = operation.iid;
    if (!id) throw new Error(`${document}: ${operation.method.toUpperCase()} ${operation.path} has no operationId`);
    if (byId.has(id)) throw new Error(`${document}: operationId ${id} is used twice`);
    byId.set(id, operation);
  }
  // operationId -> the declared codes a checked response fell under.
  const covered = new Map<string, Set<string>>();

  const operation = (operationId: string): IHttpOperation => {
    const found = byId.get(operationId);
    if (!found) throw new Error(`${document} has no operation ${operationId}; it has ${[...byId.keys()].join(', ')}`);
    return found;
  };
  const declaredStatuses = (operationId: string) => operation(operationId).responses.map((r) => r.code);

  function check<T extends ResponseLike>(operationId: string, response: T, expected?: number): T {
    const op = operation(operationId);
    const where = `${operationId} (${response.request?.method ?? op.method.toUpperCase()} ${response.request?.url ?? op.path})`;
    const raw = rawBodyOf(response);
    const context = () =>
      `\n  content-type: ${headerOf(response, 'content-type') ?? '(none)'}\n  body: ${shorten(raw) || '(empty)'}`;
    if (expected !== undefined) {
      assert.equal(response.status, expected, `${where} answered ${response.status}, expected ${expected}${context()}`);
    }
    const declared = responseFor(op, response.status);
    assert.ok(
      declared,
      `${where} answered ${response.status}, which ${document} does not declare (it declares ${declaredStatuses(operationId).join(', ')})${context()}`,
    );
    let codes = covered.get(operationId);
    if (!codes) covered.set(operationId, (codes = new Set()));
    codes.add(declared.code);

    const problems: string[] = [];
    const body = bodyOf(response, problems);
    const headers = Object.fromEntries(
      Object.keys(response.headers).flatMap((name) => {
        const value = headerOf(response, name);
        return value === undefined ? [] : [[name.toLowerCase(), value]];
      }),
    );
    const result = validateOutput({ resource: op, element: { statusCode: response.status, headers, body } });
    if (result._tag === 'Left') {
      for (const d of result.left) {
        const path = d.path?.length ? `${d.path.join('.')}: ` : '';
        problems.push(`[${SEVERITY[d.severity] ?? d.severity}] ${path}${d.message}`);
      }
    }
    // Prism does not look at a body the document does not describe: a response declared without
    // content must have none, or clients generated from the document would silently drop it.
    if (!declared.contents?.length && raw !== '') {
      problems.push(`${document} declares no body for ${declared.code}, but the response has one`);
    }
    assert.ok(
      problems.length === 0,
      `${where} answered ${response.status}, not as ${document} says:\n  - ${problems.join('\n  - ')}${context()}`,
    );
    return response;
  }

  function uncovered(exclusions: readonly Exclusion[] = []): string[] {
    const excluded = (operationId: string, code: string) =>
      exclusions.some((e) => e.operationId === operationId && (e.status === undefined || e.status === code));
    return [...byId.keys()].flatMap((operationId) =>
      declaredStatuses(operationId)
        .filter((code) => !covered.get(operationId)?.has(code) && !excluded(operationId, code))
        .map((code) => `${operationId} ${code}`),
    );
  }

  function assertCovered(exclusions: readonly Exclusion[] = []): void {
    for (const e of exclusions) {
      assert.ok(e.reason.trim(), `the exclusion of ${e.operationId} ${e.status ?? ''} needs a reason`);
      const codes = declaredStatuses(e.operationId);
      assert.ok(
        e.status === undefined || codes.includes(e.status),
        `${e.operationId} declares no ${e.status} in ${document} (it declares ${codes.join(', ')}): drop the exclusion`,
      );
      const checked = [...(covered.get(e.operationId) ?? [])].filter((c) => e.status === undefined || c === e.status);
      assert.deepEqual(
        checked,
        [],
        `${e.operationId} ${e.status ?? ''} is excluded (${e.reason}) but was checked: drop the exclusion`,
      );
    }
    const missing = uncovered(exclusions);
    assert.deepEqual(missing, [], `declared in ${document} but never checked:\n  ${missing.join('\n  ')}`);
  }

  return { document, operations, operation, declaredStatuses, check, uncovered, assertCovered };
}
