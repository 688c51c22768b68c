import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { SMALL_SITE_IDS as IDS, qps, smallSiteSimulator, XRFKEY } from '../support/sim.js';

const PATHS = [
  '/qps/user/%E2%80%AE/%00',
  '/qps/user/%E2%80%AE/%00/session-count',
  '/qps/session/%ZZ',
  '/qps/session/%',
  '/qps/session/%C0%AF',
  '/qps/session/%ED%A0%80',
  '/qps/user/%ZZ/alice',
  '/qps/user/CORP/%FF%FE',
  '/qps/user/CORP/..%2F..%2Fetc%2Fpasswd',
  '/%ZZ/qps/session',
  '/%00/qps/session',
  '/hdr%2Fqps/qps/session',
  '/qps/%2e%2e/__sim/state',
  '/qps/session/\u{1F600}',
  `/qps/session/${'a'.repeat(6_000)}`,
  `/qps/user/${'%F0%9F%98%80'.repeat(500)}/x`,
  '/qps/user/CORP/alice%00',
  '/qps/user/__proto__/constructor',
  '/qps/user/constructor/prototype/session-count',
];

describe('hostile input on the QPS paths', () => {
  test('odd Unicode and percent-encoded junk in paths never give a 5xx, and errors say why', async () => {
    const { app } = await smallSiteSimulator();
    for (const path of PATHS) {
      for (const res of [await qps(app).get(path), await qps(app).delete(path), await request(app).get(path)]) {
        assert.ok(res.status < 500, `${res.status} for ${path.slice(0, 80)}: ${res.text.slice(0, 200)}`);
        if (res.status >= 400)
          assert.equal(typeof res.body.message, 'string', `${res.status} for ${path.slice(0, 80)}`);
      }
    }
    // Nothing was deleted on the way.
    assert.equal((await qps(app).get('/qps/session').expect(200)).body.length, 2);
  });

  test('an RLO directory and a NUL user id are an unknown user: 404', async () => {
    const { app } = await smallSiteSimulator();
    const res = await qps(app).get('/qps/user/%E2%80%AE/%00').expect(404);
    assert.match(res.body.message, /No user/);
    assert.deepEqual((await qps(app).get('/qps/user/%E2%80%AE/%00/session-count').expect(200)).body, { value: 0 });
  });

  test('an id that is not valid percent-encoding is a 404', async () => {
    const { app } = await smallSiteSimulator();
    await qps(app).get('/qps/session/%ZZ').expect(404);
    await qps(app).delete('/qps/session/%ZZ').expect(404);
  });

  test('odd query strings never give a 5xx', async () => {
    const { app } = await smallSiteSimulator();
    for (const query of [
      `?Xrfkey=${XRFKEY}&Xrfkey[a]=b`,
      `?Xrfkey[]=${XRFKEY}`,
      `?Xrfkey=%ZZ${XRFKEY}`,
      `?__proto__=${XRFKEY}&Xrfkey=${XRFKEY}`,
      `?${'a=1&'.repeat(2_000)}Xrfkey=${XRFKEY}`,
    ]) {
      const res = await request(app).get(`/qps/session${query}`).set('X-Qlik-Xrfkey', XRFKEY);
      assert.ok(res.status < 500, `${res.status} for ${query.slice(0, 60)}`);
    }
  });

  test('a malformed JSON body sent to a GET QPS endpoint is ignored', async () => {
    const { app } = await smallSiteSimulator();
    const res = await qps(app)
      .get('/qps/session')
      .set('Content-Type', 'application/json')
      .send('{"not": json')
      .expect(200);
    assert.equal(res.body.length, 2);
    await qps(app)
      .get(`/hdr/qps/session/${IDS.aliceHdr}`)
      .set('Content-Type', 'text/plain')
      .send('x'.repeat(200 * 1024))
      .expect(200);
  });

  test('a JSON body sent to a DELETE QPS endpoint is ignored', async () => {
    const { app } = await smallSiteSimulator();
    await qps(app)
      .delete(`/qps/session/${IDS.carolDefault}`)
      .set('Content-Type', 'application/json')
      .send('{"__proto__": {"polluted": true}}')
      .expect(200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a huge or odd Xrfkey header is a 401, not a 5xx', async () => {
    const { app } = await smallSiteSimulator();
    await request(app).get(`/qps/session?Xrfkey=${XRFKEY}`).set('X-Qlik-Xrfkey', 'x'.repeat(8_000)).expect(401);
    await request(app).get(`/qps/session?Xrfkey=${XRFKEY}`).set('X-Qlik-Xrfkey', `${XRFKEY} `).expect(200);
  });
});
