// The scenario: its steps on a timeline with the current position, what is active and what comes next;
// and the notable events (engines, health, scenario steps) as they happen.
import { el, setAttr, setText } from './dom.js';
import { durationOf, shortHost, timeOf } from './format.js';

const EVENTS_SHOWN = 8;
const STATES = { pending: '○ pending', active: '● active', repeating: '↻ repeating', done: '✓ done' };
/** Runs drawn for a step that repeats without end. */
const OPEN_RUNS = 3;

const nameOf = (step) => `${step.step} · ${step.label ?? step.kind}`;

/** The times a step runs at, from the scenario's start, up to `span`. */
function runsOf(step, span) {
  const runs = [step.atMs];
  if (step.everyMs) {
    const times = step.times ?? Infinity;
    for (let k = 1; k < times && step.atMs + k * step.everyMs <= span; k++) runs.push(step.atMs + k * step.everyMs);
  }
  return runs;
}

/** Where the schedule ends: the last run and its duration (a step repeating without end: a few runs). */
function scheduleEnd(steps) {
  const ends = steps.map((s) => {
    const times = s.everyMs ? (s.times ?? OPEN_RUNS) : 1;
    return s.atMs + (times - 1) * (s.everyMs ?? 0) + (s.forMs ?? 0);
  });
  return Math.max(60_000, ...ends);
}

function describeEvent(e) {
  const host = e.hostName ? shortHost(e.hostName) : '';
  switch (e.type) {
    case 'engine.statusChanged':
      return `${host}: ${e.from} → ${e.to}`;
    case 'engine.saturationChanged':
      return `${host}: ${e.saturated ? 'saturated' : 'no longer saturated'}${e.why ? ` (${e.why})` : ''}`;
    case 'proxy.healthChanged':
      return `proxy ${e.healthy ? 'healthy' : 'UNHEALTHY'}: ${e.reason}`;
    case 'scenario.loaded':
      return `scenario “${e.name}” loaded (${e.steps} steps)`;
    case 'scenario.step':
      return `step ${e.step}: ${e.label ?? e.kind}`;
    case 'scenario.stepUndone':
      return `step ${e.step} undone: ${e.label ?? e.kind}`;
    case 'scenario.cleared':
      return `scenario “${e.name}” stopped`;
    case 'simulator.reset':
      return `site reset (seed ${e.seed})`;
    case 'app.openFailed':
      return `no engine for ${e.userDirectory}\\${e.userId}'s app`;
    default:
      return undefined;
  }
}

export class ScenarioView {
  constructor(nodes) {
    this.nodes = nodes;
    this.progress = null;
    this.events = [];
    this.key = undefined;
  }

  reset() {
    this.events = [];
    this.nodes.events.replaceChildren();
  }

  update(progress) {
    this.progress = progress;
  }

  addEvents(events) {
    for (const e of events) {
      const text = describeEvent(e);
      if (text) this.events.push({ seq: e.seq, at: e.at, text, type: e.type });
    }
    if (this.events.length > EVENTS_SHOWN) this.events.splice(0, this.events.length - EVENTS_SHOWN);
  }

  render() {
    this.renderEvents();
    const p = this.progress;
    const { root, summary } = this.nodes;
    if (!p) {
      if (this.key !== null) root.replaceChildren(el('p', { class: 'muted' }, 'No scenario is playing.'));
      this.key = null;
      setText(summary, 'Load a bundled scenario to script outages, surges and faults on the clock.');
      return;
    }
    let span = scheduleEnd(p.steps);
    const end = span;
    while (span < p.elapsedMs) span += end / 2;
    const key = `${p.name}|${p.startedAt}|${p.steps.length}|${span}`;
    if (key !== this.key) this.build(p, span);
    this.key = key;
    const x = Math.min(100, (100 * p.elapsedMs) / span);
    for (const now of root.querySelectorAll('.now')) now.style.left = `${x}%`;
    // Near the end, the label goes to the left of the line so that it stays on the track.
    this.position.classList.toggle('flip', x > 70);
    p.steps.forEach((step, i) => {
      const row = this.rows[i];
      setAttr(row.root, 'data-state', step.state);
      setText(row.state, STATES[step.state] ?? step.state);
    });
    setText(this.position, `now ${durationOf(p.elapsedMs)}`);
    const byNumber = new Map(p.steps.map((s) => [s.step, s]));
    const active = p.active.map((n) => nameOf(byNumber.get(n))).join(', ');
    const next = p.next && byNumber.get(p.next.step);
    const inMs = p.next ? Date.parse(p.next.at) - (Date.parse(p.startedAt) + p.elapsedMs) : 0;
    setText(
      summary,
      `${p.name}: ${p.done} of ${p.steps.length} steps done. ` +
        `Active: ${active || 'none'}. ` +
        `Next: ${next ? `${nameOf(next)} at ${timeOf(Date.parse(p.next.at))} (in ${durationOf(inMs)})` : 'nothing, the scenario has played'}.`,
    );
  }

  /** The timeline's rows, drawn again only when the scenario or the span changes. */
  build(p, span) {
    const at = (ms) => `${(100 * ms) / span}%`;
    const ticks = [0, 1 / 3, 2 / 3, 1].map((f) => el('span', { style: `left: ${f * 100}%` }, durationOf(f * span)));
    this.position = el('span', { class: 'now-label' });
    const axis = el(
      'div',
      { class: 'step axis', 'aria-hidden': 'true' },
      el('span', { class: 'step-name muted' }, 'time from start'),
      el('div', { class: 'track' }, ...ticks, el('span', { class: 'now' }, this.position)),
      el('span'),
    );
    this.rows = p.steps.map((step) => {
      const marks = runsOf(step, span).flatMap((t) => [
        step.forMs ? el('span', { class: 'run', style: `left: ${at(t)}; width: ${at(step.forMs)}` }) : undefined,
        el('span', { class: 'mark', style: `left: ${at(t)}` }),
      ]);
      const state = el('span', { class: 'step-state' });
      const root = el(
        'div',
        { class: 'step', title: `${step.kind} at ${durationOf(step.atMs)}` },
        el('span', { class: 'step-name' }, nameOf(step)),
        el('div', { class: 'track' }, ...marks.filter(Boolean), el('span', { class: 'now' })),
        state,
      );
      return { root, state };
    });
    this.nodes.root.replaceChildren(
      el('p', { class: 'muted small' }, p.description),
      el('div', { class: 'timeline' }, axis, ...this.rows.map((r) => r.root)),
    );
  }

  renderEvents() {
    const list = this.nodes.events;
    const newest = this.events[this.events.length - 1];
    if (String(newest?.seq) === list.dataset.newest) return;
    list.dataset.newest = String(newest?.seq);
    list.replaceChildren(
      ...[...this.events]
        .reverse()
        .map((e) => el('li', { 'data-type': e.type }, el('time', {}, timeOf(Date.parse(e.at))), ` ${e.text}`)),
    );
  }
}
