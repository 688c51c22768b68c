import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { SMALL_SITE_IDS as IDS, qps, smallSiteSimulator, XRFKEY } from '../support/sim.js';

describe('Xrfkey on the QPS API', () => {
  const cases: Array<[string, string, string | undefined, RegExp]> = [
    ['a missing parameter', '/qps/session', XRFKEY, /query parameter is missing/],
    ['a short parameter', '/qps/session?Xrfkey=abc', 'abc', /exactly 16 letters/],
    ['a parameter with other characters', '/qps/session?Xrfkey=abcdefgh1234567!', 'abcdefgh1234567!', /exactly 16/],
    ['a repeated parameter', `/qps/session?Xrfkey=${XRFKEY}&xrfkey=${XRFKEY}`, XRFKEY, /more than once/],
    ['a missing header', `/qps/session?Xrfkey=${XRFKEY}`, undefined, /header is missing/],
    ['a mismatched header', `/qps/session?Xrfkey=${XRFKEY}`, 'ABCDEFGH12345678', /does not equal/],
  ];
  for (const [name, path, header, rule] of cases) {
    test(`${name} is a 401 whose message names the rule`, async () => {
      const { app } = await smallSiteSimulator();
      const req = request(app).get(path);
      if (header !== undefined) req.set('X-Qlik-Xrfkey', header);
      const res = await req.expect(401);
      assert.match(res.headers['content-type'] ?? '', /^application\/json/);
      assert.deepEqual(Object.keys(res.body), ['message']);
      assert.match(res.body.message, /^Xrfkey check failed: /);
      assert.match(res.body.message, rule);
    });
  }

  test('the parameter name matches without case', async () => {
    const { app } = await smallSiteSimulator();
    await request(app).get(`/qps/session?XRFKEY=${XRFKEY}`).set('x-qlik-xrfkey', XRFKEY).expect(200);
  });

  test('every operation that declares the parameter checks it, on every proxy', async () => {
    const { app } = await smallSiteSimulator();
    for (const path of [
      '/qps/about',
      '/qps/about/description',
      '/hdr/qps/session',
      `/hdr/qps/session/${IDS.aliceHdr}`,
      '/qps/user/CORP/alice',
      '/qps/user/CORP/alice/session-count',
    ]) {
      const res = await request(app).get(path);
      assert.equal(res.status, 401, path);
    }
    await request(app).delete(`/hdr/qps/session/${IDS.aliceHdr}`).expect(401);
    await request(app).delete('/qps/user/CORP/alice').expect(401);
  });

  test('a refused delete changes nothing', async () => {
    const { app } = await smallSiteSimulator();
    await request(app).delete(`/hdr/qps/session/${IDS.aliceHdr}`).expect(401);
    await qps(app).get(`/hdr/qps/session/${IDS.aliceHdr}`).expect(200);
  });

  test('/qps/health needs no key', async () => {
    const { app } = await smallSiteSimulator();
    await request(app).get('/qps/health').expect(200);
    await request(app).get('/hdr/qps/health').expect(200);
  });
});
