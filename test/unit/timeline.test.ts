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

  test('jobs come out, and are saved, as they were scheduled, whether kept compact or not', () => {
    const jobs: Job[] = [
      { type: 'sessionStep', sessionId: 'a', step: 3 },
      { type: 'expireSession', sessionId: 'b' },
      { type: 'arrival', n: 7, accept: true },
      { type: 'arrival', n: 8, accept: false },
      { type: 'sample', tick: 9 },
      { type: 'scenarioStep', run: 1, index: 2, rep: 0 },
      { type: 'surgeLogin', run: 0, step: 1, rep: 0, i: 4, virtualProxy: 'hdr' },
    ];
    const timeline = new Timeline();
    jobs.forEach((j, i) => timeline.schedule(100 - i, j));
    timeline.scheduleSessionStep(50, 'c', 1);
    timeline.scheduleExpiry(50, 'd');
    const saved = timeline.dump();
    assert.deepEqual(
      saved.heap.map(({ at, seq }) => [at, seq]).sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!),
      [[50, 7], [50, 8], ...jobs.map((_, i) => [94 + i, 6 - i])],
    );
    const ran: unknown[] = [];
    const runner = {
      expireSession: (sessionId: string) => ran.push({ type: 'expireSession', sessionId }),
      sample: (tick: number) => ran.push({ type: 'sample', tick }),
      arrival: (n: number, accept: boolean) => ran.push({ type: 'arrival', n, accept }),
      sessionStep: (sessionId: string, step: number) => ran.push({ type: 'sessionStep', sessionId, step }),
      other: (job: Job) => ran.push(job),
    };
    const restored = new Timeline();
    restored.load(saved);
    while (restored.nextAt() !== undefined) restored.runNext(runner);
    assert.deepEqual(ran, [
      { type: 'sessionStep', sessionId: 'c', step: 1 },
      { type: 'expireSession', sessionId: 'd' },
      ...[...jobs].reverse(),
    ]);
    assert.deepEqual(
      drain(timeline, 100).map(([at]) => at),
      [50, 50, 94, 95, 96, 97, 98, 99, 100],
    );
  });

  test('a saved job whose fields are not the usual ones is kept as it was saved', () => {
    const odd = { type: 'arrival', n: 1, at: 5, seq: 0 } as unknown as Job & { at: number; seq: number };
    const timeline = new Timeline();
    timeline.load({ heap: [odd], seq: 1 });
    assert.deepEqual(timeline.dump().heap, [{ type: 'arrival', n: 1, at: 5, seq: 0 }]);
  });

  test("a session step's memo comes back with it, but is not saved", () => {
    const timeline = new Timeline();
    const memo = { drawn: 1 };
    timeline.scheduleSessionStep(10, 'a', 0, memo);
    timeline.scheduleSessionStep(20, 'b', 0);
    const restored = new Timeline();
    restored.load(timeline.dump());
    const memos = (t: Timeline) => {
      const got: unknown[] = [];
      const runner = {
        expireSession: () => undefined,
        sample: () => undefined,
        arrival: () => undefined,
        sessionStep: (_id: string, _step: number, m: unknown) => got.push(m),
        other: () => undefined,
      };
      while (t.nextAt() !== undefined) t.runNext(runner);
      return got;
    };
    assert.deepEqual(memos(timeline), [memo, undefined]);
    assert.deepEqual(memos(restored), [undefined, undefined]);
  });
});
