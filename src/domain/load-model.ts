/**
 * How busy a site is at a simulated instant, and what that costs an engine. Pure functions of
 * time and counts; all figures are per engine.
 */

const HOUR = 3_600_000;

/** Share of the peak working-day load for each hour of a weekday (UTC): quiet nights, a lunch dip. */
const WEEKDAY = [
  0.03, 0.02, 0.02, 0.02, 0.03, 0.05, 0.12, 0.35, 0.75, 0.95, 1.0, 0.95, 0.7, 0.85, 0.95, 0.9, 0.75, 0.5, 0.3, 0.18,
  0.12, 0.08, 0.05, 0.04,
];
const WEEKEND_FACTOR = 0.15;

/** The daily rhythm, 0 to 1, interpolated linearly between hours. */
export function rhythm(time: number): number {
  const day = (Math.floor(time / (24 * HOUR)) + 4) % 7; // 1970-01-01 was a Thursday
  const hours = (time % (24 * HOUR)) / HOUR;
  const hour = Math.floor(hours);
  const from = WEEKDAY[hour] ?? 0;
  const to = WEEKDAY[(hour + 1) % 24] ?? 0;
  const value = from + (to - from) * (hours - hour);
  return day === 0 || day === 6 ? value * WEEKEND_FACTOR : value;
}

/** An upper bound of rhythm() over the rest of the hour `time` falls in (it is linear within an hour). */
export function rhythmBound(time: number): { bound: number; hourEnds: number } {
  const hourStart = time - (time % HOUR);
  return { bound: Math.max(rhythm(hourStart), rhythm(hourStart + HOUR - 1)), hourEnds: hourStart + HOUR };
}

export const LOAD = {
  /** An engine's sampling interval: figures, history and saturation move in these steps. */
  sampleMs: 5_000,
  idleCpu: 2,
  /** Background work (reloads, caches) that follows the rhythm. */
  rhythmCpu: 6,
  perSessionCpu: 0.7,
  perAppCpu: 0.4,
  noiseCpu: 3,
  /** A 30-second moving average, as the engine reports `cpu.total`. */
  smoothing: 0.3,
  baseMemoryMb: 2048,
  perSessionMemoryMb: 40,
  saturationPercent: 90,
  saturationHoldMs: 30_000,
};

export interface LoadInputs {
  time: number;
  sessions: number;
  loadedApps: number;
  /** The engine's own multiplier (its hardware and habits), seeded. */
  cpuFactor: number;
  /** Extra CPU a scenario puts on the engine. */
  spikeCpu: number;
  /** A draw in [0, 1) for this engine and sample. */
  noise: number;
}

export function cpuTarget(input: LoadInputs): number {
  const work =
    LOAD.idleCpu +
    LOAD.rhythmCpu * rhythm(input.time) +
    (LOAD.perSessionCpu * input.sessions + LOAD.perAppCpu * input.loadedApps) * input.cpuFactor +
    input.spikeCpu +
    (input.noise * 2 - 1) * LOAD.noiseCpu;
  return Math.min(100, Math.max(0, work));
}

/** The reported CPU after one sample: moves part of the way towards the target. */
export const smoothCpu = (previous: number, target: number): number =>
  Math.round((previous + (target - previous) * LOAD.smoothing) * 100) / 100;

export const memoryUsedMb = (appSizesMb: number, sessions: number, totalMb: number): number =>
  Math.min(totalMb, LOAD.baseMemoryMb + appSizesMb + LOAD.perSessionMemoryMb * sessions);
