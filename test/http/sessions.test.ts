import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Simulator } from '../../src/simulator.js';
import { MINUTE, SESSION_EVENTS, SMALL_SITE_IDS as IDS, qps, smallSiteSimulator } from '../support/sim.js';

const iso = (ms: number) => new Date(ms).toISOString();
const ids = (body: Array<{ sessionId: string }>) => body.map((s) => s.sessionId);

/** The session and user events GET /__sim/events shows. */
async function eventsOf(sim: Simulator, query = '') {
  const res = await request(sim.app).get(`/__sim/events${query}`).expect(200);
  return (res.body as Array<Record<string, unknown>>).filter((e) => SESSION_EVENTS.has(e.type as string));
}

describe('GET /qps/session and /qps/session/{id}', () => {
  test('a session in the seed contract’s shape', async () => {
    const sim = await smallSiteSimulator();
    const start = sim.clock.now();
    const res = await qps(sim.app).get(`/qps/session/${IDS.aliceDefault}`).expect(200);
    assert.deepEqual(res.body, {
      sessionId: IDS.aliceDefault,
      userDirectory: 'CORP',
      userId: 'alice',
      userName: 'Alice Admin',
      sessionStart: iso(start - 45 * MINUTE),
      lastActive: iso(start - 5 * MINUTE),
      attributes: [
        { name: 'email', values: ['alice@corp.example'] },
        { name: 'group', values: ['IT', 'Sales'] },
        { name: 'role', values: ['ContentAdmin'] },
      ],
    });
    const list = await qps(sim.app).get('/qps/session').expect(200);
    assert.deepEqual(list.body[0], res.body);
  });

  test('the id matches without case', async () => {
    const sim = await smallSiteSimulator();
    const res = await qps(sim.app).get(`/hdr/qps/session/${IDS.aliceHdr.toUpperCase()}`).expect(200);
    assert.equal(res.body.sessionId, IDS.aliceHdr);
  });

  test('another proxy’s session, an unknown id and a malformed id are 404 with a message', async () => {
    const sim = await smallSiteSimulator();
    const other = await qps(sim.app).get(`/qps/session/${IDS.aliceHdr}`).expect(404);
    assert.match(other.body.message, new RegExp(`No session with id "${IDS.aliceHdr}" on virtual proxy \\(default\\)`));
    const unknown = await qps(sim.app).get('/hdr/qps/session/99999999-9999-4999-8999-999999999999').expect(404);
    assert.match(unknown.body.message, /on virtual proxy "hdr"/);
    const malformed = await qps(sim.app).get('/qps/session/not-a-session').expect(404);
    assert.match(malformed.body.message, /session ids are UUIDs/);
  });
});

describe('DELETE /qps/session/{id}', () => {
  test('ends the session: 200, then gone from get and list', async () => {
    const sim = await smallSiteSimulator();
    await qps(sim.app).get('/qps/session').expect(200); // the list is cached before the change
    const res = await qps(sim.app).delete(`/qps/session/${IDS.carolDefault}`).expect(200);
    assert.equal(res.text, '');
    await qps(sim.app).get(`/qps/session/${IDS.carolDefault}`).expect(404);
    const list = await qps(sim.app).get('/qps/session').expect(200);
    assert.deepEqual(ids(list.body), [IDS.aliceDefault]);
    await qps(sim.app).delete(`/qps/session/${IDS.carolDefault}`).expect(404);
  });

  test('the user’s last session on the proxy: session.ended then user.loggedOut', async () => {
    const sim = await smallSiteSimulator();
    await qps(sim.app).delete(`/qps/session/${IDS.carolDefault}`).expect(200);
    const events = await eventsOf(sim);
    const seq = sim.world.events.lastSeq;
    assert.deepEqual(events, [
      {
        seq: seq - 1,
        at: iso(sim.clock.now()),
        type: 'session.ended',
        sessionId: IDS.carolDefault,
        proxy: '',
        userDirectory: 'PARTNERS',
        userId: 'carol',
        reason: 'deleted',
      },
      {
        seq,
        at: iso(sim.clock.now()),
        type: 'user.loggedOut',
        proxy: '',
        userDirectory: 'PARTNERS',
        userId: 'carol',
        reason: 'deleted',
      },
    ]);
  });

  test('not the user’s last session on the proxy: session.ended only', async () => {
    const sim = await smallSiteSimulator();
    const carol = sim.world.findUser('PARTNERS', 'carol');
    assert.ok(carol);
    const second = '55555555-5555-4555-8555-555555555555';
    sim.world.startSession({ id: second, proxy: '', user: carol, start: sim.clock.now(), lastActive: sim.clock.now() });
    await qps(sim.app).delete(`/qps/session/${IDS.carolDefault}`).expect(200);
    assert.deepEqual(
      (await eventsOf(sim)).map((e) => e.type),
      ['session.ended'],
    );
    await qps(sim.app).delete(`/qps/session/${second}`).expect(200);
    assert.deepEqual(
      (await eventsOf(sim)).map((e) => e.type),
      ['session.ended', 'session.ended', 'user.loggedOut'],
    );
  });

  test('through another proxy it is a 404 and the session stays', async () => {
    const sim = await smallSiteSimulator();
    await qps(sim.app).delete(`/hdr/qps/session/${IDS.aliceDefault}`).expect(404);
    await qps(sim.app).get(`/qps/session/${IDS.aliceDefault}`).expect(200);
    assert.deepEqual(await eventsOf(sim), []);
  });
});

describe('session timeout on the simulated clock', () => {
  test('a session times out at lastActive + its proxy’s timeout, moved by POST /__sim/clock/advance', async () => {
    const sim = await smallSiteSimulator();
    const advance = (ms: number) => request(sim.app).post('/__sim/clock/advance').send({ ms }).expect(200);
    await advance(10 * MINUTE - 1);
    await qps(sim.app).get(`/hdr/qps/session/${IDS.aliceHdr}`).expect(200);
    await advance(1);
    await qps(sim.app).get(`/hdr/qps/session/${IDS.aliceHdr}`).expect(404);
    const hdr = await qps(sim.app).get('/hdr/qps/session').expect(200);
    assert.deepEqual(hdr.body, []);
    const ended = (await eventsOf(sim, '?type=session.ended')).find((e) => e.sessionId === IDS.aliceHdr);
    assert.equal(ended?.reason, 'timeout');
    assert.equal(ended?.at, iso(sim.options.startTime + 10 * MINUTE));
    // The default proxy's 30 minutes keep alice's other session until +25 min.
    await qps(sim.app).get(`/qps/session/${IDS.aliceDefault}`).expect(200);
  });
});
