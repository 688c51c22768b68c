export type ClockMode = 'manual' | 'realtime';

/** The latest instant a JavaScript date can show, less ten years of room for the clock to run. */
export const MAX_TIME = 8.64e15 - 10 * 365 * 24 * 3_600_000;

export const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_TIME;

export interface ClockSnapshot {
  now: number;
  mode: ClockMode;
  speed: number;
  paused: boolean;
}

export interface Clock {
  /** Simulated time in ms since the epoch. */
  now(): number;
  /** Jumps simulated time forward by `ms` (both modes). */
  advance(ms: number): void;
  pause(): void;
  resume(): void;
  setSpeed(speed: number): void;
  snapshot(): ClockSnapshot;
  /** Back to `start`, as at creation. */
  reset(start: number): void;
}

export interface ClockOptions {
  start: number;
  mode: ClockMode;
  speed: number;
  /** The wall clock, injected: the domain never reads real time itself. */
  wallNow: () => number;
}

/**
 * Manual mode moves only with advance(). Realtime mode runs at `speed` times the wall clock
 * from an anchor that is re-set on every change, so speed changes and pauses never jump.
 */
export function createClock(options: ClockOptions): Clock {
  const { mode, wallNow } = options;
  let speed = options.speed;
  let paused = false;
  let anchorSim = options.start;
  let anchorWall = wallNow();

  const running = () => mode === 'realtime' && !paused;
  const now = () => (running() ? anchorSim + (wallNow() - anchorWall) * speed : anchorSim);
  // Unrounded, so that a fractional speed loses nothing across pauses and speed changes.
  const reanchor = () => {
    anchorSim = now();
    anchorWall = wallNow();
  };

  return {
    now: () => Math.floor(now()),
    advance(ms) {
      reanchor();
      anchorSim += ms;
    },
    pause() {
      reanchor();
      paused = true;
    },
    resume() {
      reanchor();
      paused = false;
    },
    setSpeed(next) {
      reanchor();
      speed = next;
    },
    snapshot: () => ({ now: Math.floor(now()), mode, speed, paused }),
    reset(start) {
      anchorSim = start;
      anchorWall = wallNow();
      paused = false;
      speed = options.speed;
    },
  };
}
