import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadContract, type ResponseLike } from '../support/contract.js';

// The contract suites are only as good as the harness: these make sure it rejects what it must.

const JSON_TYPE = 'application/json; charset=utf-8';
const SESSION = {
  sessionId: '0b6f6a52-5d3e-4c71-9a8e-2f4d1c0e7b93',
  userDirectory: 'CORP',
  userId: 'alice',
  userName: 'Alice',
  sessionStart: '2026-01-05T09:00:00.000Z',
  lastActive: '2026-01-05T09:00:00.000Z',
  attributes: [{ name: 'group', values: ['IT'] }],
};

const json = (status: number, body: unknown): ResponseLike => ({
  status,
  headers: { 'content-type': JSON_TYPE },
  text: JSON.stringify(body),
});

const WRONG_TYPE: Record<string, unknown> = {
  object: [],
  array: {},
  string: 42,
  integer: 'x',
  number: 'x',
  boolean: 1,
};

describe('the contract harness', () => {
  test('passes a response as the document describes it, and returns it', async () => {
    const contract = await loadContract('src/openapi/seed.yaml');
    const response = json(200, SESSION);
    assert.equal(contract.check('getSession', response, 200), response);
    contract.check('deleteSession', { status: 200, headers: {}, text: '' });
    assert.deepEqual(contract.declaredStatuses('getSession').sort(), ['200', '401', '404']);
  });

  test('fails a body that breaks the schema, naming each problem', async () => {
    const contract = await loadContract('src/openapi/seed.yaml');
    assert.throws(
      () => contract.check('getSession', json(200, { ...SESSION, sessionId: 'nope', attributes: {} })),
      (error: Error) => /body\.sessionId/.test(error.message) && /body\.attributes/.test(error.message),
    );
    assert.throws(() => contract.check('getSessions', json(200, SESSION)), /must be array/);
    assert.throws(() => contract.check('getUserSessionCount', json(200, { value: 1.5 })), /must be integer/);
  });

  test('fails an undeclared status, an unexpected one, and a mismatched media type', async () => {
    const contract = await loadContract('src/openapi/seed.yaml');
    assert.throws(() => contract.check('getSession', json(500, { message: 'x' })), /does not declare/);
    assert.throws(() => contract.check('getSession', json(418, { message: 'x' })), /does not declare/);
    assert.throws(() => contract.check('getSession', json(404, { message: 'x' }), 401), /expected 401/);
    assert.throws(
      () => contract.check('getSession', { status: 200, headers: {}, text: JSON.stringify(SESSION) }),
      /media type/,
    );
    assert.throws(
      () => contract.check('getSession', { status: 404, headers: { 'content-type': 'text/plain' }, text: 'gone' }),
      /media type/,
    );
  });

  test('fails a body on a response declared without one, and JSON that does not parse', async () => {
    const contract = await loadContract('src/openapi/seed.yaml');
    assert.throws(() => contract.check('deleteSession', json(200, { ok: true })), /declares no body/);
    const broken = { status: 200, headers: { 'content-type': JSON_TYPE }, text: '{"sessionId":' };
    assert.throws(() => contract.check('getSession', broken), /does not parse/);
  });

  test('knows only the operations of its document', async () => {
    const contract = await loadContract('src/openapi/seed.yaml');
    assert.throws(() => contract.check('getState', json(200, {})), /has no operation getState/);
  });

  for (const document of ['src/openapi/seed.yaml', 'src/openapi/control.yaml']) {
    // Prism skips validation without a word when a schema does not compile: prove each one bites.
    test(`every response schema of ${document} rejects a value of the wrong type`, async () => {
      const contract = await loadContract(document);
      let checked = 0;
      for (const op of contract.operations) {
        for (const response of op.responses) {
          const content = response.contents?.[0];
          const type = (content?.schema as { type?: unknown } | undefined)?.type;
          // A body of another media type reaches the validator as text: only JSON bodies can be of a wrong type.
          if (!content || !/json/.test(content.mediaType) || typeof type !== 'string') continue;
          if (!/^\d{3}$/.test(response.code)) continue;
          const wrong: ResponseLike = {
            status: Number(response.code),
            headers: { 'content-type': content.mediaType },
            text:
              typeof WRONG_TYPE[type] === 'string' ? (WRONG_TYPE[type] as string) : JSON.stringify(WRONG_TYPE[type]),
          };
          assert.throws(
            () => contract.check(op.iid as string, wrong),
            `${op.iid} ${response.code} rejects ${wrong.text}`,
          );
          checked += 1;
        }
      }
      assert.ok(checked > 0);
    });
  }

  test('coverage: lists what was not checked, and rejects exclusions that are wrong or stale', async () => {
    const contract = await loadContract('src/openapi/seed.yaml');
    contract.check('getSession', json(200, SESSION));
    contract.check('getSession', json(404, { message: 'gone' }));
    const missing = contract.uncovered();
    assert.ok(missing.includes('getSession 401'));
    assert.ok(!missing.includes('getSession 200') && !missing.includes('getSession 404'));
    assert.ok(!contract.uncovered([{ operationId: 'getProxyHealth', reason: 'r' }]).some((m) => /Health/.test(m)));
    assert.throws(() => contract.assertCovered(), /never checked:[\s\S]*getSession 401/);
    assert.throws(
      () => contract.assertCovered([{ operationId: 'getSession', status: '200', reason: 'r' }]),
      /was checked: drop the exclusion/,
    );
    assert.throws(
      () => contract.assertCovered([{ operationId: 'getSession', status: '503', reason: 'r' }]),
      /declares no 503/,
    );
    assert.throws(() => contract.assertCovered([{ operationId: 'nope', reason: 'r' }]), /has no operation nope/);
  });

  test('each contract keeps its own coverage record', async () => {
    const one = await loadContract('src/openapi/seed.yaml');
    const two = await loadContract('src/openapi/seed.yaml');
    one.check('getSession', json(200, SESSION));
    assert.ok(!one.uncovered().includes('getSession 200'));
    assert.ok(two.uncovered().includes('getSession 200'));
  });
});
