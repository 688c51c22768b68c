// Formatting for a screen read from across a room: simulated time in UTC, short host names, round numbers.

/** The Okabe-Ito palette: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
};

const pad = (n) => String(n).padStart(2, '0');

/** 09:07:51 (UTC, as the simulated clock runs). */
export function timeOf(ms) {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Mon 5 Jan 2026 UTC */
export function dateOf(ms) {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} UTC`;
}

/** 90 000 -> 1:30, 5 400 000 -> 1:30:00; a duration on the scenario's timeline. */
export function durationOf(ms) {
  const negative = ms < 0;
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const text = h > 0 ? `${h}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}` : `${Math.floor(s / 60)}:${pad(s % 60)}`;
  return negative ? `-${text}` : text;
}

/** qlik-node-3.qps-sim.local -> qlik-node-3 */
export const shortHost = (host) => host.split('.')[0] || host;

/** 1 session, 2 sessions */
export const count = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export const percent = (value) => `${Math.round(value)}%`;

export const proxyName = (prefix) => (prefix === '' ? '/ (default)' : `/${prefix}`);

export const strategyName = (strategy) =>
  ({ 'round-robin': 'round robin', 'least-load': 'least load', sticky: 'sticky' })[strategy] ?? strategy;

/** The state an engine shows: down and draining say more than saturated, which says more than up. */
export function engineState(engine) {
  if (engine.status === 'down') return { key: 'down', text: 'DOWN', icon: '✕' };
  if (engine.status === 'draining') {
    return { key: 'draining', text: engine.saturated ? 'DRAINING · SATURATED' : 'DRAINING', icon: '◐' };
  }
  if (engine.saturated) return { key: 'saturated', text: 'SATURATED', icon: '⚠' };
  return { key: 'up', text: 'UP', icon: '▲' };
}
