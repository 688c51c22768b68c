import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createSimulator } from '../../src/simulator.js';
import { SESSION_EVENTS, SMALL_SITE_IDS as IDS, qps, smallSiteSimulator } from '../support/sim.js';

const ids = (body: Array<{ sessionId: string }>) => body.map((s) => s.sessionId);

describe('GET /qps/user/{userDirectory}/{userId}', () => {
  test('lists the user’s sessions on the proxy asked through', async () => {
    const { app } = await smallSiteSimulator();
    assert.deepEqual(ids((await qps(app).get('/qps/user/CORP/alice').expect(200)).body), [IDS.aliceDefault]);
    assert.deepEqual(ids((await qps(app).get('/hdr/qps/user/CORP/alice').expect(200)).body), [IDS.aliceHdr]);
  });

  test('matches the directory and the id without case', async () => {
    const { app } = await smallSiteSimulator();
    const res = await qps(app).get('/qps/user/corp/ALICE').expect(200);
    assert.deepEqual(ids(res.body), [IDS.aliceDefault]);
  });

  test('a known user without sessions is []; an unknown user is a 404 naming the user', async () => {
    const { app } = await smallSiteSimulator();
    assert.deepEqual((await qps(app).get('/qps/user/CORP/bob').expect(200)).body, []);
    assert.deepEqual((await qps(app).get('/hdr/qps/user/PARTNERS/carol').expect(200)).body, []);
    const res = await qps(app).get('/qps/user/CORP/mallory').expect(404);
    assert.match(res.body.message, /No user "mallory" in user directory "CORP"/);
  });

  test('decodes percent-encoded directories and ids', async () => {
    const sim = createSimulator({
      fixture: {
        users: [{ userDirectory: 'My Dir', userId: 'jürgen' }],
        sessions: [{ userDirectory: 'My Dir', userId: 'jürgen' }],
      },
    });
    const res = await qps(sim.app).get('/qps/user/My%20Dir/j%C3%BCrgen').expect(200);
    assert.equal(res.body.length, 1);
    assert.equal(res.body[0].userId, 'jürgen');
  });
});

describe('GET /qps/user/{userDirectory}/{userId}/session-count', () => {
  test('counts the user’s sessions on the proxy asked through', async () => {
    const { app } = await smallSiteSimulator();
    assert.deepEqual((await qps(app).get('/qps/user/CORP/alice/session-count').expect(200)).body, { value: 1 });
    assert.deepEqual((await qps(app).get('/hdr/qps/user/corp/Alice/session-count').expect(200)).body, { value: 1 });
    assert.deepEqual((await qps(app).get('/qps/user/CORP/bob/session-count').expect(200)).body, { value: 0 });
  });

  test('an unknown user is {value: 0}, not a 404', async () => {
    const { app } = await smallSiteSimulator();
    const res = await qps(app).get('/qps/user/NOPE/nobody/session-count').expect(200);
    assert.deepEqual(res.body, { value: 0 });
  });
});

describe('DELETE /qps/user/{userDirectory}/{userId}', () => {
  test('ends the user’s sessions on hdr and leaves those on the default proxy alone', async () => {
    const { app } = await smallSiteSimulator();
    await qps(app).delete('/hdr/qps/user/CORP/alice').expect(200);
    assert.deepEqual((await qps(app).get('/hdr/qps/user/CORP/alice/session-count').expect(200)).body, { value: 0 });
    assert.deepEqual((await qps(app).get('/hdr/qps/user/CORP/alice').expect(200)).body, []);
    assert.deepEqual((await qps(app).get('/qps/user/CORP/alice/session-count').expect(200)).body, { value: 1 });
    await qps(app).get(`/qps/session/${IDS.aliceDefault}`).expect(200);
    await qps(app).get(`/hdr/qps/session/${IDS.aliceHdr}`).expect(404);
  });

  test('get, delete and session-count read and change the same state as the session routes', async () => {
    const { app } = await smallSiteSimulator();
    await qps(app).delete(`/qps/session/${IDS.aliceDefault}`).expect(200);
    assert.deepEqual((await qps(app).get('/qps/user/CORP/alice').expect(200)).body, []);
    assert.deepEqual((await qps(app).get('/qps/user/CORP/alice/session-count').expect(200)).body, { value: 0 });
    await qps(app).delete('/qps/user/PARTNERS/carol').expect(200);
    assert.deepEqual((await qps(app).get('/qps/session').expect(200)).body, []);
  });

  test('records session.ended for each session (reason userDeleted), then user.loggedOut', async () => {
    const { app } = await smallSiteSimulator();
    await qps(app).delete('/qps/user/partners/CAROL').expect(200);
    const events = (await request(app).get('/__sim/events').expect(200)).body as Array<Record<string, unknown>>;
    assert.deepEqual(
      events.filter((e) => SESSION_EVENTS.has(e.type as string)).map((e) => [e.type, e.sessionId ?? null, e.reason]),
      [
        ['session.ended', IDS.carolDefault, 'userDeleted'],
        ['user.loggedOut', null, 'userDeleted'],
      ],
    );
  });

  test('a known user without sessions is 200; an unknown user is 404', async () => {
    const { app } = await smallSiteSimulator();
    await qps(app).delete('/qps/user/CORP/bob').expect(200);
    const res = await qps(app).delete('/qps/user/CORP/mallory').expect(404);
    assert.match(res.body.message, /mallory/);
  });
});
