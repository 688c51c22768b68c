// Load-balancing decisions as they happen, newest on top, and the strategy switch.
import { el, setAttr, setOptions, setText } from './dom.js';
import { proxyName, shortHost, strategyName, timeOf } from './format.js';

/** Rows kept in the feed. */
export const FEED_CAP = 30;
/** Engines of a ranking shown before "+N more". */
const RANKING_SHOWN = 6;

function rowOf(d) {
  const chosen = d.ranking.find((r) => r.engineId === d.chosen);
  const host = chosen?.hostName ?? '';
  const ranking = d.ranking
    .slice(0, RANKING_SHOWN)
    .map((r) =>
      el(
        'li',
        { class: r.engineId === d.chosen ? 'chosen' : undefined, title: `priority ${r.priority}` },
        shortHost(r.hostName),
        r.isAppOpen ? el('span', { class: 'flag', title: 'app open here' }, ' ●') : undefined,
        r.saturated ? el('span', { class: 'flag', title: 'saturated' }, ' ⚠') : undefined,
      ),
    );
  if (d.ranking.length > RANKING_SHOWN)
    ranking.push(el('li', { class: 'more' }, `+${d.ranking.length - RANKING_SHOWN}`));
  return el(
    'li',
    {
      class: 'decision fresh',
      'data-seq': d.seq,
      'data-strategy': d.strategy,
      'data-chosen': host,
      'data-user': `${d.userDirectory}\\${d.userId}`,
    },
    el(
      'div',
      { class: 'line' },
      el('time', { datetime: d.at }, timeOf(Date.parse(d.at))),
      el('span', { class: 'who' }, `${d.userDirectory}\\${d.userId}`),
      el('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
      el('span', { class: 'app' }, d.appName),
    ),
    el(
      'div',
      { class: 'line' },
      host
        ? el('span', { class: 'target' }, `➜ ${shortHost(host)}`)
        : el('span', { class: 'target none' }, '✕ no engine'),
      el('span', { class: 'tag' }, strategyName(d.strategy)),
      el('span', { class: 'tag muted' }, `${d.source === 'api' ? 'API' : 'simulated'} · ${proxyName(d.proxy)}`),
    ),
    el('ol', { class: 'ranking', 'aria-label': 'ranking, best first' }, ...ranking),
    el('div', { class: 'reason', title: d.reason }, d.reason),
  );
}

export class DecisionsView {
  constructor(list) {
    this.list = list;
    this.pending = [];
  }

  reset() {
    this.pending = [];
    this.list.replaceChildren();
  }

  /** Decisions of a snapshot, oldest first as the stream sends them. */
  add(decisions) {
    this.pending.push(...decisions);
    if (this.pending.length > FEED_CAP) this.pending.splice(0, this.pending.length - FEED_CAP);
  }

  render() {
    if (this.pending.length === 0) return;
    for (const row of this.list.querySelectorAll('.fresh')) row.classList.remove('fresh');
    const rows = this.pending.reverse().map(rowOf);
    this.pending = [];
    this.list.prepend(...rows);
    while (this.list.children.length > FEED_CAP) this.list.lastElementChild.remove();
  }
}

/** The strategy buttons: pressed is the strategy of the chosen virtual proxy (or of all, when they agree). */
export class StrategyControl {
  constructor(buttons, scope, summary, onSwitch) {
    this.buttons = buttons;
    this.scope = scope;
    this.summary = summary;
    this.proxies = [];
    for (const button of buttons) {
      button.onclick = () => onSwitch(button.dataset.strategy, this.scope.value === '*' ? undefined : this.scope.value);
    }
    scope.onchange = () => this.render();
  }

  /** `proxies`: `[{ prefix, strategy }]`, from the state or from the answer of a switch. */
  update(proxies) {
    this.proxies = proxies;
  }

  render() {
    setOptions(this.scope, [['*', 'all virtual proxies'], ...this.proxies.map((p) => [p.prefix, proxyName(p.prefix)])]);
    const chosen = this.scope.value === '*' ? this.proxies : this.proxies.filter((p) => p.prefix === this.scope.value);
    const strategies = new Set(chosen.map((p) => p.strategy));
    for (const button of this.buttons) {
      setAttr(button, 'aria-pressed', strategies.size === 1 && strategies.has(button.dataset.strategy));
    }
    setText(this.summary, this.proxies.map((p) => `${proxyName(p.prefix)}: ${strategyName(p.strategy)}`).join(' · '));
  }
}
