import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { OptionsError } from '../../src/options.js';
import { createSimulator } from '../../src/simulator.js';
import { SMALL_SITE_IDS as IDS, qps, smallSiteSimulator, withXrfkey, XRFKEY } from '../support/sim.js';

const ids = (body: Array<{ sessionId: string }>) => body.map((s) => s.sessionId);

describe('routing to virtual proxies', () => {
  test('/qps/... and /hdr/qps/... serve their own proxy’s sessions', async () => {
    const { app } = await smallSiteSimulator();
    const main = await qps(app).get('/qps/session').expect(200);
    const hdr = await qps(app).get('/hdr/qps/session').expect(200);
    assert.deepEqual(ids(main.body), [IDS.aliceDefault, IDS.carolDefault]);
    assert.deepEqual(ids(hdr.body), [IDS.aliceHdr]);
    assert.match(main.headers['content-type'] ?? '', /^application\/json/);
  });

  test('a prefix with an inner slash is one virtual proxy', async () => {
    const { app } = createSimulator({ virtualProxies: ['team/a'], sessions: 60 });
    const res = await qps(app).get('/team/a/qps/session').expect(200);
    assert.ok(Array.isArray(res.body) && res.body.length > 0);
    const other = await qps(app).get('/team/qps/session').expect(404);
    assert.match(other.body.message, /"team"/);
  });

  test('an unknown prefix is a 404 JSON message naming the prefix and the known ones', async () => {
    const { app } = await smallSiteSimulator();
    const res = await qps(app).get('/nope/qps/session').expect(404);
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    assert.match(res.body.message, /"nope"/);
    assert.match(res.body.message, /\(default\), "hdr"/);
  });

  test('an unknown path is a 404 JSON message, inside and outside /qps', async () => {
    const { app } = await smallSiteSimulator();
    for (const path of ['/qps/nothing', '/hdr/qps/session/a/b', '/nothing', '/', '/qpsx/session']) {
      const res = await qps(app).get(path);
      assert.equal(res.status, 404, path);
      assert.equal(typeof res.body.message, 'string', path);
    }
  });

  test('a wrong method on a known path is 405 with an Allow header', async () => {
    const { app } = await smallSiteSimulator();
    const post = await request(app).post(withXrfkey('/qps/session')).set('X-Qlik-Xrfkey', XRFKEY).expect(405);
    assert.equal(post.headers.allow, 'GET');
    assert.match(post.body.message, /POST is not allowed on \/qps\/session/);
    const put = await request(app)
      .put(withXrfkey(`/hdr/qps/session/${IDS.aliceHdr}`))
      .set('X-Qlik-Xrfkey', XRFKEY)
      .expect(405);
    assert.deepEqual(put.headers.allow?.split(/,\s*/).sort(), ['DELETE', 'GET']);
  });

  test('a wrong method on a control path is 405 with an Allow header too', async () => {
    const { app } = await smallSiteSimulator();
    const res = await request(app).get('/__sim/reset').expect(405);
    assert.equal(res.headers.allow, 'POST');
  });

  test('a trailing slash and other query parameters do not change the route', async () => {
    const { app } = await smallSiteSimulator();
    const res = await qps(app).get('/hdr/qps/session/?foo=bar').expect(200);
    assert.deepEqual(ids(res.body), [IDS.aliceHdr]);
  });

  test('with control: false, /__sim is a 404 and the QPS API still works', async () => {
    const { app } = await smallSiteSimulator({ control: false });
    for (const path of ['/__sim/state', '/__sim/events', '/__sim/clock']) {
      const res = await request(app).get(path).expect(404);
      assert.equal(typeof res.body.message, 'string');
    }
    await request(app).post('/__sim/reset').expect(404);
    await qps(app).get('/qps/session').expect(200);
  });

  test('the endpoint list names the paths of the proxy it was asked through', async () => {
    const { app } = await smallSiteSimulator();
    const res = await qps(app).get('/hdr/qps/about/description').expect(200);
    const paths = (res.body as Array<{ method: string; path: string }>).map((e) => `${e.method} ${e.path}`);
    assert.ok(paths.includes('GET /hdr/qps/session/{id}'), paths.join('\n'));
    assert.ok(paths.every((p) => / \/hdr\/qps\//.test(p)));
  });

  test('a virtual proxy named __sim is reachable, or refused at start', async () => {
    // The control API is mounted at /__sim: a proxy of that name must not be silently shadowed.
    let sim;
    try {
      sim = createSimulator({ virtualProxies: ['__sim'] });
    } catch (error) {
      assert.ok(error instanceof OptionsError, String(error));
      return;
    }
    await qps(sim.app).get('/__sim/qps/session').expect(200);
  });

  test('HEAD on a GET operation answers its status and headers without a body', async () => {
    const { app } = await smallSiteSimulator();
    const get = await qps(app).get('/qps/session').expect(200);
    const head = await request(app).head(withXrfkey('/qps/session')).set('X-Qlik-Xrfkey', XRFKEY).expect(200);
    assert.equal(head.headers['content-length'], get.headers['content-length']);
    assert.deepEqual(head.body, {});
    assert.equal(head.text, undefined);
  });

  test('paths match without regard to case, and a percent-encoded id is decoded', async () => {
    const { app } = await smallSiteSimulator();
    await qps(app).get('/QPS/Session').expect(200);
    await qps(app).get('/hdr/QPS/SESSION/').expect(200);
    const encoded = encodeURIComponent(IDS.aliceDefault).replace(/-/g, '%2D');
    assert.equal((await qps(app).get(`/qps/session/${encoded}`).expect(200)).body.sessionId, IDS.aliceDefault);
    const bad = await qps(app).get('/qps/session/%E0%A4%A').expect(404);
    assert.match(bad.body.message, /GET \/qps\/session\/%E0%A4%A/);
  });

  test('a site without a default virtual proxy answers /qps/... with a 404 naming its proxies', async () => {
    const { app } = createSimulator({
      fixture: { users: [{ userDirectory: 'CORP', userId: 'ann' }], virtualProxies: [{ prefix: 'only' }] },
    });
    const res = await qps(app).get('/qps/about').expect(404);
    assert.match(res.body.message, /"only"/);
    await qps(app).get('/only/qps/about').expect(200);
  });
});
