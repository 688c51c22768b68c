// The simulated clock: time, speed, paused or running; pause, resume, speed, advance by a step.
import { el, setAttr, setText } from './dom.js';
import { dateOf, timeOf } from './format.js';

const SPEEDS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

export class ClockView {
  /** `actions`: `{ setClock(body, description), advance(ms, description) }`. */
  constructor(nodes, actions) {
    this.nodes = nodes;
    nodes.toggle.onclick = () => {
      const paused = !this.clock?.paused;
      actions.setClock({ paused }, paused ? 'Clock paused' : 'Clock running');
    };
    nodes.speed.onchange = () => {
      const speed = Number(nodes.speed.value);
      actions.setClock({ speed }, `Speed ${speed}×`);
    };
    nodes.advance.onclick = () => {
      const option = nodes.step.selectedOptions[0];
      actions.advance(Number(nodes.step.value), `Advanced ${option?.textContent ?? ''}`);
    };
  }

  update(clock) {
    this.clock = clock;
  }

  render() {
    const c = this.clock;
    if (!c) return;
    const { nodes } = this;
    setText(nodes.time, timeOf(c.nowMs));
    setText(nodes.date, dateOf(c.nowMs));
    const manual = c.mode === 'manual';
    const state = manual ? '✋ manual: moves when advanced' : c.paused ? '⏸ paused' : `▶ running at ${c.speed}×`;
    setText(nodes.state, state);
    setAttr(nodes.state, 'data-state', manual ? 'manual' : c.paused ? 'paused' : 'running');
    setText(nodes.toggle, c.paused ? 'Resume' : 'Pause');
    nodes.toggle.disabled = manual;
    nodes.speed.disabled = manual;
    const speeds = SPEEDS.includes(c.speed) ? SPEEDS : [...SPEEDS, c.speed].sort((a, b) => a - b);
    if (nodes.speed.dataset.speeds !== String(speeds)) {
      nodes.speed.replaceChildren(...speeds.map((s) => el('option', { value: s }, `${s}×`)));
      nodes.speed.dataset.speeds = String(speeds);
    }
    if (document.activeElement !== nodes.speed) nodes.speed.value = String(c.speed);
  }
}
