import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createSimulator, type Simulator } from '../../src/index.js';

/** Debian's Chromium, installed by .ci/run; playwright-core drives it and downloads no browser. */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const KEY = 'abcdefghij012345';
const WAIT = { timeout: 20_000 };
const SCREENSHOT = 'test-results/dashboard.png';

interface Cluster {
  engines: Array<{ id: string; hostName: string }>;
  apps: Array<{ id: string }>;
}

/** What a row of the page's decision feed says (its data attributes). */
interface Row {
  seq: number;
  user: string;
  chosen: string;
  strategy: string;
  /** The host names of the ranking shown, best first. */
  ranking: string[];
  text: string;
}

/** What the test reads of a row element in the page. */
interface RowElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
}

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium; .ci/run does)`;

describe('the dashboard at /__sim/ui, in headless Chromium', { skip, timeout: 120_000 }, () => {
  let sim: Simulator;
  let url: string;
  let browser: Browser;
  let page: Page;
  let cluster: Cluster;
  const pageErrors: string[] = [];

  const json = async <T>(path: string): Promise<T> => (await (await fetch(`${url}${path}`)).json()) as T;

  /** The newest decision's sequence number: every decision after it is made after what the test just did. */
  const lastSeq = async () => (await json<Array<{ seq: number }>>('/__sim/decisions?limit=1'))[0]?.seq ?? 0;

  /** Load-balancing decisions through the QPS API, as a client would ask for them. */
  async function prioritize(userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      const response = await fetch(`${url}/qps/loadbalancing/prioritize?Xrfkey=${KEY}`, {
        method: 'POST',
        headers: { 'X-Qlik-Xrfkey': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ userDirectory: 'DASH', userId, appId: cluster.apps[0]?.id }),
      });
      assert.equal(response.status, 200, await response.text());
    }
  }

  /** Waits until the feed shows a row for each user, then returns every row the feed shows. */
  async function rowsAfter(userIds: string[]): Promise<Row[]> {
    for (const id of userIds) await page.locator('.decision').filter({ hasText: id }).first().waitFor(WAIT);
    // Runs in the page; the DOM's types are not in this project's (Node) lib, so rows are read loosely.
    return page.locator('.decision').evaluateAll((rows) =>
      rows.map((row) => {
        const r = row as unknown as RowElement;
        return {
          seq: Number(r.dataset.seq),
          user: r.dataset.user ?? '',
          chosen: r.dataset.chosen ?? '',
          strategy: r.dataset.strategy ?? '',
          ranking: [...r.querySelectorAll('.ranking li:not(.more)')].map((li) => li.textContent?.split(' ')[0] ?? ''),
          text: r.textContent ?? '',
        };
      }),
    );
  }

  before(async () => {
    sim = createSimulator({ clock: 'realtime', speed: 60, seed: 'dashboard', engines: 6 });
    ({ url } = await sim.listen(0));
    cluster = await json<Cluster>('/__sim/cluster');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await sim?.close();
  });

  test('loads with the engines of the site, live', async () => {
    const response = await page.goto(`${url}/__sim/ui`);
    assert.equal(response?.status(), 200);
    await page.locator('#connection', { hasText: 'live' }).waitFor(WAIT);
    assert.equal(cluster.engines.length, 6);
    for (const engine of cluster.engines) {
      const panel = page.locator(`.engine[data-host="${engine.hostName}"]`);
      await panel.waitFor(WAIT);
      assert.ok((await panel.textContent())?.includes(engine.hostName), `the panel names ${engine.hostName}`);
      await panel.locator('.state', { hasText: 'UP' }).waitFor(WAIT);
    }
    assert.equal(await page.locator('.engine').count(), 6);
    // Charts drawn by uPlot, from the history of the first snapshot.
    assert.equal(await page.locator('.engine .uplot canvas').count(), 6);
    assert.deepEqual(pageErrors, []);
  });

  test('takes an engine down from the page: its panel says so, and the next decisions avoid it', async () => {
    const target = cluster.engines[2]!;
    const short = target.hostName.split('.')[0]!;
    const panel = page.locator(`.engine[data-host="${target.hostName}"]`);
    await panel.locator('button[data-action="down"]').click();
    await panel.locator('.state', { hasText: 'DOWN' }).waitFor(WAIT);
    assert.equal(await panel.getAttribute('data-state'), 'down');
    const since = await lastSeq();

    const users = ['after-down-1', 'after-down-2', 'after-down-3', 'after-down-4', 'after-down-5', 'after-down-6'];
    await prioritize(users);
    const rows = (await rowsAfter(users)).filter((r) => r.seq > since);
    assert.ok(rows.length >= users.length, `the feed shows the decisions made since: ${rows.length}`);
    for (const row of rows) {
      assert.notEqual(row.chosen, target.hostName, `decision ${row.seq} (${row.user}) does not choose ${short}`);
      assert.ok(row.chosen !== '', `decision ${row.seq} chose an engine`);
      assert.ok(!row.ranking.includes(short), `${short} is not ranked: ${row.ranking.join(', ')}`);
      assert.ok(row.ranking.length > 0);
    }
  });

  test('switches the strategy from the page, and the decisions shown carry it', async () => {
    const button = page.locator('.strategy button[data-strategy="least-load"]');
    await button.click();
    await page.locator('.strategy button[data-strategy="least-load"][aria-pressed="true"]').waitFor(WAIT);
    const strategies = await json<{ virtualProxies: Array<{ strategy: string }> }>('/__sim/load-balancing');
    assert.deepEqual(
      strategies.virtualProxies.map((p) => p.strategy),
      ['least-load', 'least-load'],
      'every virtual proxy switched',
    );
    const since = await lastSeq();

    const users = ['after-switch-1', 'after-switch-2', 'after-switch-3'];
    await prioritize(users);
    const rows = (await rowsAfter(users)).filter((r) => r.seq > since);
    assert.ok(rows.length >= users.length);
    for (const row of rows) {
      assert.equal(row.strategy, 'least-load', `decision ${row.seq} (${row.user}) was made by least load`);
      assert.ok(row.text.includes('least load'), `the row says so in words: ${row.text}`);
      assert.notEqual(row.chosen, cluster.engines[2]!.hostName, 'the engine taken down stays out');
    }

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(existsSync(SCREENSHOT));
    assert.deepEqual(pageErrors, []);
  });
});
