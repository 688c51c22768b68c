import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClock, type ClockOptions } from '../../src/domain/clock.js';

const START = Date.UTC(2026, 0, 5, 9);

/** A wall clock the test moves by hand. */
function fakeWall(at = 5_000) {
  let now = at;
  return {
    now: () => now,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

function clockOf(overrides: Partial<ClockOptions> = {}) {
  const wall = fakeWall();
  const clock = createClock({ start: START, mode: 'realtime', speed: 1, wallNow: wall.now, ...overrides });
  return { clock, wall };
}

describe('manual clock', () => {
  test('stands still while the wall clock runs, and moves only with advance', () => {
    const { clock, wall } = clockOf({ mode: 'manual' });
    wall.tick(60_000);
    assert.equal(clock.now(), START);
    clock.advance(1_500);
    assert.equal(clock.now(), START + 1_500);
    wall.tick(60_000);
    assert.equal(clock.now(), START + 1_500);
  });

  test('resume and setSpeed do not make it run', () => {
    const { clock, wall } = clockOf({ mode: 'manual', speed: 10 });
    clock.resume();
    clock.setSpeed(100);
    wall.tick(1_000);
    assert.equal(clock.now(), START);
    assert.deepEqual(clock.snapshot(), { now: START, mode: 'manual', speed: 100, paused: false });
  });

  test('reset goes back to the given start', () => {
    const { clock } = clockOf({ mode: 'manual' });
    clock.advance(10_000);
    clock.reset(START);
    assert.equal(clock.now(), START);
  });
});

describe('realtime clock', () => {
  test('follows the wall clock times the speed', () => {
    const { clock, wall } = clockOf({ speed: 3 });
    assert.equal(clock.now(), START);
    wall.tick(1_000);
    assert.equal(clock.now(), START + 3_000);
    wall.tick(500);
    assert.equal(clock.now(), START + 4_500);
  });

  test('never reads a wall clock other than the injected one', () => {
    const { clock } = clockOf({ wallNow: () => 0 });
    assert.equal(clock.now(), START);
  });

  test('pause freezes time without a jump, resume continues from there', () => {
    const { clock, wall } = clockOf({ speed: 2 });
    wall.tick(1_000);
    const beforePause = clock.now();
    clock.pause();
    assert.equal(clock.now(), beforePause);
    wall.tick(10_000);
    assert.equal(clock.now(), beforePause);
    assert.equal(clock.snapshot().paused, true);
    clock.resume();
    assert.equal(clock.now(), beforePause);
    wall.tick(1_000);
    assert.equal(clock.now(), beforePause + 2_000);
  });

  test('setSpeed changes the rate from now on, without a jump', () => {
    const { clock, wall } = clockOf({ speed: 1 });
    wall.tick(1_000);
    assert.equal(clock.now(), START + 1_000);
    clock.setSpeed(10);
    assert.equal(clock.now(), START + 1_000);
    wall.tick(1_000);
    assert.equal(clock.now(), START + 11_000);
    clock.setSpeed(0.5);
    assert.equal(clock.now(), START + 11_000);
    wall.tick(1_000);
    assert.equal(clock.now(), START + 11_500);
  });

  test('advance jumps forward and the clock keeps running from there', () => {
    const { clock, wall } = clockOf({ speed: 2 });
    wall.tick(100);
    clock.advance(60_000);
    assert.equal(clock.now(), START + 60_200);
    wall.tick(100);
    assert.equal(clock.now(), START + 60_400);
  });

  test('advance works while paused and the clock stays paused', () => {
    const { clock, wall } = clockOf();
    clock.pause();
    clock.advance(5_000);
    wall.tick(5_000);
    assert.equal(clock.now(), START + 5_000);
  });

  test('re-anchoring does not lose the fractions of a millisecond a fractional speed accumulates', () => {
    // 10 ms of wall time at 1.5x is 15 ms, however often the clock is re-anchored on the way.
    const { clock, wall } = clockOf({ speed: 1.5 });
    for (let i = 0; i < 10; i++) {
      wall.tick(1);
      clock.setSpeed(1.5);
    }
    assert.equal(clock.now(), START + 15);
  });

  test('snapshot reports time, mode, speed and pause', () => {
    const { clock, wall } = clockOf({ speed: 4 });
    wall.tick(250);
    clock.pause();
    assert.deepEqual(clock.snapshot(), { now: START + 1_000, mode: 'realtime', speed: 4, paused: true });
  });

  test('reset returns to the start, unpaused, at the original speed, running from the current wall time', () => {
    const { clock, wall } = clockOf({ speed: 2 });
    wall.tick(1_000);
    clock.setSpeed(50);
    clock.pause();
    clock.reset(START);
    assert.deepEqual(clock.snapshot(), { now: START, mode: 'realtime', speed: 2, paused: false });
    wall.tick(1_000);
    assert.equal(clock.now(), START + 2_000);
  });
});
