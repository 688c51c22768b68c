import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MINUTE, playBundled, type Api } from '../support/scenarios.js';

/** The error a request ends with, or undefined when it got an answer. */
const failureOf = (call: PromiseLike<unknown>) =>
  Promise.resolve(call).then(
    () => undefined,
    (error: Error & { code?: string }) => error,
  );

/** A session id of the default proxy that is live now. */
async function liveSession(api: Api): Promise<string> {
  const sessions = (await api.qps('get', '/qps/session').expect(200)).body as Array<{ sessionId: string }>;
  assert.ok(sessions.length > 0);
  return sessions[0]!.sessionId;
}

/** A well-formed session id that no session has: a 404 unless a fault answers first. */
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('scenarios/slow-proxy.yaml', () => {
  test('the first two calls of /about lose their connection; the third is answered', async () => {
    const { api } = await playBundled('slow-proxy');
    for (let i = 0; i < 2; i++) {
      const error = await failureOf(api.qps('get', '/qps/about'));
      assert.ok(error, 'the connection is dropped');
      assert.match(`${error.code} ${error.message}`, /ECONNRESET|socket hang up/);
    }
    await api.qps('get', '/qps/about').expect(200);
    const journal = await api.requests('getProxyAbout');
    assert.deepEqual(
      journal.map((e) => [e.status, e.shapedBy.map((s) => `${s.id}:${s.kind}`)]),
      [
        [0, ['step-1:dropConnection']],
        [0, ['step-1:dropConnection']],
        [200, []],
      ],
    );
    const rule = (await api.faults()).find((f) => f.id === 'step-1');
    assert.deepEqual([rule?.kind, rule?.firstCalls, rule?.calls], ['dropConnection', 2, 3]);
  });

  test('from 1 to 11 min session listings and load balancing are delayed, by steps 2 and 3', async () => {
    const { api } = await playBundled('slow-proxy');
    const app = (await api.apps())[0]!.id;
    await api.qps('get', '/qps/session').expect(200);
    await api.at(MINUTE);
    const rules = await api.faults();
    assert.deepEqual(
      rules.map((f) => [f.id, f.kind, f.latency ?? null]),
      [
        ['step-1', 'dropConnection', null],
        ['step-2', 'latency', { normalMs: { mean: 350, stddev: 120 } }],
        ['step-3', 'latency', { uniformMs: [100, 400] }],
      ],
    );
    await api.qps('get', '/qps/session').expect(200);
    await api.prioritize(app);
    await api.qps('get', '/qps/about/description').expect(200);
    await api.at(11 * MINUTE);
    await api.qps('get', '/qps/session').expect(200);
    const journal = (await api.requests()).map((e) => [
      e.operationId,
      e.status,
      e.shapedBy.map((s) => `${s.id}:${s.kind}`),
    ]);
    assert.deepEqual(journal, [
      ['getSessions', 200, []],
      ['getSessions', 200, ['step-2:latency']],
      ['prioritizeLoadBalancing', 200, ['step-3:latency']],
      ['getProxyApiDescription', 200, []],
      ['getSessions', 200, []],
    ]);
    const prioritize = (await api.requests('prioritizeLoadBalancing'))[0]!;
    assert.ok(prioritize.durationMs >= 95, `uniform 100 to 400 ms: took ${prioritize.durationMs} ms`);
    assert.deepEqual(
      (await api.faults()).map((f) => f.id),
      ['step-1'],
      'the latency rules end after 10 minutes',
    );
  });

  test('from 3 to 8 min about one session look-up in five fails with 503, the same ones on every run', async () => {
    const statuses = async () => {
      const { api } = await playBundled('slow-proxy');
      await api.at(3 * MINUTE - 1);
      const id = await liveSession(api);
      const calm: number[] = [];
      for (let i = 0; i < 5; i++) calm.push((await api.qps('get', `/qps/session/${id}`)).status);
      assert.deepEqual(calm, [200, 200, 200, 200, 200]);
      await api.at(3 * MINUTE);
      const seen: number[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await api.qps('get', `/qps/session/${id}`);
        if (res.status === 503) assert.equal(res.body.message, 'The proxy is busy; try again.');
        seen.push(res.status);
      }
      const journal = (await api.requests('getSession')).slice(-30);
      assert.deepEqual(
        journal.map((e) => e.status),
        seen,
      );
      for (const entry of journal) {
        const shaped = entry.shapedBy.map((s) => `${s.id}:${s.kind}`);
        assert.deepEqual(shaped, entry.status === 503 ? ['step-4:error'] : []);
      }
      await api.at(8 * MINUTE);
      for (let i = 0; i < 10; i++) await api.qps('get', `/qps/session/${UNKNOWN}`).expect(404);
      return seen;
    };
    const first = await statuses();
    const failed = first.filter((s) => s === 503).length;
    assert.ok(failed >= 2 && failed <= 12, `${failed} of 30 failed, about 20 %`);
    assert.ok(first.every((s) => s === 200 || s === 503));
    assert.deepEqual(await statuses(), first);
  });
});
