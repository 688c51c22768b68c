// One panel per engine: its state in words and colour, CPU and memory over simulated time, sessions,
// users, loaded apps, and the controls a presenter needs (up, drain, down, saturate).
import { lineChart, Series } from './charts.js';
import { el, setAttr, setText } from './dom.js';
import { count, engineState, percent, PALETTE, shortHost } from './format.js';

const APPS_SHOWN = 4;
const memoryPercent = (usedMb, totalMb) => (totalMb > 0 ? (100 * usedMb) / totalMb : 0);
const gb = (mb) => `${(mb / 1024).toFixed(mb < 10_240 ? 1 : 0)}`;

/** What each control asks of PUT /__sim/cluster/engines/{id}, and whether it applies to the engine now. */
const ACTIONS = [
  { action: 'up', label: 'Up', body: { status: 'up' }, applies: (e) => e.status !== 'up' },
  { action: 'drain', label: 'Drain', body: { status: 'draining' }, applies: (e) => e.status === 'up' },
  { action: 'down', label: 'Down', body: { status: 'down' }, applies: (e) => e.status !== 'down' },
];

class EnginePanel {
  constructor(engine, onAction, xRange) {
    this.xRange = xRange;
    this.id = engine.id;
    this.memoryTotal = engine.memory.totalMb;
    this.series = new Series(2);
    for (const s of engine.history) {
      this.series.push(Date.parse(s.at), s.cpu, memoryPercent(s.memoryUsedMb, engine.memory.totalMb));
    }
    const short = shortHost(engine.hostName);
    this.state = el('span', { class: 'state' });
    this.spike = el('span', { class: 'spike' });
    this.cpu = el('dd');
    this.memory = el('dd');
    this.sessions = el('dd');
    this.users = el('dd');
    this.apps = el('p', { class: 'apps' });
    this.chartBox = el('div', { class: 'chart', role: 'img', 'aria-label': `CPU and memory of ${short}` });
    this.buttons = ACTIONS.map((a) =>
      el('button', {
        type: 'button',
        'data-action': a.action,
        'aria-label': `${a.label}: ${short}`,
        textContent: a.label,
        onclick: () => onAction(this.id, a.body, `${short}: ${a.label.toLowerCase()}`),
      }),
    );
    this.saturate = el('button', { type: 'button', 'data-action': 'saturate' });
    this.saturate.onclick = () => {
      const on = this.saturate.dataset.on !== 'true';
      onAction(this.id, { cpuSpike: on ? 100 : 0 }, `${short}: ${on ? 'CPU spike to 100 %' : 'spike removed'}`);
    };
    this.root = el(
      'article',
      { class: 'engine', 'data-engine-id': engine.id, 'data-host': engine.hostName },
      el('header', {}, el('h3', {}, short), this.state),
      el(
        'div',
        { class: 'host muted' },
        `${engine.hostName}:${engine.port} · ${gb(engine.memory.totalMb)} GB`,
        this.spike,
      ),
      el(
        'dl',
        { class: 'figures' },
        el('div', {}, el('dt', {}, 'CPU'), this.cpu),
        el('div', {}, el('dt', {}, 'Memory'), this.memory),
        el('div', {}, el('dt', {}, 'Sessions'), this.sessions),
        el('div', {}, el('dt', {}, 'Users'), this.users),
      ),
      this.chartBox,
      this.apps,
      el('div', { class: 'actions' }, ...this.buttons, this.saturate),
    );
    this.engine = engine;
  }

  /** Starts the chart once the panel is in the page (uPlot measures its container). */
  mount() {
    this.chart = lineChart(this.chartBox, {
      lines: [
        { label: 'CPU %', color: PALETTE.orange },
        { label: 'Memory %', color: PALETTE.skyBlue, dash: [7, 5] },
      ],
      range: [0, 100],
      xRange: this.xRange,
      unit: '%',
      height: 100,
    });
  }

  update(engine) {
    this.engine = engine;
    const latest = engine.history[engine.history.length - 1];
    if (latest)
      this.series.push(Date.parse(latest.at), latest.cpu, memoryPercent(latest.memoryUsedMb, engine.memory.totalMb));
  }

  render() {
    const e = this.engine;
    const state = engineState(e);
    setAttr(this.root, 'data-state', state.key);
    setAttr(this.root, 'data-status', e.status);
    setText(this.state, `${state.icon} ${state.text}`);
    setText(this.spike, e.cpuSpike > 0 ? ` · CPU spike +${Math.round(e.cpuSpike)} %` : '');
    setText(this.cpu, percent(e.cpu));
    setText(this.memory, percent(memoryPercent(e.memory.usedMb, e.memory.totalMb)));
    setText(this.sessions, e.sessions);
    setText(this.users, e.users);
    const apps = [...e.apps].sort((a, b) => b.openSessions - a.openSessions);
    const names = apps.slice(0, APPS_SHOWN).map((a) => `${a.name} (${a.openSessions})`);
    if (apps.length > APPS_SHOWN) names.push(`+${apps.length - APPS_SHOWN} more`);
    setText(this.apps, apps.length === 0 ? 'No apps loaded' : `${count(apps.length, 'app')}: ${names.join(', ')}`);
    ACTIONS.forEach((a, i) => (this.buttons[i].disabled = !a.applies(e)));
    const spiking = e.cpuSpike >= 100;
    this.saturate.dataset.on = String(spiking);
    setText(this.saturate, spiking ? 'Cool down' : 'Saturate');
    this.chart?.draw(this.series);
  }

  destroy() {
    this.chart?.destroy();
  }
}

export class EnginesView {
  /** `onAction(engineId, body, description)` changes an engine through the control API. */
  constructor(root, onAction) {
    this.root = root;
    this.onAction = onAction;
    this.panels = new Map();
    /** The simulated time every chart shows, in seconds: from the oldest sample kept to now. */
    this.window = undefined;
    this.xRange = () => this.window;
  }

  /** All charts show the same time, so that an engine without samples (down) still lines up with the rest. */
  setWindow(nowMs) {
    const starts = [...this.panels.values()].map((p) => p.series.data[0][0]).filter((x) => x !== undefined);
    const to = nowMs / 1000;
    const from = Math.min(to - 60, ...starts);
    if (this.window?.[0] === from && this.window?.[1] === to) return;
    this.window = [from, to];
    for (const panel of this.panels.values()) panel.series.dirty = true;
  }

  /** A new site (first snapshot, reset, a scenario with its own site): panels and histories from scratch. */
  reset(engines, nowMs) {
    for (const panel of this.panels.values()) panel.destroy();
    this.panels = new Map(engines.map((e) => [e.id, new EnginePanel(e, this.onAction, this.xRange)]));
    this.setWindow(nowMs);
    this.root.replaceChildren(...[...this.panels.values()].map((p) => p.root));
    for (const panel of this.panels.values()) panel.mount();
  }

  /** Takes a snapshot's engines (each with its latest sample); false when they are not this view's. */
  update(engines, nowMs) {
    if (engines.length !== this.panels.size || engines.some((e) => !this.panels.has(e.id))) return false;
    for (const engine of engines) this.panels.get(engine.id).update(engine);
    this.setWindow(nowMs);
    return true;
  }

  /** An engine as a control answered it, shown before the next snapshot confirms it. */
  apply(engine) {
    this.panels.get(engine.id)?.update({ ...engine, history: [] });
  }

  render() {
    for (const panel of this.panels.values()) panel.render();
  }
}
