// Live line charts over simulated time, drawn by uPlot (served by qps-sim from its npm package).
import uPlot from './vendor/uPlot.esm.js';
import { dateOf, timeOf } from './format.js';

/** Points kept per series, client-side: 6 hours at one sample a snapshot at speed 60. */
export const HISTORY_CAP = 720;

const AXIS = '#d8dee4';
const GRID = '#333b44';
const FONT = '15px system-ui, sans-serif';

/** Simulated time, UTC as the clock at the top shows it, as precise as the ticks are apart. */
function timeLabels(_u, splits, _axis, _space, increment) {
  return splits.map((x) => {
    if (increment >= 86_400) return dateOf(x * 1000).slice(4, -9);
    const time = timeOf(x * 1000);
    return increment < 60 ? time : time.slice(0, 5);
  });
}

/** A time series of x (simulated seconds) and one array per line, capped, only moving forward. */
export class Series {
  constructor(lines, cap = HISTORY_CAP) {
    this.cap = cap;
    this.data = Array.from({ length: lines + 1 }, () => []);
    this.dirty = true;
  }

  /** Adds a point at `ms` of simulated time; ignored unless later than the last one. */
  push(ms, ...values) {
    const [xs] = this.data;
    const x = ms / 1000;
    if (xs.length > 0 && x <= xs[xs.length - 1]) return;
    this.data.forEach((column, i) => column.push(i === 0 ? x : values[i - 1]));
    if (xs.length > this.cap) for (const column of this.data) column.splice(0, column.length - this.cap);
    this.dirty = true;
  }

  clear() {
    for (const column of this.data) column.length = 0;
    this.dirty = true;
  }
}

/**
 * A chart in `container`, sized to its width. `lines`: `{ label, color, dash? }`; `range`: a fixed
 * [min, max], or undefined for 0 to a little above the largest value; `xRange()`: the simulated time shown,
 * [from, to] in seconds (charts side by side share it), or undefined for the data's own.
 */
export function lineChart(container, { lines, range, xRange, height = 110, unit = '' }) {
  const yRange = range ? () => range : (_u, _min, max) => [0, Math.max(1, Math.ceil((max ?? 0) * 1.15))];
  const x = xRange ? (_u, min, max) => xRange() ?? [min, max] : undefined;
  const plot = new uPlot(
    {
      width: Math.max(120, container.clientWidth),
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true, range: x }, y: { range: yRange } },
      axes: [
        {
          stroke: AXIS,
          font: FONT,
          size: 26,
          space: 100,
          grid: { stroke: GRID, width: 1 },
          ticks: { show: false },
          values: timeLabels,
        },
        {
          stroke: AXIS,
          font: FONT,
          size: 46,
          space: 30,
          grid: { stroke: GRID, width: 1 },
          ticks: { show: false },
          values: (_u, splits) => splits.map((v) => `${v}${unit}`),
        },
      ],
      series: [
        {},
        ...lines.map(({ label, color, dash }) => ({
          label,
          stroke: color,
          width: 2.5,
          dash,
          points: { show: false },
        })),
      ],
    },
    Array.from({ length: lines.length + 1 }, () => []),
    container,
  );
  const resize = new ResizeObserver(() => {
    const width = Math.max(120, Math.floor(container.clientWidth));
    if (width !== plot.width) plot.setSize({ width, height });
  });
  resize.observe(container);
  return {
    /** Redraws from the series when it changed since the last draw. */
    draw(series) {
      if (!series.dirty) return;
      series.dirty = false;
      plot.setData(series.data);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
