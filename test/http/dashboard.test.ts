import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import request from 'supertest';
import { createSimulator } from '../../src/index.js';

const UPLOT = new URL('../../node_modules/uplot/dist/', import.meta.url);

/** The addresses a page or module asks for: src and href attributes, and relative module imports. */
function referencesOf(text: string, base: string): string[] {
  const attributes = [...text.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  const imports = [...text.matchAll(/\bfrom '(\.[^']+)'/g)].map((m) => m[1]!);
  return [...attributes, ...imports]
    .filter((ref) => !ref.startsWith('data:'))
    .map((ref) => new URL(ref, `http://sim${base}`).pathname);
}

describe('the dashboard (GET /__sim/ui)', () => {
  test('serves the page and every file it loads, from qps-sim itself (no CDN), with their types', async () => {
    const { app } = createSimulator({ seed: 'dashboard-assets' });
    const page = await request(app).get('/__sim/ui').expect(200);
    assert.match(page.headers['content-type'] ?? '', /^text\/html/);
    const pending = referencesOf(page.text, '/__sim/ui/');
    const seen = new Set<string>();
    while (pending.length > 0) {
      const path = pending.pop()!;
      if (seen.has(path)) continue;
      seen.add(path);
      assert.ok(path.startsWith('/__sim/ui/'), `${path} is served by the simulator under /__sim/ui`);
      const asset = await request(app).get(path).expect(200);
      const type = path.endsWith('.js') ? /^text\/javascript/ : /^text\/css/;
      assert.match(asset.headers['content-type'] ?? '', type, path);
      if (path.endsWith('.js')) pending.push(...referencesOf(asset.text, path));
    }
    for (const file of ['app.js', 'style.css', 'vendor/uPlot.esm.js', 'vendor/uPlot.min.css']) {
      assert.ok(seen.has(`/__sim/ui/${file}`), `the page loads ${file}`);
    }
    assert.ok(seen.size >= 8, `the page's modules: ${[...seen].join(', ')}`);
  });

  test("serves uPlot's browser build from the installed package", async () => {
    const { app } = createSimulator({ seed: 'dashboard-assets' });
    const esm = await request(app).get('/__sim/ui/vendor/uPlot.esm.js').expect(200);
    assert.equal(esm.text, readFileSync(new URL('uPlot.esm.js', UPLOT), 'utf8'));
    const css = await request(app).get('/__sim/ui/vendor/uPlot.min.css').expect(200);
    assert.equal(css.text, readFileSync(new URL('uPlot.min.css', UPLOT), 'utf8'));
  });

  test('answers 404 for a file it does not have, and 405 for another method on the page', async () => {
    const { app } = createSimulator({ seed: 'dashboard-assets' });
    for (const path of [
      '/__sim/ui/nope.js',
      '/__sim/ui/routes.js',
      '/__sim/ui/routes.ts',
      '/__sim/ui/../package.json',
    ]) {
      const res = await request(app).get(path);
      assert.equal(res.status, 404, path);
      assert.equal(typeof res.body.message, 'string');
    }
    const post = await request(app).post('/__sim/ui').expect(405);
    assert.equal(post.headers.allow, 'GET');
  });

  test('is not served with --no-control', async () => {
    const { app } = createSimulator({ seed: 'dashboard-assets', control: false });
    await request(app).get('/__sim/ui').expect(404);
    await request(app).get('/__sim/ui/app.js').expect(404);
  });
});
