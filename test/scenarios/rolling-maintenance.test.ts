import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MINUTE, SECOND, playBundled } from '../support/scenarios.js';

describe('scenarios/rolling-maintenance.yaml', () => {
  test('each engine in turn is drained, restarted and back up; never more than one is out', async () => {
    const { api } = await playBundled('rolling-maintenance');
    const statuses = async () => (await api.engines()).map((e) => e.status);
    assert.deepEqual(await statuses(), ['up', 'up', 'up', 'up']);
    for (let i = 0; i < 4; i++) {
      const base = i * 10 * MINUTE;
      const only = (status: string) => ['up', 'up', 'up', 'up'].map((s, j) => (j === i ? status : s));
      await api.at(base + MINUTE - 1);
      assert.deepEqual(await statuses(), only('up'));
      await api.at(base + MINUTE);
      assert.deepEqual(await statuses(), only('draining'));
      await api.at(base + 6 * MINUTE - 1);
      assert.deepEqual(await statuses(), only('draining'));
      await api.at(base + 6 * MINUTE);
      assert.deepEqual(await statuses(), only('down'));
      await api.at(base + 8 * MINUTE - 1);
      assert.deepEqual(await statuses(), only('down'));
      await api.at(base + 8 * MINUTE);
      assert.deepEqual(await statuses(), only('up'));
    }
    const changes = await api.events({ type: 'engine.statusChanged' });
    assert.deepEqual(
      changes.map((e) => `${String(e.hostName).split('.')[0]} ${e.from}->${e.to}`),
      [1, 2, 3, 4].flatMap((n) => [
        `qlik-node-${n} up->draining`,
        `qlik-node-${n} draining->down`,
        `qlik-node-${n} down->up`,
      ]),
    );
    const progress = await api.progress();
    assert.equal(progress.done, 8);
    assert.equal(progress.next, null);
  });

  test('the proxy stays healthy and at most one engine is out of service, sampled every 30 s', async () => {
    const { api } = await playBundled('rolling-maintenance');
    for (let t = 0; t <= 40 * MINUTE; t += 30 * SECOND) {
      await api.at(t);
      const out = (await api.engines()).filter((e) => e.status !== 'up');
      assert.ok(out.length <= 1, `at ${t / SECOND} s: ${out.map((e) => e.hostName).join(', ')} out`);
      assert.equal(await api.health(), 200);
    }
    assert.equal((await api.state()).counts.enginesUp, 4);
  });

  test('a drained engine keeps its sessions but is left out of every ranking', async () => {
    const { api } = await playBundled('rolling-maintenance');
    const app = (await api.apps())[0]!.id;
    await api.at(11 * MINUTE - 1);
    const held = (await api.engines())[1]!.sessions;
    assert.ok(held > 0, 'engine 2 has sessions before its drain');
    await api.at(11 * MINUTE);
    const engine2 = (await api.engines())[1]!;
    assert.equal(engine2.status, 'draining');
    assert.equal(engine2.sessions, held, 'draining keeps the sessions');
    for (let i = 0; i < 4; i++) {
      const ranking = await api.prioritize(app);
      assert.equal(ranking.length, 3);
      assert.ok(!ranking.some((e) => e.engineId === engine2.id));
    }
    const [decision] = (await api.decisions()).slice(-1);
    assert.match(decision!.reason, /not eligible: qlik-node-2\S* \(draining\)/);
  });

  test('a restart closes the apps still open on the engine; the proxy sessions survive it', async () => {
    const { api } = await playBundled('rolling-maintenance');
    await api.at(16 * MINUTE - 1);
    const engine2 = (await api.engines())[1]!;
    const seq = await api.lastEventSeq();
    await api.at(16 * MINUTE);
    const closed = await api.events({ type: 'session.appsClosed', since: seq });
    assert.equal(closed.length, engine2.sessions);
    assert.ok(closed.length > 0);
    assert.ok(closed.every((e) => e.engineId === engine2.id && e.reason === 'engineDown'));
    const ended = await api.events({ type: 'session.ended', since: seq });
    assert.deepEqual(ended, [], 'no proxy session ends with the restart');
    await api.at(18 * MINUTE);
    const back = (await api.engines())[1]!;
    assert.deepEqual([back.status, back.sessions, back.apps.length], ['up', 0, 0], 'back up, empty');
  });
});
