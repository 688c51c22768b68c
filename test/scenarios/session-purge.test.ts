import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MINUTE, playBundled, type Api } from '../support/scenarios.js';

const qpsPath = (proxy: unknown, path: string) => (proxy === '' ? `/qps${path}` : `/${String(proxy)}/qps${path}`);

/** The sessions a step dropped: `session.ended` events with reason `dropped` and the step's note. */
async function droppedSince(api: Api, since: number, note: string) {
  const ended = await api.events({ type: 'session.ended', since });
  return ended.filter((e) => e.reason === 'dropped' && e.note === note);
}

describe('scenarios/session-purge.yaml', () => {
  test('at 2 min about 30 % of all sessions are dropped, with the reason as a note; they are gone', async () => {
    const { api } = await playBundled('session-purge');
    await api.at(2 * MINUTE - 1);
    const before = (await api.state()).counts.sessions as number;
    const seq = await api.lastEventSeq();
    await api.at(2 * MINUTE);
    const dropped = await droppedSince(api, seq, 'proxy session store out of sync');
    assert.ok(before >= 20, `a busy site (${before} sessions)`);
    assert.ok(
      dropped.length >= before * 0.15 && dropped.length <= before * 0.45,
      `${dropped.length} of ${before} dropped, about 30 %`,
    );
    assert.equal((await api.state()).counts.sessions, before - dropped.length);
    for (const event of dropped.slice(0, 5)) {
      await api.qps('get', qpsPath(event.proxy, `/session/${String(event.sessionId)}`)).expect(404);
    }
    const steps = await api.events({ type: 'scenario.step', since: seq });
    assert.deepEqual(
      steps.map((e) => [e.step, e.kind]),
      [[1, 'dropSessions']],
    );
  });

  test('the same seed drops the same sessions', async () => {
    const ids = async () => {
      const { api } = await playBundled('session-purge');
      await api.at(2 * MINUTE);
      return (await droppedSince(api, 0, 'proxy session store out of sync')).map((e) => e.sessionId);
    };
    const first = await ids();
    assert.ok(first.length > 0);
    assert.deepEqual(await ids(), first);
  });

  test('at 5 min every session with an app open on engine 2 is dropped; other engines keep sessions', async () => {
    const { api } = await playBundled('session-purge');
    await api.at(5 * MINUTE - 1);
    const before = await api.engines();
    const onEngine2 = before[1]!.sessions;
    assert.ok(onEngine2 > 0, 'engine 2 has sessions before the purge');
    const seq = await api.lastEventSeq();
    await api.at(5 * MINUTE);
    const dropped = await droppedSince(api, seq, 'engine 2 sessions recycled by an administrator');
    assert.equal(dropped.length, onEngine2);
    const after = await api.engines();
    assert.equal(after[1]!.sessions, 0);
    assert.equal(after[1]!.status, 'up', 'the engine itself stays up');
    assert.ok(after.filter((_, i) => i !== 1).every((e) => e.sessions > 0));
  });

  test('at 8 min exactly 5 sessions of the hdr proxy are killed', async () => {
    const { api } = await playBundled('session-purge');
    await api.at(8 * MINUTE - 1);
    const before = (await api.state()).counts.sessionsByProxy;
    const hdrSessions = (await api.qps('get', '/hdr/qps/session').expect(200)).body as Array<{ sessionId: string }>;
    assert.equal(hdrSessions.length, before.hdr);
    assert.ok(before.hdr >= 5);
    const seq = await api.lastEventSeq();
    await api.at(8 * MINUTE);
    const dropped = await droppedSince(api, seq, 'killed from the QMC');
    assert.equal(dropped.length, 5);
    assert.ok(dropped.every((e) => e.proxy === 'hdr'));
    const after = (await api.state()).counts.sessionsByProxy;
    assert.deepEqual(after, { '': before[''], hdr: before.hdr - 5 });
    const left = (await api.qps('get', '/hdr/qps/session').expect(200)).body as Array<{ sessionId: string }>;
    assert.equal(left.length, before.hdr - 5);
    const progress = await api.progress();
    assert.deepEqual(
      progress.steps.map((s) => [s.state, s.runs]),
      [
        ['done', 1],
        ['done', 1],
        ['done', 1],
      ],
    );
  });
});
