import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Timeline, type Job } from '../../src/domain/timeline.js';

const job = (sessionId: string) => ({ type: 'expireSession', sessionId }) as const;
const idOf = (job: Job) => ('sessionId' in job ? job.sessionId : job.type);

function drain(timeline: Timeline, time: number): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (let due = timeline.takeDue(time); due; due = timeline.takeDue(time)) out.push([due.at, idOf(due.job)]);
  return out;
}

describe('Timeline', () => {
  test('jobs come out by time, whatever order they were scheduled in', () => {
    const timeline = new Timeline();
    for (const at of [50, 10, 40, 20, 30]) timeline.schedule(at, job(`s${at}`));
    assert.deepEqual(drain(timeline, 100), [
      [10, 's10'],
      [20, 's20'],
      [30, 's30'],
      [40, 's40'],
      [50, 's50'],
    ]);
    assert.equal(timeline.size, 0);
  });

  test('jobs at the same time come out in the order they were scheduled', () => {
    const timeline = new Timeline();
    const names = Array.from({ length: 40 }, (_, i) => `s${i}`);
    // Interleave two times so the heap has to reorder equal keys.
    names.forEach((name, i) => timeline.schedule(i % 2 === 0 ? 7 : 3, job(name)));
    const order = drain(timeline, 10).map(([, id]) => id);
    const odd = names.filter((_, i) => i % 2 === 1);
    const even = names.filter((_, i) => i % 2 === 0);
    assert.deepEqual(order, [...odd, ...even]);
  });

  test('takeDue returns nothing before the earliest job, and a job exactly at the bound', () => {
    const timeline = new Timeline();
    timeline.schedule(100, job('a'));
    timeline.schedule(200, job('b'));
    assert.equal(timeline.takeDue(99), undefined);
    assert.equal(timeline.size, 2);
    const due = timeline.takeDue(100);
    assert.equal(due?.at, 100);
    assert.equal(due && idOf(due.job), 'a');
    assert.equal(timeline.takeDue(199), undefined);
    assert.equal(timeline.nextAt(), 200);
  });

  test('takeDue stops at the bound and leaves later jobs for later', () => {
    const timeline = new Timeline();
    for (const at of [5, 15, 25, 35]) timeline.schedule(at, job(`s${at}`));
    assert.deepEqual(drain(timeline, 20), [
      [5, 's5'],
      [15, 's15'],
    ]);
    assert.equal(timeline.size, 2);
    assert.equal(timeline.nextAt(), 25);
  });

  test('jobs scheduled while draining take their place in the order', () => {
    const timeline = new Timeline();
    timeline.schedule(10, job('a'));
    timeline.schedule(30, job('c'));
    const first = timeline.takeDue(50);
    assert.equal(first && idOf(first.job), 'a');
    timeline.schedule(20, job('b'));
    assert.deepEqual(drain(timeline, 50), [
      [20, 'b'],
      [30, 'c'],
    ]);
  });

  test('an empty timeline has no next time', () => {
    const timeline = new Timeline();
    assert.equal(timeline.nextAt(), undefined);
    assert.equal(timeline.takeDue(Number.MAX_SAFE_INTEGER), undefined);
  });

  test('a large random schedule drains sorted by (time, scheduling order)', () => {
    const timeline = new Timeline();
    const entries = Array.from({ length: 500 }, (_, i) => ({ at: (i * 7919) % 97, id: `s${i}` }));
    for (const e of entries) timeline.schedule(e.at, job(e.id));
    const expected = [...entries]
      .map((e, i) => ({ ...e, i }))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .map((e) => [e.at, e.id]);
    assert.deepEqual(drain(timeline, 1_000), expected);
  });
});
