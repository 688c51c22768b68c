// Sessions: counts per virtual proxy and per engine, logins and endings per minute (a moving average
// over simulated time, charted), and the login surge.
import { lineChart, Series } from './charts.js';
import { el, setOptions, setText } from './dom.js';
import { count, engineState, PALETTE, proxyName, shortHost } from './format.js';

/** The rates are averaged over this much simulated time. */
const WINDOW_MS = 5 * 60_000;

const endedOf = (totals) => Object.values(totals.ended).reduce((sum, n) => sum + n, 0);

/** Keeps one row per key in a table, in the given order, changing only the cells that differ. */
function renderTable(table, rows) {
  const existing = new Map([...table.rows].map((row) => [row.dataset.key, row]));
  let previous = null;
  for (const [key, ...cells] of rows) {
    const row = existing.get(key) ?? el('tr', { 'data-key': key }, ...cells.map(() => el('td')));
    existing.delete(key);
    cells.forEach((cell, i) => setText(row.cells[i], cell));
    const expected = previous ? previous.nextSibling : table.firstChild;
    if (row !== expected) table.insertBefore(row, expected);
    previous = row;
  }
  for (const row of existing.values()) row.remove();
}

export class SessionsView {
  constructor(nodes) {
    this.nodes = nodes;
    this.samples = [];
    this.rates = new Series(2);
    this.chart = lineChart(nodes.rateChart, {
      lines: [
        { label: 'logins / min', color: PALETTE.green },
        { label: 'endings / min', color: PALETTE.vermillion, dash: [7, 5] },
      ],
      height: 120,
    });
  }

  reset() {
    this.samples = [];
    this.rates.clear();
  }

  update(snapshot) {
    this.snapshot = snapshot;
    const now = snapshot.clock.nowMs;
    const last = this.samples[this.samples.length - 1];
    if (last && now <= last.at) return;
    this.samples.push({ at: now, logins: snapshot.totals.logins, ended: endedOf(snapshot.totals) });
    while (this.samples.length > 2 && this.samples[1].at <= now - WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const minutes = (now - first.at) / 60_000;
    if (this.samples.length < 2 || minutes <= 0) return;
    const latest = this.samples[this.samples.length - 1];
    this.loginsRate = (latest.logins - first.logins) / minutes;
    this.endingsRate = (latest.ended - first.ended) / minutes;
    this.rates.push(now, this.loginsRate, this.endingsRate);
  }

  render() {
    const s = this.snapshot;
    if (!s) return;
    const { nodes } = this;
    const rate = (value) => (value === undefined ? '–' : value.toFixed(value < 10 ? 1 : 0));
    setText(nodes.total, count(s.state.counts.sessions, 'proxy session'));
    setText(nodes.loginsRate, rate(this.loginsRate));
    setText(nodes.endingsRate, rate(this.endingsRate));
    const ended = Object.entries(s.totals.ended)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${reason} ${n}`);
    setText(
      nodes.endingsDetail,
      `Since the start: ${s.totals.logins} logins, ${s.totals.loginsDenied} denied; ended: ${ended.join(', ') || 'none'}`,
    );
    const proxies = s.state.virtualProxies.map((p) => [
      p.prefix,
      proxyName(p.prefix),
      count(s.state.counts.sessionsByProxy[p.prefix] ?? 0, 'session'),
    ]);
    renderTable(nodes.proxies, proxies);
    renderTable(
      nodes.engines,
      s.engines.map((e) => {
        const state = engineState(e);
        return [
          e.id,
          shortHost(e.hostName),
          `${state.icon} ${state.text.toLowerCase()}`,
          count(e.sessions, 'session'),
          count(e.users, 'user'),
        ];
      }),
    );
    setOptions(
      nodes.surgeProxy,
      s.state.virtualProxies.map((p) => [p.prefix, proxyName(p.prefix)]),
    );
    this.chart.draw(this.rates);
  }
}
